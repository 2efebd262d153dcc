"""Theme quality on ../shared/benchmarks (real NHS feedback): trained mode vs plain TF-IDF + LinearSVC,
and zero-shot agreement of the default codebook with the corresponding human codes vs keyword search.

    .venv/bin/python bench/quality_themes.py      # prints figures, writes bench/out/quality_themes.md
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.core import config  # noqa: E402
from analysis.themes.codebook import default_codebook  # noqa: E402
from analysis.themes.trained import TrainedThemeClassifier, labels_from_frame  # noqa: E402
from analysis.themes.zero_shot import ZeroShotThemeClassifier  # noqa: E402

DATA = ROOT.parent / "shared" / "benchmarks" / "nhs-feedback-phase1" / "text_data.csv"
OUT = ROOT / "bench" / "out"

# codebook theme(s) -> human codes (major label or sub-category) that mean the same thing.
CORRESPONDENCE = {
    "access": ({"access", "waiting_times"}, {"Access"}, set()),
    "staff_behaviour": (
        {"staff_behaviour"},
        set(),
        {"Attitude Of Staff", "Staff: General", "Professionalism/Competence Of Staff"},
    ),
    "partnership_working+discharge_planning": (
        {"partnership_working", "discharge_planning", "continuity_of_care"},
        {"Transition/coordination"},
        set(),
    ),
    "environment_safety": (
        {"environment_safety", "food_activities"},
        {"Environment/ facilities"},
        set(),
    ),
    "communication": ({"communication"}, {"Communication"}, set()),
    "medication": ({"medication"}, set(), {"Medication"}),
    "dignity_respect": ({"dignity_respect"}, {"Dignity"}, set()),
    "carers_family": (
        {"carers_family"},
        set(),
        {"Carer support", "Involvement: Of Family And Carers"},
    ),
    "staffing": ({"staffing"}, set(), {"Staffing levels"}),
}
# The plain peer: a keyword search per theme (what an analyst would type into a filter).
KEYWORDS = {
    "access": r"\b(access|wait\w*|appointment\w*|referr\w*|delay\w*)\b",
    "staff_behaviour": r"\b(staff|nurse\w*|doctor\w*|rude|kind|friendly|attitude)\b",
    "partnership_working+discharge_planning": r"\b(discharg\w*|transfer\w*|gp|communication between|joined up|handover)\b",
    "environment_safety": r"\b(ward|clean\w*|dirty|food|facilit\w*|environment|safe\w*|noise|noisy|parking)\b",
    "communication": r"\b(communicat\w*|inform\w*|explain\w*|told|letter\w*)\b",
    "medication": r"\b(medication|medicine\w*|tablet\w*|drug\w*|prescri\w*)\b",
    "dignity_respect": r"\b(dignity|respect\w*|privacy)\b",
    "carers_family": r"\b(carer\w*|family|relative\w*)\b",
    "staffing": r"\b(staffing|short staffed|understaffed|more staff|agency)\b",
}


def _prf(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    pr, rc, f, _ = precision_recall_fscore_support(y, p, average="binary", zero_division=0)
    return float(pr), float(rc), float(f)


def trained_vs_peer(d: pd.DataFrame, column: str) -> dict:
    """Seeded 80/20 split; macro/micro F1 of ours vs TF-IDF(1-2)+LinearSVC."""
    Y, names = labels_from_frame(d, [column])
    X = d["feedback"].to_numpy()
    tr, te = train_test_split(np.arange(len(d)), test_size=0.2, random_state=config.RANDOM_SEED)
    t0 = time.perf_counter()
    vec = TfidfVectorizer(ngram_range=(1, 2))
    peer = LinearSVC(random_state=config.RANDOM_SEED).fit(
        vec.fit_transform(X[tr]), d[column].to_numpy()[tr]
    )
    peer_pred = peer.predict(vec.transform(X[te]))
    peer_time = time.perf_counter() - t0
    P_peer = np.column_stack([peer_pred == n for n in names]).astype(int)
    t0 = time.perf_counter()
    ours = TrainedThemeClassifier().fit(X[tr], Y[tr], names)
    P_ours = ours.predict_matrix(X[te])
    our_time = time.perf_counter() - t0
    res = {"column": column, "n_labels": len(names), "n_test": len(te)}
    for name, P, secs in (("peer", P_peer, peer_time), ("ours", P_ours, our_time)):
        res[f"{name}_macro"] = f1_score(Y[te], P, average="macro", zero_division=0)
        res[f"{name}_micro"] = f1_score(Y[te], P, average="micro", zero_division=0)
        res[f"{name}_secs"] = secs
    return res


def zero_shot_agreement(d: pd.DataFrame) -> list[dict]:
    """Precision/recall/F1 of codebook themes vs the human codes they correspond to, vs keywords."""
    texts = d["feedback"].tolist()
    clf = ZeroShotThemeClassifier().fit(texts, default_codebook())
    batch = clf.classify(texts, explain_model=False)
    ids = clf.theme_ids_
    rows = []
    for name, (themes, labels, subs) in CORRESPONDENCE.items():
        truth = (
            (d["label"].str.strip().isin(labels) | d["subcategory"].str.strip().isin(subs))
            .to_numpy()
            .astype(int)
        )
        pred = batch.assigned[:, [ids.index(t) for t in themes]].any(axis=1).astype(int)
        kw = (
            d["feedback"]
            .str.contains(KEYWORDS[name].replace("(", "(?:"), case=False, regex=True)
            .to_numpy()
            .astype(int)
        )
        zp, zr, zf = _prf(truth, pred)
        kp, kr, kf = _prf(truth, kw)
        rows.append(
            {
                "theme": name,
                "support": int(truth.sum()),
                "zs_p": zp,
                "zs_r": zr,
                "zs_f1": zf,
                "kw_p": kp,
                "kw_r": kr,
                "kw_f1": kf,
            }
        )
    return rows


def main() -> int:
    if not DATA.exists():
        print(f"benchmark data not found at {DATA}; nothing to measure")
        return 0
    d = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    d = d[d["feedback"].str.strip() != ""].reset_index(drop=True)
    lines = [
        "# Theme quality on the NHS phase-1 benchmark",
        "",
        f"{len(d):,} non-empty comments; seeded ({config.RANDOM_SEED}) 80/20 split.",
        "",
        "## Trained mode vs plain TF-IDF(1-2) + LinearSVC",
        "",
        "| labels | n | peer macro-F1 | ours macro-F1 | gain | peer micro-F1 | ours micro-F1 | peer s | ours s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for column in ("label", "subcategory"):
        r = trained_vs_peer(d, column)
        gain = r["ours_macro"] - r["peer_macro"]
        print(
            f"{column}: peer macro {r['peer_macro']:.3f} micro {r['peer_micro']:.3f} | ours macro "
            f"{r['ours_macro']:.3f} micro {r['ours_micro']:.3f} | gain {gain:+.3f}"
        )
        lines.append(
            f"| {column} ({r['n_labels']}) | {r['n_test']} | {r['peer_macro']:.3f} | {r['ours_macro']:.3f} | "
            f"{gain:+.3f} | {r['peer_micro']:.3f} | {r['ours_micro']:.3f} | {r['peer_secs']:.1f} | {r['ours_secs']:.1f} |"
        )
    lines += [
        "",
        "## Zero-shot (default codebook, no labels) vs keyword search, against the human codes",
        "",
        "| theme(s) | support | zero-shot P | R | F1 | keywords P | R | F1 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    rows = zero_shot_agreement(d)
    for r in rows:
        print(
            f"{r['theme']:<40} n={r['support']:5d} zero-shot P {r['zs_p']:.2f} R {r['zs_r']:.2f} F1 {r['zs_f1']:.2f} | "
            f"keywords P {r['kw_p']:.2f} R {r['kw_r']:.2f} F1 {r['kw_f1']:.2f}"
        )
        lines.append(
            f"| {r['theme']} | {r['support']} | {r['zs_p']:.2f} | {r['zs_r']:.2f} | {r['zs_f1']:.2f} | "
            f"{r['kw_p']:.2f} | {r['kw_r']:.2f} | {r['kw_f1']:.2f} |"
        )
    mz = np.mean([r["zs_f1"] for r in rows])
    mk = np.mean([r["kw_f1"] for r in rows])
    print(f"mean F1: zero-shot {mz:.3f} vs keywords {mk:.3f}")
    lines += [
        f"| **mean** | | | | **{mz:.2f}** | | | **{mk:.2f}** |",
        "",
        "The human codes are single-label (one theme per comment), so a zero-shot theme that is present",
        "but was not the coder's one label counts as a false positive; precision is understated.",
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "quality_themes.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT / 'quality_themes.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
