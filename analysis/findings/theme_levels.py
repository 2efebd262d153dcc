"""Two levels of themes: a theme may have a parent (as the NHS framework has categories and
sub-categories). Figures and tables roll up to the parent (an answer raising a sub-theme raises its
parent too) and drill down to the children of one parent.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.core import config

ALL_LEVELS = "all"
TOP_LEVEL = "top"


def theme_parents(codebook: object) -> dict[str, str]:
    """Active sub-theme id -> its active parent's id (a parent that is retired or missing: none)."""
    active = {t.id for t in codebook.themes if not t.retired}
    return {
        t.id: t.parent
        for t in codebook.themes
        if not t.retired and t.parent and t.parent in active and t.parent != t.id
    }


def roll_up(assignments: pd.DataFrame, parents: Mapping[str, str]) -> pd.DataFrame:
    """Assignments with the parent added wherever an answer raises a sub-theme but not its parent.

    The classifiers already raise the parent with the child; a person's judgement of the child alone
    (or a model from elsewhere) may not, and a parent's figures must still count that answer. The
    added row takes the child's score, sentiment and evidence. Returns `assignments` itself when
    nothing is missing.
    """
    if assignments.empty or not parents:
        return assignments
    # Pairs are compared as integer codes (response code x number of themes + theme code): at
    # 300,000 assignments a set of (text, text) tuples took 1.5 s of a first page open.
    codes, uniques = pd.factorize(assignments["theme_id"])
    index = {str(u): i for i, u in enumerate(uniques)}
    for parent in parents.values():
        index.setdefault(parent, len(index))
    parent_code = np.array([index[parents[str(u)]] if str(u) in parents else -1 for u in uniques])
    row_parent = np.where(codes >= 0, parent_code[codes] if len(uniques) else -1, -1)
    is_child = row_parent >= 0
    if not is_child.any():
        return assignments
    rid, answer_ids = pd.factorize(assignments["response_id"])
    # One flag per (answer, theme) pair held, looked up by position: np.isin sorted the pair codes
    # when they spread wide (0.13-0.19 s at 200,000 answers); one byte per answer and theme (about
    # 50 MB for a million answers and 50 themes, freed on return).
    held = np.zeros(max(len(answer_ids), 1) * len(index), dtype=bool)
    known = (rid >= 0) & (codes >= 0)
    held[rid[known].astype(np.int64) * len(index) + codes[known]] = True
    child_rid = rid[is_child].astype(np.int64)
    wanted = child_rid * len(index) + row_parent[is_child]
    # (a row without an answer id belongs to no answer: nothing to count it under)
    missing_rows = (child_rid >= 0) & ~held[np.where(child_rid >= 0, wanted, 0)]
    if not missing_rows.any():
        return assignments
    missing = assignments[is_child][missing_rows]
    missing = missing.assign(theme_id=missing["theme_id"].astype(str).map(parents))
    missing = missing.drop_duplicates(["response_id", "theme_id"])
    return pd.concat([assignments, missing.astype(assignments.dtypes.to_dict())], ignore_index=True)


def level_options(summary: pd.DataFrame, parents: Mapping[str, str]) -> list[str]:
    """The levels a table can show: TOP_LEVEL, ALL_LEVELS, then each parent that has sub-themes."""
    present = set(summary["theme_id"].astype(str))
    with_children = [p for p in dict.fromkeys(parents.values()) if p in present]
    return [TOP_LEVEL, ALL_LEVELS, *with_children]


def level_rows(
    summary: pd.DataFrame, parents: Mapping[str, str], level: str = TOP_LEVEL
) -> pd.DataFrame:
    """The rows of a theme summary for one level, in the summary's order, with `sub_themes` counts.

    TOP_LEVEL: themes with no parent (their figures include their sub-themes' answers) and the
    special rows; ALL_LEVELS: every row; a parent's id: that parent's sub-themes (drill down).
    """
    counts = pd.Series(list(parents.values()), dtype=object).value_counts()
    ids = summary["theme_id"].astype(str)
    if level == ALL_LEVELS:
        keep = pd.Series(True, index=summary.index)
    elif level == TOP_LEVEL:
        keep = ~ids.isin(list(parents)) | ids.isin(list(config.SPECIAL_THEME_IDS))
    else:
        keep = ids.map(lambda t: parents.get(t) == level)
    out = summary[keep.to_numpy()].copy()
    out["sub_themes"] = out["theme_id"].astype(str).map(counts).fillna(0).astype(int).to_numpy()
    return out


def headline_rows(summary: pd.DataFrame, parents: Mapping[str, str], n: int = 5) -> pd.DataFrame:
    """The n main themes raised in the most answers (the summary's order), each counting its
    sub-themes' answers, so a parent and its children are never listed side by side; special rows
    (unassigned, no content) and themes no answer raised are left out. Adds `sub_themes`."""
    top = level_rows(summary, parents, TOP_LEVEL)
    special = top["theme_id"].astype(str).isin(list(config.SPECIAL_THEME_IDS))
    if "special" in top.columns:
        special |= top["special"].astype(bool)
    return top[~special.to_numpy() & (top["answers"] > 0).to_numpy()].head(n)
