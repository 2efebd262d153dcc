"""Shared joins between canonical responses and a ThemeResult (answers / assignments tables)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis.core import config
from analysis.core.frames import isin_many
from analysis.core.memo import FrameMemo
from analysis.privacy.people import count_people, person_keys

# Joins asked for again and again by one page's tables (see analysis/core/memo.py). Callers get a copy,
# so nothing they do to a result reaches the memo. The frames passed in must not be changed in place.
_MEMO = FrameMemo(32)

# Columns of ThemeResult.assignments this module relies on (the contract's long table).
ASSIGNMENT_COLUMNS = ("response_id", "theme_id", "score", "sentiment", "evidence")
ANSWER_COLUMNS = ("response_id", "themes", "n_themes", "sentiment", "sentiment_label", "complex")


def respondent_keys(responses: pd.DataFrame) -> pd.Series:
    """One key per respondent: respondent_id when given, else the answer's own id (one person each).

    The definition lives in analysis.privacy.people, so privacy rules and tables count people alike.
    """
    return person_keys(responses)


def count_respondents(responses: pd.DataFrame) -> int:
    """Distinct respondents in a responses table (answers without respondent_id count once each)."""
    return count_people(responses)


def theme_labels(codebook=None, extra: Mapping[str, str] | None = None) -> dict[str, str]:  # noqa: ANN001
    """Theme id -> label from a codebook (retired themes included) plus the special themes."""
    labels: dict[str, str] = {}
    if codebook is not None:
        for theme in codebook.themes:
            labels[theme.id] = theme.label
    labels.update(config.SPECIAL_THEME_LABELS)
    if extra:
        labels.update(extra)
    return labels


def label_for(theme_id: str, labels: Mapping[str, str] | None) -> str:
    """The label of a theme id, falling back to a readable form of the id."""
    if labels and theme_id in labels:
        return str(labels[theme_id])
    return str(theme_id).replace("_", " ").capitalize()


def memberships(responses: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """Distinct (response_id, theme_id) pairs for the chosen answers, with the theme's sentiment.

    Answers missing from `assignments` (should not happen) are counted as unassigned so no answer
    silently disappears from a denominator. Memoised on the two frames' identity.
    """
    return _MEMO.get_or_compute(
        (responses, assignments), "memberships", lambda: _memberships(responses, assignments)
    ).copy()


def _memberships(responses: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    ids = responses["response_id"].astype("string")
    # Select the chosen answers first and convert only them: assignments cover the whole dataset.
    a = assignments.loc[isin_many(assignments["response_id"], ids)].copy()
    a["response_id"] = a["response_id"].astype("string")
    a["theme_id"] = a["theme_id"].astype("string")
    if "sentiment" not in a:
        a["sentiment"] = float("nan")
    if "evidence" not in a:
        a["evidence"] = ""
    a = a.drop_duplicates(["response_id", "theme_id"])
    missing = sorted(set(ids[~isin_many(ids, a["response_id"])].dropna()))
    if missing:
        a = pd.concat(
            [
                a,
                pd.DataFrame(
                    {
                        "response_id": pd.Series(missing, dtype="string"),
                        "theme_id": config.UNASSIGNED,
                        "sentiment": float("nan"),
                        "evidence": "",
                    }
                ),
            ],
            ignore_index=True,
        )
    a["sentiment"] = pd.to_numeric(a["sentiment"], errors="coerce")
    return a[["response_id", "theme_id", "sentiment", "evidence"]].reset_index(drop=True)


def chosen_ids_raising(
    responses: pd.DataFrame, assignments: pd.DataFrame, theme_ids: Iterable[str]
) -> list[str]:
    """Ids of the chosen answers raising every one of `theme_ids`, in the responses' order (each once)."""
    chosen = responses["response_id"].astype("string")
    keep = np.ones(len(chosen), dtype=bool)
    for theme_id in theme_ids:
        raising = assignments.loc[
            (assignments["theme_id"] == theme_id).to_numpy(dtype=bool), "response_id"
        ]
        keep &= isin_many(chosen, raising)
    return chosen[keep].drop_duplicates().astype(str).tolist()


def group_values(responses: pd.DataFrame, column: str) -> pd.Series:
    """A grouping column as strings with missing values shown as config.NOT_RECORDED."""
    if column not in responses:
        raise KeyError(f'There is no column "{column}" in this dataset.')
    return _MEMO.get_or_compute(
        (responses,), ("group_values", column), lambda: _group_values(responses, column)
    ).copy()


def _group_values(responses: pd.DataFrame, column: str) -> pd.Series:
    return (
        responses[column]
        .astype("string")
        .fillna(config.NOT_RECORDED)
        .str.strip()
        .replace("", config.NOT_RECORDED)
    )
