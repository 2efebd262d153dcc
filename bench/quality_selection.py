"""Settings of the starter theme model and the learned sentiment, chosen without the test trust:
nested cross-validation grouped by trust on the open NHS data (../shared/benchmarks/, never copied).

For each held-out trust, every setting is scored by leave-one-trust-out on the two other trusts
(train on one, score on the other, both ways; the "inner" figure); the setting with the best inner
figure is the pick, and only then is it scored on the held-out trust ("outer"). The mean outer
figure of the picks is an honest estimate of choosing settings this way; the outer figures of the
settings not picked are printed for reference only and choose nothing.

Themes: macro-F1 of seeds | starter (the product with no labels) over themes coded in both sides.
Sentiment: Spearman against people's criticality. Also, for comparison with figures measured on
random splits: Spearman of 5-fold random cross-validation over all rows pooled, and per trust.

    .venv/bin/python bench/quality_selection.py [--part themes|sentiment|all]   # ~15 min on 2 cores
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.text.normalise import is_contentless  # noqa: E402
from analysis.text.sentiment_model import train_sentiment  # noqa: E402
from analysis.themes.codebook import default_codebook  # noqa: E402
from analysis.themes.starter import load_mapping, mapped_labels, train_starter_themes  # noqa: E402
from bench.quality_heldout import DATA, TRUSTS, load, roll_up, seed_matrix  # noqa: E402

OUT = ROOT / "bench" / "out" / "quality_selection.md"
GRIDS = {
    "0.2-0.95": np.round(np.arange(0.2, 0.96, 0.025), 3),
    "0.05-0.95": np.round(np.arange(0.05, 0.96, 0.025), 3),
}
THEME_SETTINGS = list(itertools.product([1.0, 4.0, 16.0], [None, "balanced"], list(GRIDS)))
SENTIMENT_ALPHAS = [1.0, 3.0, 10.0]


def nested(settings: list, score: Callable, org: np.ndarray) -> pd.DataFrame:
    """Inner (leave-one-trust-out on the training trusts) and outer figures of every setting."""
    rows = []
    for test in TRUSTS:
        a, b = [t for t in TRUSTS if t != test]
        for s in settings:
            inner = np.mean([score(org == a, org == b, s), score(org == b, org == a, s)])
            outer = score(org != test, org == test, s)
            rows.append({"setting": str(s), "test": test, "inner": inner, "outer": outer})
        print(f"held out {test}: done", flush=True)
    return pd.DataFrame(rows)


def theme_scorer(d: pd.DataFrame) -> Callable:
    """score(train mask, test mask, (c, class_weight, grid)) -> macro-F1 of seeds | starter."""
    cb = default_codebook()
    ids = cb.theme_ids
    texts = d["feedback"].tolist()
    seeds = seed_matrix(texts, cb, ids)
    y = mapped_labels(d["code"].tolist(), ids, load_mapping(), cb)
    nc = np.array([is_contentless(t) for t in texts])

    def score(tr: np.ndarray, te: np.ndarray, s: tuple) -> float:
        c, cw, grid = s
        tr_texts = [t for t, k in zip(texts, tr) if k]
        st = train_starter_themes(
            tr_texts, y[tr], cb, ids, seed_hits=seeds[tr], c=c, class_weight=cw, grid=GRIDS[grid]
        )
        pred = roll_up(st.decide([t for t, k in zip(texts, te) if k]), cb)
        pred[nc[te]] = False
        pred |= seeds[te]
        keep = [k for k in range(len(ids)) if y[te][:, k].any() and y[tr][:, k].any()]
        f = f1_score(y[te][:, keep], pred[:, keep], average=None, zero_division=0)
        return float(np.mean(f))

    return score


def sentiment_scorer(d: pd.DataFrame) -> Callable:
    """score(train mask, test mask, (alpha, drop Trust B's zeros)) -> Spearman."""
    texts = np.array(d["feedback"].tolist(), dtype=object)
    crit = d["crit"].to_numpy()
    b_zero = ((d["organization"] == "Trust B") & (d["crit"] == 0)).to_numpy()

    def score(tr: np.ndarray, te: np.ndarray, s: tuple) -> float:
        alpha, drop_b_zeros = s
        use = tr & ~b_zero if drop_b_zeros else tr
        model = train_sentiment(list(texts[use]), crit[use], alpha=alpha)
        return float(spearmanr(model.score(list(texts[te])), crit[te]).statistic)

    return score


def table(df: pd.DataFrame, title: str) -> list[str]:
    """Markdown: every setting's inner/outer figures, then the picks and their mean outer."""
    lines = [
        f"## {title}",
        "",
        "| setting | " + " | ".join(f"{t} inner / outer" for t in TRUSTS) + " |",
    ]
    lines += ["| --- |" + " ---: |" * len(TRUSTS)]
    for s, g in df.groupby("setting", sort=False):
        cells = [f"{r.inner:.3f} / {r.outer:.3f}" for r in g.itertuples()]
        lines.append(f"| {s} | " + " | ".join(cells) + " |")
    picks = df.loc[df.groupby("test", sort=False)["inner"].idxmax()]
    lines += [
        "",
        "Picked by the inner figure: "
        + "; ".join(f"{r.test}: {r.setting} (outer {r.outer:.3f})" for r in picks.itertuples())
        + f". **Mean outer of the picks: {picks['outer'].mean():.3f}**",
        "",
    ]
    return lines


def random_split(d: pd.DataFrame) -> list[str]:
    """Spearman of the shipped sentiment recipe under 5-fold random CV (trusts mixed)."""
    pred = np.zeros(len(d))
    texts = d["feedback"].tolist()
    for tr, te in KFold(5, shuffle=True, random_state=0).split(d):
        model = train_sentiment([texts[i] for i in tr], d["crit"].iloc[tr].to_numpy())
        pred[te] = model.score([texts[i] for i in te])
    rho = [f"all rows pooled {spearmanr(pred, d['crit']).statistic:.3f}"]
    for t in TRUSTS:
        m = (d["organization"] == t).to_numpy()
        rho.append(f"{t} {spearmanr(pred[m], d['crit'][m]).statistic:.3f}")
    return ["Sentiment, 5-fold random split (trusts mixed; not held out): " + ", ".join(rho), ""]


def main() -> int:
    """Run the chosen parts, print and write bench/out/quality_selection.md."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=("themes", "sentiment", "all"), default="all")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"benchmark data not found at {DATA}; nothing to measure")
        return 0
    d = load()
    lines = ["# Settings chosen by cross-validation grouped by trust", ""]
    if args.part in ("themes", "all"):
        org = d["organization"].to_numpy()
        df = nested(THEME_SETTINGS, theme_scorer(d), org)
        lines += table(df, "Starter themes: (C, class weight, threshold grid), macro-F1")
    if args.part in ("sentiment", "all"):
        ds = d[d["crit"].notna()].reset_index(drop=True)
        settings = list(itertools.product(SENTIMENT_ALPHAS, [False, True]))
        df = nested(settings, sentiment_scorer(ds), ds["organization"].to_numpy())
        lines += table(df, "Sentiment: (ridge alpha, drop Trust B's zero scores), Spearman")
        lines += random_split(ds)
    report = "\n".join(lines) + "\n"
    print(report)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
