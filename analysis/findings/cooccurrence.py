"""Which themes occur together in the same answer: counts, lift and Jaccard similarity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import privacy
from analysis.core import config
from analysis.findings.theme_privacy import theme_masks
from analysis.findings.theme_tables import chosen_ids_raising, label_for, memberships

PAIR_COLUMNS = [
    "theme_a",
    "theme_b",
    "label_a",
    "label_b",
    "both",
    "count_a",
    "count_b",
    "lift",
    "jaccard",
]


@dataclass
class CoOccurrence:
    """Square theme x theme tables (theme ids on both axes) and the number of answers behind them."""

    counts: (
        pd.DataFrame
    )  # answers raising both (diagonal: answers raising the theme); NaN if hidden
    lift: pd.DataFrame  # P(A and B) / (P(A) P(B)); 1 = independent, >1 = together more than chance
    jaccard: pd.DataFrame  # |A and B| / |A or B|
    n_answers: int
    labels: dict[str, str]
    hidden: pd.DataFrame | None = None  # True where too few people raised the pair (or a theme)

    def pairs(self, min_count: int = 1) -> pd.DataFrame:
        """One row per unordered pair of different themes seen together at least `min_count` times."""
        ids = list(self.counts.index)
        rows = []
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if self.hidden is not None and (
                    self.hidden.loc[a, b] or self.hidden.loc[a, a] or self.hidden.loc[b, b]
                ):
                    continue  # the small-group rule hides this pair or one of its themes
                both = int(self.counts.loc[a, b])
                if both >= min_count:
                    rows.append(
                        {
                            "theme_a": a,
                            "theme_b": b,
                            "label_a": self.labels.get(a, a),
                            "label_b": self.labels.get(b, b),
                            "both": both,
                            "count_a": int(self.counts.loc[a, a]),
                            "count_b": int(self.counts.loc[b, b]),
                            "lift": float(self.lift.loc[a, b]),
                            "jaccard": float(self.jaccard.loc[a, b]),
                        }
                    )
        out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
        return out.sort_values(["both", "lift"], ascending=False, kind="mergesort").reset_index(
            drop=True
        )


def cooccurrence(
    responses: pd.DataFrame,
    assignments: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    theme_ids: Iterable[str] | None = None,
    threshold: int | None = None,
) -> CoOccurrence:
    """Co-occurrence of real themes (specials excluded: an answer with them has no other theme).

    A pair raised together by fewer than `threshold` people (or by all but a few), and every pair of
    a theme the small-group rule hides (analysis.findings.theme_privacy), has no figures: NaN, and
    True in `hidden`.
    """
    m = memberships(responses, assignments)
    m = m[~m["theme_id"].isin(config.SPECIAL_THEME_IDS)]
    if theme_ids is None:
        theme_ids = sorted(set(m["theme_id"]))
    theme_ids = [t for t in theme_ids if t not in config.SPECIAL_THEME_IDS]
    n = len(responses)
    both = _pair_counts(m, theme_ids)
    single = np.diag(both).copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        lift = np.where(np.outer(single, single) > 0, both * n / np.outer(single, single), np.nan)
        union = single[:, None] + single[None, :] - both
        jac = np.where(union > 0, both / union, np.nan)
    hidden = _hidden_pairs(responses, assignments, theme_ids, both, threshold)
    frame = lambda a: pd.DataFrame(a, index=theme_ids, columns=theme_ids)  # noqa: E731
    counts = frame(both.astype(int))
    if hidden.any():
        counts = counts.astype(float).mask(hidden)
    return CoOccurrence(
        counts=counts,
        lift=frame(np.where(hidden, np.nan, lift)).round(2),
        jaccard=frame(np.where(hidden, np.nan, jac)).round(3),
        n_answers=int(n),
        labels={t: label_for(t, labels) for t in theme_ids},
        hidden=frame(hidden),
    )


def _hidden_pairs(
    responses: pd.DataFrame,
    assignments: pd.DataFrame,
    theme_ids: list[str],
    both: np.ndarray,
    threshold: int | None,
) -> np.ndarray:
    """Theme x theme: True where the small-group rule hides the pair (diagonal: the theme)."""
    k = len(theme_ids)
    hidden = np.zeros((k, k), dtype=bool)
    if k == 0 or len(responses) == 0:
        return hidden
    t = privacy.effective_threshold(threshold)
    masks = theme_masks(responses, assignments, theme_ids)
    for i, a in enumerate(theme_ids):
        for j in range(i, k):
            if both[i, j] == 0:
                continue  # no answer: nothing to hide
            # Fewer answers than the threshold means fewer people too: no need to count them.
            small = (
                both[i, j] < t
                or privacy.check_subset(responses, masks[a] & masks[theme_ids[j]], t).withheld
            )
            hidden[i, j] = hidden[j, i] = small
    themes_hidden = np.diag(hidden).copy()
    hidden[themes_hidden, :] = True
    hidden[:, themes_hidden] = True
    return hidden


def _pair_counts(m: pd.DataFrame, theme_ids: list[str]) -> np.ndarray:
    """Theme x theme counts of answers raising both (diagonal: answers raising each), as floats.

    A sparse answer x theme indicator times its transpose: a dense crosstab of 200,000 answers took
    over a second, this takes a few hundredths.
    """
    column = {t: k for k, t in enumerate(theme_ids)}
    cols = m["theme_id"].map(column)
    keep = cols.notna().to_numpy()
    if not keep.any():
        return np.zeros((len(theme_ids), len(theme_ids)))
    rows, _ = pd.factorize(m["response_id"][keep])
    x = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols.to_numpy()[keep].astype(int))),
        shape=(int(rows.max()) + 1, len(theme_ids)),
    )
    x.data = np.minimum(x.data, 1.0)  # a repeated (answer, theme) pair still counts once
    return (x.T @ x).toarray()


def answers_with_both(
    responses: pd.DataFrame, assignments: pd.DataFrame, theme_a: str, theme_b: str
) -> list[str]:
    """Ids of the chosen answers that raise both themes, in the responses' order."""
    return chosen_ids_raising(responses, assignments, [theme_a, theme_b])
