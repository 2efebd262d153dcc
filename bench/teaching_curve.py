"""Teaching curve: how fast people's judgements make the themes right, answers picked by `review`
against the same number picked at random.

A simulated reviewer judges answers of one trust of ../shared/benchmarks/nhs-feedback-phase1 with that
trust's human codes: for each answer shown, the themes the Check themes view asks about (the suggested
ones, then the most doubtful, at most four), yes when the answer's code corresponds to the theme
(bench/quality_themes.CORRESPONDENCE). After 50, 100, 200 and 400 judged answers the model is retrained
with the judgements (analysis.themes.judgements, analysis.themes.retrain; --scratch fits it from
scratch with them, as before the retrain existed) and scored on the trust's answers nobody judged:
macro-F1 over the codebook themes that have codes. Beside it: no judgements, the keyword filter of
bench/keyword_filter.py (written before these results; a group is raised when any of its themes is), and TF-IDF + linear SVM trained on every
label of the same trust (5-fold cross-validated predictions).

The starter model is in the loop as the product uses it (seeds + starter, judgements above both), but
trained as it ships on the OTHER two trusts only (scripts/build_starter_model.py's recipe): the shipped
file has seen every trust, so using it here would score the model on answers it learnt from.
--starter none runs without a starter (the figures before the starter model existed).

    .venv/bin/python bench/teaching_curve.py [--trust "Trust A"] [--repeats 1] [--starter none]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import cross_val_predict
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from keyword_filter import keyword_matrix  # noqa: E402
from quality_themes import CORRESPONDENCE, DATA  # noqa: E402

import analysis.themes.review as review_module  # noqa: E402
import analysis.themes.starter as starter_module  # noqa: E402
from analysis.core import config  # noqa: E402
from analysis.themes.checking import MAX_THEMES_ASKED  # noqa: E402
from analysis.themes.codebook import default_codebook  # noqa: E402
from analysis.themes.judgements import fit_with_judgements  # noqa: E402
from analysis.themes.review import doubt_margins, pick_for_review  # noqa: E402

BUDGETS = (50, 100, 200, 400)


def load(trust: str) -> tuple[list[str], np.ndarray, list[str]]:
    """The trust's answers, an n x G truth matrix (one column per CORRESPONDENCE group), group names."""
    d = pd.read_csv(DATA)
    d = d[(d["organization"] == trust) & d["feedback"].notna()].reset_index(drop=True)
    d = d[d["feedback"].str.strip() != ""].reset_index(drop=True)
    groups = list(CORRESPONDENCE)
    truth = np.column_stack(
        [
            (d["label"].str.strip().isin(labels) | d["subcategory"].str.strip().isin(subs))
            for _, labels, subs in CORRESPONDENCE.values()
        ]
    ).astype(int)
    return d["feedback"].astype(str).tolist(), truth, groups


def held_out_starter(trust: str) -> starter_module.StarterThemes:
    """The starter theme model trained as it ships, on the trusts other than `trust`."""
    from quality_heldout import load as load_all
    from quality_heldout import seed_matrix

    cb = default_codebook()
    ids = cb.theme_ids
    d = load_all()
    tr = d[d["organization"] != trust]
    y = starter_module.mapped_labels(tr["code"].tolist(), ids, starter_module.load_mapping(), cb)
    texts = tr["feedback"].tolist()
    return starter_module.train_starter_themes(
        texts, y, cb, ids, seed_hits=seed_matrix(texts, cb, ids)
    )


def use_starter(model: starter_module.StarterThemes | None) -> None:
    """Make every model fitted from now on use this starter (None: no starter at all)."""
    starter_module.load_starter_themes = lambda json_path=None: model


def group_of(theme_ids: list[str]) -> dict[str, int]:
    """Codebook theme id -> its CORRESPONDENCE group's column."""
    return {t: g for g, (themes, _, _) in enumerate(CORRESPONDENCE.values()) for t in themes}


def predict_groups(model: object, texts: list[str]) -> np.ndarray:
    """n x G: a group is raised when any of its codebook themes is."""
    assigned = model.classify(texts, explain_model=False).assigned
    ids = list(model.theme_ids_)
    return np.column_stack(
        [
            assigned[:, [ids.index(t) for t in themes]].any(axis=1)
            for themes, _, _ in CORRESPONDENCE.values()
        ]
    ).astype(int)


