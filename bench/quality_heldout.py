"""Theme and sentiment quality held out by trust on the open NHS data (../shared/benchmarks/
nhs-feedback-phase1/, never copied into the project): train on two trusts, test on the third.

Themes: macro-F1 over the codebook themes that have mapped data (data/starter_mapping.csv), truth =
the comment's coded sub-category mapped onto theme ids (a sub-theme also counts for its parent).
Compared: today's zero-shot (seeds + weak-label model), seeds alone, the keyword filter
(bench/keyword_filter.py), the starter model alone, and unions of the starter with seeds / zero-shot.
Sentiment: Spearman against people's criticality, ridge model vs plain and domain-tuned VADER.

    .venv/bin/python bench/quality_heldout.py [--part themes|sentiment|all] [--no-zero-shot]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.core import config  # noqa: E402
from analysis.text import sentiment  # noqa: E402
from analysis.text.normalise import is_contentless  # noqa: E402
from analysis.text.sentiment_model import train_sentiment  # noqa: E402
from analysis.themes.codebook import default_codebook  # noqa: E402
from analysis.themes.seed_match import SeedMatcher  # noqa: E402
from analysis.themes.starter import load_mapping, mapped_labels, train_starter_themes  # noqa: E402
from analysis.themes.zero_shot import ZeroShotThemeClassifier, _parent_matrix  # noqa: E402
from bench.keyword_filter import keyword_matrix  # noqa: E402

DATA = ROOT.parent / "shared" / "benchmarks" / "nhs-feedback-phase1" / "text_data.csv"
OUT = ROOT / "bench" / "out" / "quality_heldout.md"
TRUSTS = ("Trust A", "Trust B", "Trust C")


def load() -> pd.DataFrame:
    """Non-empty comments with their trust, code and (where clean) criticality."""
    d = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    d = d[d["feedback"].str.strip() != ""].reset_index(drop=True)
    d["crit"] = pd.to_numeric(d["criticality"].str.strip(), errors="coerce")
    d.loc[(d["crit"] % 1 != 0) | (d["crit"].abs() > 5), "crit"] = np.nan
    return d


def seed_matrix(texts: list[str], cb, theme_ids: list[str]) -> np.ndarray:
    """n x K: themes whose seeds match (rolled up to parents); contentless answers none."""
    matcher = SeedMatcher(cb)
    parents = _parent_matrix(cb)
    out = np.zeros((len(texts), len(theme_ids)), dtype=bool)
    for i, t in enumerate(texts):
        if is_contentless(t):
            continue
        for m in matcher.match(t):
            out[i, [m.theme_index, *parents[m.theme_index]]] = True
    return out


def roll_up(a: np.ndarray, cb) -> np.ndarray:
    """A sub-theme's decision also raises its parents."""
    a = a.copy()
    for k, ps in enumerate(_parent_matrix(cb)):
        for p in ps:
            a[:, p] |= a[:, k]
    return a


def product_classify(texts: list[str], cb, starter):
    """The product's classification with no labels, its starter swapped for one trained on the
    other trusts (the shipped starter has seen every trust)."""
    clf = ZeroShotThemeClassifier(use_starter=False).fit(texts, cb)
    clf.starter_ = starter
    clf.starter_pairs_ = [
        (k, starter.theme_ids.index(t))
        for k, t in enumerate(clf.theme_ids_)
        if t in starter.theme_ids and np.isfinite(starter.thresholds[starter.theme_ids.index(t)])
    ]
    return clf.classify(texts)


