"""The two tables a classification returns: one row per answer, and one row per (answer, theme).

Built from the per-answer entries the pipeline caches (and the classify job stores), with people's
corrections applied on top: a person's word about a theme is final.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.core import config

ANSWER_COLUMNS = (
    "response_id",
    "themes",
    "n_themes",
    "sentiment",
    "sentiment_label",
    "complex",
)
ASSIGNMENT_COLUMNS = ("response_id", "theme_id", "score", "sentiment", "evidence")


class _Cached(NamedTuple):
    themes: tuple[str, ...]
    scores: tuple[float, ...]
    evidence: tuple[str, ...]
    theme_sentiment: tuple[float, ...]
    sentiment: float
    sentiment_label: str


def _correction_overrides(
    rids: list[str], corrections: pd.DataFrame, theme_ids: list[str]
) -> dict[str, dict[str, bool]]:
    """response_id -> {theme_id: present} from people's corrections (a person's word is final)."""
    from analysis.themes.corrections import _truthy

    if "response_id" not in corrections.columns:
        return {}
    present = set(rids)
    out: dict[str, dict[str, bool]] = {}
    for rid, tid, p in zip(
        corrections["response_id"].astype(str),
        corrections["theme_id"].astype(str),
        corrections["present"],
    ):
        if rid in present and tid in theme_ids:
            out.setdefault(rid, {})[tid] = _truthy(p)
    return out


def _corrected(e: _Cached, fix: dict[str, bool] | None) -> tuple[list, list, list, list]:
    """An entry's (themes, scores, evidence, theme sentiment), with people's corrections applied."""
    themes, scores, evid, tsent = (
        list(e.themes),
        list(e.scores),
        list(e.evidence),
        list(e.theme_sentiment),
    )
    if fix and themes[0] != config.NO_CONTENT:
        real = [
            (t, s, v, ts)
            for t, s, v, ts in zip(themes, scores, evid, tsent)
            if t not in config.SPECIAL_THEME_IDS
        ]
        real = [r for r in real if fix.get(r[0], True)]
        have = {r[0] for r in real}
        real += [(t, 1.0, "", e.sentiment) for t, p in fix.items() if p and t not in have]
        if not real:
            real = [(config.UNASSIGNED, 1.0, "", e.sentiment)]
        themes, scores, evid, tsent = (list(x) for x in zip(*real))
    return themes, scores, evid, tsent


def _answers_frame(a_rows: list[tuple]) -> pd.DataFrame:
    """The answers table from its rows, with the column types pages rely on."""
    answers = pd.DataFrame(a_rows, columns=list(ANSWER_COLUMNS))
    # Ids and theme ids as Arrow-backed text once here, not on every join a page makes with them.
    for col in ("response_id", "themes", "sentiment_label"):
        answers[col] = answers[col].astype("string")
    answers["n_themes"] = answers["n_themes"].astype("int64")
    answers["sentiment"] = answers["sentiment"].astype("float64")
    answers["complex"] = answers["complex"].astype(bool)
    return answers


def _assignments_frame(columns: dict[str, list]) -> pd.DataFrame:
    """The long assignments table from its columns (response_id, theme_id, score, sentiment, evidence)."""
    assignments = pd.DataFrame(
        {
            "response_id": columns["response_id"],
            "theme_id": columns["theme_id"],
            "score": np.asarray(columns["score"], dtype=float),
            "sentiment": np.asarray(columns["sentiment"], dtype=float),
            "evidence": columns["evidence"],
        },
        columns=list(ASSIGNMENT_COLUMNS),
    )
    for col in ("response_id", "theme_id", "evidence"):
        assignments[col] = assignments[col].astype("string")
    return assignments


def _frames(
    rids: list[str],
    entries: list[_Cached],
    overrides: dict,
    sentiment_fixes: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the answers table and the long assignments table. sentiment_fixes: {response_id:
    label} from people's sentiment corrections, final for those answers."""
    from analysis.text.sentiment_teach import label_score

    fixes = sentiment_fixes or {}
    a_rows: list[tuple] = []
    long: dict[str, list] = {c: [] for c in ASSIGNMENT_COLUMNS}
    for rid, e in zip(rids, entries):
        themes, scores, evid, tsent = _corrected(e, overrides.get(rid))
        special = themes[0] in config.SPECIAL_THEME_IDS
        n_themes = 0 if special else len(themes)
        label = fixes.get(rid)
        score, label = (
            (e.sentiment, e.sentiment_label) if label is None else (label_score(label), label)
        )
        a_rows.append(
            (rid, "|".join(themes), n_themes, score, label, n_themes >= 3 or label == "mixed")
        )
        long["response_id"].extend([rid] * len(themes))
        long["theme_id"].extend(themes)
        long["score"].extend(scores)
        long["sentiment"].extend(tsent)
        long["evidence"].extend(evid)
    return _answers_frame(a_rows), _assignments_frame(long)