def macro_f1(truth: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 over the groups with at least one coded answer."""
    have = truth.sum(axis=0) > 0
    return float(f1_score(truth[:, have], pred[:, have], average="macro", zero_division=0))


def judge(model: object, texts: list[str], truth: np.ndarray, picked: list[int]) -> list[tuple]:
    """The simulated reviewer: yes/no for the themes the view asks about on each picked answer."""
    chosen = [texts[i] for i in picked]
    assigned = model.classify(chosen, explain_model=False).assigned
    margins = doubt_margins(model, chosen)
    ids = list(model.theme_ids_)
    to_group = group_of(ids)
    rows = []
    for j, i in enumerate(picked):
        suggested = [ids[k] for k in np.flatnonzero(assigned[j])]
        doubtful = [
            ids[k] for k in np.argsort(margins[j], kind="stable") if ids[k] not in suggested
        ]
        asked = (suggested + doubtful)[: max(MAX_THEMES_ASKED, len(suggested))]
        for t in asked:
            if t in to_group:  # a theme with no human code is one the simulated reviewer skips
                rows.append((str(i), texts[i], t, int(truth[i, to_group[t]])))
    return rows


def curve(
    texts: list[str],
    truth: np.ndarray,
    how: str,
    seed: int,
    weight: float = config.CORRECTION_WEIGHT,
    scratch: bool = False,
) -> list[dict]:
    """F1 after each budget for one way of picking (review or random). scratch: fit from scratch
    with the judgements each time (the way before analysis.themes.retrain) instead of retraining."""
    codebook = default_codebook()
    rng = np.random.default_rng(seed)
    model = base = fit_with_judgements(texts, codebook, None, random_state=seed)
    judged: list[int] = []
    rows: list[tuple] = []
    out = []
    for budget in BUDGETS:
        need = budget - len(judged)
        if how == "review":
            new = pick_for_review(model, texts, need, exclude=judged)
        else:
            pool = np.setdiff1d(np.arange(len(texts)), judged)
            new = [int(i) for i in rng.choice(pool, size=need, replace=False)]
        rows += judge(model, texts, truth, new)
        judged += new
        frame = pd.DataFrame(rows, columns=["response_id", "text", "theme_id", "present"])
        t0 = time.perf_counter()
        model = fit_with_judgements(
            texts, codebook, frame, weight=weight, random_state=seed,
            base=None if scratch else base,
        )  # fmt: skip
        secs = time.perf_counter() - t0
        rest = np.setdiff1d(np.arange(len(texts)), judged)
        f1 = macro_f1(truth[rest], predict_groups(model, [texts[i] for i in rest]))
        positives = int(frame.loc[frame["present"] == 1, "response_id"].nunique())
        out.append({"how": how, "judged": budget, "macro_f1": f1, "retrain_s": secs,
                    "judgements": len(frame), "answers_with_a_yes": positives})  # fmt: skip
        print(f"  {how:6} {budget:4} judged: macro-F1 {f1:.3f} (retrain {secs:.1f} s)", flush=True)
    return out


def baselines(texts: list[str], truth: np.ndarray) -> dict[str, float]:
    """No judgements, the keyword filter, and TF-IDF + LinearSVC on every label (5-fold CV)."""
    ids = default_codebook().theme_ids
    hits = keyword_matrix(texts, ids)
    kw = np.column_stack(
        [
            hits[:, [ids.index(t) for t in themes]].any(axis=1)
            for themes, _, _ in CORRESPONDENCE.values()
        ]
    ).astype(int)
    X = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    svm = np.column_stack(
        [
            cross_val_predict(LinearSVC(random_state=config.RANDOM_SEED), X, truth[:, g], cv=5)
            if truth[:, g].sum() >= 5
            else np.zeros(len(texts), dtype=int)
            for g in range(truth.shape[1])
        ]
    )
    zero = fit_with_judgements(texts, default_codebook(), None)
    return {
        "zero-shot, no judgements": macro_f1(truth, predict_groups(zero, texts)),
        "keyword filter": macro_f1(truth, kw),
        "TF-IDF + linear SVM on every label of the trust (5-fold)": macro_f1(truth, svm),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trust", default="Trust A", help="the held-out trust (default Trust A)")
    parser.add_argument("--repeats", type=int, default=1, help="random-pick repeats (seeds)")
    parser.add_argument("--weight", type=float, default=config.CORRECTION_WEIGHT,
                        help="how many weak labels one judgement counts as")  # fmt: skip
    parser.add_argument("--scratch", action="store_true",
                        help="fit from scratch with the judgements (before), not retrain")  # fmt: skip
    parser.add_argument("--plain-margins", action="store_true",
                        help="doubt from the model's probability alone (before), not its decision")  # fmt: skip
    parser.add_argument("--starter", choices=("held-out", "none"), default="held-out",
                        help="a starter trained on the other trusts (default), or none")  # fmt: skip
    args = parser.parse_args()
    if not DATA.exists():
        print(f"no benchmark data at {DATA}; nothing measured")
        return 0
    texts, truth, groups = load(args.trust)
    review_module.DECISION_MARGINS = not args.plain_margins
    t0 = time.perf_counter()
    use_starter(held_out_starter(args.trust) if args.starter == "held-out" else None)
    print(f"starter: {args.starter} ({time.perf_counter() - t0:.0f} s)")
    print(f"{args.trust}: {len(texts):,} answers; coded answers per theme group: "
          + ", ".join(f"{g} {int(n)}" for g, n in zip(groups, truth.sum(axis=0), strict=True)))  # fmt: skip
    for name, f1 in baselines(texts, truth).items():
        print(f"  {name}: macro-F1 {f1:.3f}")
    results = curve(texts, truth, "review", config.RANDOM_SEED, args.weight, args.scratch)
    for r in range(args.repeats):
        results += curve(texts, truth, "random", config.RANDOM_SEED + r, args.weight, args.scratch)
    table = pd.DataFrame(results).groupby(["how", "judged"])["macro_f1"].mean().unstack(0)
    print(table.round(3).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
