"""Sentiment quality against human criticality scores on real NHS feedback, against plain VADER.

Run from the repository root:  .venv/bin/python bench/sentiment_quality.py
Reads ../shared/benchmarks/nhs-feedback-phase1/text_data.csv (never copied into the project) and
writes bench/out/sentiment_quality.md.

Gold: `criticality`, -5 (highly critical) .. 5 (highly positive). Rows whose criticality is not an
integer in -5..5 (dirty values such as "-o", "-NA", "cc", "-9") and rows with empty feedback are
dropped and counted.

Measures, for every variant, on the same rows in the same run:
- Spearman rank correlation between the score (-1..1) and criticality;
- 3-class accuracy and macro-F1. Gold classes: negative (criticality < 0), neutral (= 0),
  positive (> 0). Predicted classes use VADER's own thresholds: compound >= 0.05 positive,
  <= -0.05 negative, otherwise neutral (config.SENTIMENT_NEUTRAL_BAND).

Subsets: all rows (the headline), and Trusts A + C only: Trust B scores about 80% of its comments 0,
including plainly glowing ones ("excellent care, very happy"), so there 0 reads as "not rated" rather
than "neutral". This is an observation about the file, reported beside the headline, not a tuning step.

Variants: plain NLTK VADER on the whole answer (the peer); the same on the mean of clause scores;
the domain-tuned lexicon on the whole answer (analysis.text.sentiment.score_texts, what an answer's
`sentiment` is); and the tuned lexicon on the mean of clause scores. Clauses are for per-theme
sentiment and the "mixed" label; averaging them for the whole answer ranks answers worse (every
clause weighs the same, "Nothing. Staff excellent." halves), which is why the answer score is
whole-answer.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.core import config  # noqa: E402
from analysis.text import sentiment  # noqa: E402

DATA = ROOT.parent / "shared" / "benchmarks" / "nhs-feedback-phase1" / "text_data.csv"
OUT = ROOT / "bench" / "out" / "sentiment_quality.md"


def load() -> tuple[pd.DataFrame, dict[str, int]]:
    """Feedback with integer criticality in -5..5, and counts of what was dropped and why."""
    raw = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    crit = pd.to_numeric(raw["criticality"].str.strip(), errors="coerce")
    text = raw["feedback"].fillna("")
    dirty = crit.isna() | (crit % 1 != 0) | (crit < -5) | (crit > 5)
    empty = text.str.strip().eq("")
    dropped = {
        "rows": len(raw),
        "dirty criticality": int(dirty.sum()),
        "empty feedback": int((empty & ~dirty).sum()),
    }
    bad_values = sorted(raw.loc[dirty, "criticality"].unique().tolist())
    dropped["dirty values"] = ", ".join(repr(v) for v in bad_values)
    keep = ~dirty & ~empty
    frame = pd.DataFrame(
        {
            "text": text[keep],
            "criticality": crit[keep].astype(int),
            "organization": raw["organization"][keep],
        }
    )
    return frame, dropped


def three_class(values: np.ndarray, band: float) -> np.ndarray:
    """-1 / 0 / 1 with a neutral band around zero."""
    return np.where(values >= band, 1, np.where(values <= -band, -1, 0))


def plain_clause_mean(text: str) -> float:
    """Mean plain-VADER compound over the clauses (clause-aware without the domain tweaks)."""
    clauses = sentiment.split_clauses(text)
    if not clauses:
        return 0.0
    return float(
        np.mean(
            sentiment.plain_vader_scores([sentiment._LEADING_CONTRAST.sub("", c) for c in clauses])
        )
    )


def main() -> int:
    """Score every variant, print the figures and write the markdown table."""
    if not DATA.exists():
        print(f"benchmark data not found at {DATA}", file=sys.stderr)
        return 2
    frame, dropped = load()
    texts = frame["text"].tolist()
    gold = frame["criticality"].to_numpy()
    gold3 = np.sign(gold)
    variants = {
        "plain VADER, whole answer (peer)": lambda: sentiment.plain_vader_scores(texts),
        "plain VADER, mean of clauses": lambda: np.array([plain_clause_mean(t) for t in texts]),
        "domain-tuned, whole answer (ours: answer sentiment)": lambda: sentiment.score_texts(texts),
        "domain-tuned, mean of clauses": lambda: np.array(
            [sentiment.clause_mean(t) for t in texts]
        ),
    }
    subsets = {
        "all rows": np.ones(len(frame), dtype=bool),
        "Trusts A + C": frame["organization"].ne("Trust B").to_numpy(),
    }
    rows = []
    for name, fn in variants.items():
        sentiment._score_tuned.cache_clear()
        sentiment._score_plain.cache_clear()
        start = time.perf_counter()
        scores = np.asarray(fn())
        seconds = time.perf_counter() - start
        for subset, mask in subsets.items():
            pred = three_class(scores[mask], config.SENTIMENT_NEUTRAL_BAND)
            rows.append(
                {
                    "subset": f"{subset} (n={int(mask.sum()):,})",
                    "variant": name,
                    "spearman": spearmanr(scores[mask], gold[mask]).statistic,
                    "accuracy_3class": accuracy_score(gold3[mask], pred),
                    "macro_f1_3class": f1_score(gold3[mask], pred, average="macro"),
                    "seconds": seconds,
                }
            )
    rows.sort(key=lambda r: r["subset"])
    gold_dist = pd.Series(gold3).map({-1: "negative", 0: "neutral", 1: "positive"}).value_counts()
    lines = [
        "# Sentiment quality: human criticality vs VADER variants",
        "",
        f"Data: {DATA.name} ({dropped['rows']:,} rows; dropped {dropped['dirty criticality']} with dirty "
        f"criticality [{dropped['dirty values']}] and {dropped['empty feedback']} with empty feedback; "
        f"{len(frame):,} scored).",
        f"Gold classes: negative < 0 ({gold_dist.get('negative', 0):,}), neutral = 0 "
        f"({gold_dist.get('neutral', 0):,}), positive > 0 ({gold_dist.get('positive', 0):,}). "
        f"Predicted: compound >= {config.SENTIMENT_NEUTRAL_BAND} positive, <= -{config.SENTIMENT_NEUTRAL_BAND} "
        "negative, else neutral.",
        "",
        "| subset | variant | Spearman rho | 3-class accuracy | 3-class macro-F1 | seconds (all rows) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['subset']} | {r['variant']} | {r['spearman']:.3f} | {r['accuracy_3class']:.3f} | "
            f"{r['macro_f1_3class']:.3f} | {r['seconds']:.2f} |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(report, encoding="utf-8")
    print(f"written {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