def theme_part(d: pd.DataFrame, zero_shot: bool) -> list[str]:
    """Per held-out trust, macro-F1 of each method; returns markdown lines."""
    cb = default_codebook()
    ids = cb.theme_ids
    mapping = load_mapping()
    parents = {t.id: t.parent for t in cb.active_themes if t.parent}
    methods: dict[str, list[float]] = {}
    per_theme: dict[str, dict[str, list[float]]] = {}
    lines = ["## Themes held out by trust (macro-F1 over themes with mapped data)", ""]
    for test in TRUSTS:
        tr, te = d[d.organization != test], d[d.organization == test]
        texts = te["feedback"].tolist()
        Y = mapped_labels(te["code"].tolist(), ids, mapping, cb)
        y_tr = mapped_labels(tr["code"].tolist(), ids, mapping, cb)
        keep = [k for k in range(len(ids)) if Y[:, k].sum() > 0 and y_tr[:, k].sum() > 0]
        nc = np.array([is_contentless(t) for t in texts])
        t0 = time.perf_counter()
        tr_texts = tr["feedback"].tolist()
        starter = train_starter_themes(
            tr_texts, y_tr, cb, ids, seed_hits=seed_matrix(tr_texts, cb, ids)
        )
        st = roll_up(starter.decide(texts), cb)
        st[nc] = False
        secs = time.perf_counter() - t0
        seeds = seed_matrix(texts, cb, ids)
        preds = {
            "keyword filter": keyword_matrix(texts, ids, parents).astype(bool),
            "seeds alone": seeds,
            "starter alone": st,
            "seeds + starter (union)": seeds | st,
        }
        if zero_shot:
            # Today's zero-shot without the shipped starter (which has seen every trust).
            zs = ZeroShotThemeClassifier(use_starter=False).fit(texts, cb)
            zs = zs.classify(texts, explain_model=False)
            preds["zero-shot today"] = zs.assigned
            preds["zero-shot + starter (the product)"] = product_classify(
                texts, cb, starter
            ).assigned
        lines.append(
            f"- held out {test}: n={len(te)}, themes scored: {len(keep)}; starter fit {secs:.1f} s"
        )
        for name, P in preds.items():
            f = f1_score(Y[:, keep], P[:, keep], average=None, zero_division=0)
            methods.setdefault(name, []).append(float(np.mean(f)))
            for k, v in zip(keep, f):
                per_theme.setdefault(name, {}).setdefault(ids[k], []).append(float(v))
    lines += ["", "| method | " + " | ".join(TRUSTS) + " | mean |", "| --- |" + " ---: |" * 4]
    for name, vals in methods.items():
        lines.append(
            f"| {name} | " + " | ".join(f"{v:.3f}" for v in vals) + f" | {np.mean(vals):.3f} |"
        )
    names = list(methods)
    lines += ["", "Per theme (F1, mean over held-out trusts):", ""]
    lines += ["| theme | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
    for tid in ids:
        if tid in per_theme[names[0]]:
            cells = [f"{np.mean(per_theme[n][tid]):.2f}" for n in names]
            lines.append(f"| {tid} | " + " | ".join(cells) + " |")
    return lines


def sentiment_part(d: pd.DataFrame) -> list[str]:
    """Spearman against criticality held out by trust, and the share of answers whose sign
    (negative / neutral / positive, the product's neutral band) matches people's; markdown lines."""
    d = d[d["crit"].notna()]
    rows: dict[str, list[float]] = {}
    signs: dict[str, list[float]] = {}
    band = config.SENTIMENT_NEUTRAL_BAND
    for test in TRUSTS:
        tr, te = d[d.organization != test], d[d.organization == test]
        texts = te["feedback"].tolist()
        plain = train_sentiment(tr["feedback"].tolist(), tr["crit"].to_numpy())
        offsets = train_sentiment(
            tr["feedback"].tolist(), tr["crit"].to_numpy(), groups=tr["organization"].tolist()
        )
        scores = {
            "plain VADER": sentiment.plain_vader_scores(texts),
            "domain-tuned VADER": sentiment.score_texts(texts),
            "ridge on word+char TF-IDF, fitted on the scores (before)": plain.score(texts),
            "ridge with an offset per trust (today)": offsets.score(texts),
        }
        gold = np.sign(te["crit"].to_numpy())
        for name, s in scores.items():
            rows.setdefault(name, []).append(float(spearmanr(s, te["crit"]).statistic))
            said = np.where(s >= band, 1, np.where(s <= -band, -1, 0))
            signs.setdefault(name, []).append(float((said == gold).mean()))
    lines = []
    for title, table in (
        ("Sentiment held out by trust (Spearman vs criticality)", rows),
        ("Sentiment held out by trust (negative / neutral / positive as people scored it)", signs),
    ):
        lines += [f"## {title}", ""]
        lines += ["| method | " + " | ".join(TRUSTS) + " | mean |", "| --- |" + " ---: |" * 4]
        for name, vals in table.items():
            lines.append(
                f"| {name} | " + " | ".join(f"{v:.3f}" for v in vals) + f" | {np.mean(vals):.3f} |"
            )
        lines.append("")
    return lines


def main() -> int:
    """Run the chosen parts, print and write bench/out/quality_heldout.md."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=("themes", "sentiment", "all"), default="all")
    ap.add_argument("--no-zero-shot", action="store_true")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"benchmark data not found at {DATA}; nothing to measure")
        return 0
    d = load()
    lines = ["# Held-out-by-trust quality on the open NHS data", ""]
    if args.part in ("themes", "all"):
        lines += theme_part(d, not args.no_zero_shot) + [""]
    if args.part in ("sentiment", "all"):
        lines += sentiment_part(d)
    report = "\n".join(lines) + "\n"
    print(report)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
