"""Theme x group matrix: where a group raises a theme more or less than everyone else.

Each cell compares the share of a group's answers raising a theme with the share among everyone
else (two-proportion z test, or Fisher's exact test when counts are small). Many cells are tested
at once, so the Benjamini-Hochberg procedure controls the false discovery rate across the matrix:
only cells that survive it are marked as findings. Groups with fewer respondents than the
suppression threshold are suppressed through analysis.privacy (with secondary suppression so a
hidden group cannot be recovered from the total).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis import privacy
from analysis.core import config
from analysis.core.errors import WithheldError
from analysis.core.frames import codes_in, positions_in
from analysis.core.proportions import bh_adjust, two_proportion_test
from analysis.findings.theme_privacy import hidden_cells
from analysis.findings.theme_tables import (
    chosen_ids_raising,
    group_values,
    label_for,
    memberships,
    respondent_keys,
)

log = logging.getLogger(__name__)

GROUP_COLUMNS: tuple[str, ...] = (
    "respondent_type",
    "service",
    "locality",
    "round",
    "question",
    *config.DEMOGRAPHIC_COLUMNS,
)
CELL_COLUMNS = [
    "theme_id",
    "theme",
    "group",
    "respondents",
    "answers",
    "raising",
    "share_pct",
    "rest_answers",
    "rest_raising",
    "rest_share_pct",
    "diff_pp",
    "test",
    "p_value",
    "q_value",
    "significant",
    "direction",
    "suppressed",
]


class SuppressedCellError(WithheldError):
    """The chosen group is too small to show; the message says so in plain words."""


@dataclass
class GroupComparison:
    """The long table of cells plus matrices for charts; suppressed cells are NaN."""

    group_column: str
    cells: pd.DataFrame
    threshold: int
    alpha: float
    suppressed_groups: list[str] = field(default_factory=list)

    def matrix(self, value: str = "diff_pp") -> pd.DataFrame:
        """Themes (rows, in cell order) x groups (columns) of one cell column."""
        themes = list(dict.fromkeys(self.cells["theme"]))
        groups = list(dict.fromkeys(self.cells["group"]))
        return self.cells.pivot(index="theme", columns="group", values=value).reindex(
            index=themes, columns=groups
        )

    def findings(self) -> pd.DataFrame:
        """Significant cells only, biggest difference first."""
        f = self.cells[self.cells["significant"]]
        return f.reindex(f["diff_pp"].abs().sort_values(ascending=False).index)


def compare_groups(
    responses: pd.DataFrame,
    assignments: pd.DataFrame,
    group_column: str,
    *,
    labels: Mapping[str, str] | None = None,
    theme_ids: Iterable[str] | None = None,
    threshold: int | None = None,
    alpha: float = config.COMPARE_ALPHA,
) -> GroupComparison:
    """Compare every group of `group_column` with everyone else, for every theme.

    Args:
        responses: the chosen canonical answers.
        assignments: ThemeResult.assignments covering them.
        group_column: a responses column (see GROUP_COLUMNS); missing values form "Not recorded".
        labels: theme id -> label.
        theme_ids: themes (rows) to compare; default every theme raised, specials included.
        threshold: suppression threshold (never below config.MIN_SUPPRESSION_THRESHOLD).
        alpha: false discovery rate.
    """
    threshold = privacy.effective_threshold(threshold)
    groups = group_values(responses, group_column)
    m = memberships(responses, assignments)
    if theme_ids is None:
        seen = [str(t) for t in m["theme_id"].unique()]
        theme_ids = [t for t in seen if t not in config.SPECIAL_THEME_IDS]
        theme_ids = sorted(theme_ids) + [t for t in config.SPECIAL_THEME_IDS if t in seen]
    theme_ids = list(dict.fromkeys(theme_ids))
    sizes = _group_sizes(responses, groups, group_column, threshold)
    group_order, hidden = sizes.order, sizes.hidden
    raising = _raising(responses, groups, m, theme_ids, sizes)
    n_all = int(sizes.answers.sum())
    few = hidden_cells(
        responses, assignments, theme_ids, sizes.codes, ~hidden.to_numpy(dtype=bool), threshold
    )
    rows = [
        _cell(t, label_for(t, labels), g, sizes, raising, n_all, bool(few[i, j]))
        for i, t in enumerate(theme_ids)
        for j, g in enumerate(group_order)
    ]
    cells = _with_tests(pd.DataFrame(rows).reindex(columns=CELL_COLUMNS), alpha)
    suppressed = [g for g in group_order if hidden[g]]
    if suppressed:
        log.info("compare %s: %d group(s) suppressed", group_column, len(suppressed))
    return GroupComparison(
        group_column=group_column,
        cells=cells,
        threshold=threshold,
        alpha=alpha,
        suppressed_groups=suppressed,
    )


def _cell(
    theme: str,
    label: str,
    group: str,
    sizes: _Groups,
    raising: pd.DataFrame,
    n_all: int,
    too_few: bool = False,
) -> dict:
    """One theme in one group against everyone else: counts, shares and the test (none if hidden).

    Hidden when the group is (too few people in it) or when `too_few` (too few of its people, or of
    everyone else, raised the theme or did not: analysis.findings.theme_privacy.hidden_cells).
    """
    row: dict = {"theme_id": theme, "theme": label, "group": group}
    row["suppressed"] = bool(sizes.hidden[group]) or too_few
    if row["suppressed"]:
        return {**row, "test": "suppressed", "p_value": np.nan}
    k_all = int(raising.loc[theme].sum())
    n_g, k_g = int(sizes.answers[group]), int(raising.loc[theme, group])
    n_r, k_r = n_all - n_g, k_all - k_g
    p, test = two_proportion_test(k_g, n_g, k_r, n_r)
    return {
        **row,
        "respondents": int(sizes.people[group]),
        "answers": n_g,
        "raising": k_g,
        "share_pct": round(100 * k_g / n_g, 1) if n_g else np.nan,
        "rest_answers": n_r,
        "rest_raising": k_r,
        "rest_share_pct": round(100 * k_r / n_r, 1) if n_r else np.nan,
        "diff_pp": round(100 * (k_g / n_g - k_r / n_r), 1) if n_g and n_r else np.nan,
        "test": test,
        "p_value": p,
    }


def _with_tests(cells: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Cells with false-discovery-adjusted q values, significance and direction in words."""
    cells["q_value"] = bh_adjust(cells["p_value"].to_numpy())
    cells["significant"] = (cells["q_value"] < alpha).fillna(False).astype(bool) & ~cells[
        "suppressed"
    ]
    cells["direction"] = np.select(
        [
            cells["significant"] & (cells["diff_pp"] > 0),
            cells["significant"] & (cells["diff_pp"] < 0),
        ],
        ["more than everyone else", "less than everyone else"],
        default="",
    )
    for col in ("respondents", "answers", "raising", "rest_answers", "rest_raising"):
        cells[col] = pd.to_numeric(cells[col], errors="coerce").astype("Int64")
    return cells


def _group_order(groups: pd.Series, column: str) -> list[str]:
    values = [str(v) for v in pd.unique(groups)]
    if column == "round":
        from analysis.core.filters import sorted_rounds

        known = sorted_rounds([v for v in values if v != config.NOT_RECORDED])
    elif column == "respondent_type":
        known = [t for t in config.RESPONDENT_TYPES if t in values]
        known += sorted(v for v in values if v not in known and v != config.NOT_RECORDED)
    else:
        known = sorted(v for v in values if v != config.NOT_RECORDED)
    return known + ([config.NOT_RECORDED] if config.NOT_RECORDED in values else [])


class _Groups(NamedTuple):
    order: list[str]  # display order of the groups
    codes: np.ndarray  # each chosen answer's position in `order`
    people: pd.Series  # respondents per group
    answers: pd.Series  # answers per group
    hidden: pd.Series  # True where suppression hides the group


def _group_sizes(
    responses: pd.DataFrame, groups: pd.Series, group_column: str, threshold: int
) -> _Groups:
    """The groups, their sizes and which of them suppression hides."""
    group_order = _group_order(groups, group_column)
    # Counted on integer codes: grouping 200,000 text keys by text groups took a quarter of a second.
    g = codes_in(groups, group_order)
    person, distinct = pd.factorize(respondent_keys(responses))
    width = np.int64(max(len(distinct), 1))
    pairs = np.unique(g.astype(np.int64) * width + person)
    people = pd.Series(np.bincount(pairs // width, minlength=len(group_order)), index=group_order)
    n_answers = pd.Series(np.bincount(g, minlength=len(group_order)), index=group_order)
    sup = privacy.suppress_counts(people.to_frame("respondents"), threshold=threshold)
    hidden = sup.suppressed["respondents"].reindex(group_order).fillna(False).astype(bool)
    return _Groups(group_order, g, people, n_answers, hidden)


def _raising(
    responses: pd.DataFrame,
    groups: pd.Series,
    m: pd.DataFrame,
    theme_ids: list[str],
    sizes: _Groups,
) -> pd.DataFrame:
    """Theme x group: distinct answers of the group raising the theme."""
    rid = responses["response_id"].astype("string")
    if rid.nunique(dropna=False) == len(rid):
        # Each answer is in one group and memberships are distinct pairs, so counting rows is counting
        # answers: positions and codes instead of a join on 200,000 text ids.
        where = positions_in(m["response_id"], rid)
        t_code = codes_in(m["theme_id"], theme_ids)
        g_code = np.where(where >= 0, sizes.codes[np.maximum(where, 0)], -1)
        ok = (t_code >= 0) & (g_code >= 0)
        counts = np.zeros((len(theme_ids), len(sizes.order)), dtype=np.int64)
        np.add.at(counts, (t_code[ok], g_code[ok]), 1)
        return pd.DataFrame(counts, index=theme_ids, columns=sizes.order)
    frame = pd.DataFrame({"response_id": rid.to_numpy(), "group": groups.to_numpy()})
    joined = m.merge(frame, on="response_id")
    return (
        joined.groupby(["theme_id", "group"])["response_id"]
        .nunique()
        .unstack(fill_value=0)
        .reindex(index=theme_ids, columns=sizes.order, fill_value=0)
    )


def cell_response_ids(
    responses: pd.DataFrame,
    assignments: pd.DataFrame,
    group_column: str,
    group: str,
    theme_id: str,
    *,
    threshold: int | None = None,
) -> list[str]:
    """Ids of the answers behind one (theme, group) cell; SuppressedCellError for a hidden group."""
    threshold = privacy.effective_threshold(threshold)
    groups = group_values(responses, group_column)
    # The same suppression as the comparison's (one function decides both), without its tests.
    hidden = _group_sizes(responses, groups, group_column, threshold).hidden
    if bool(hidden.get(group, False)):
        raise SuppressedCellError(
            f"The group \u201c{group}\u201d has too few respondents to show (fewer than "
            f"{threshold}, or hidden so a small group cannot be worked out)."
        )
    return chosen_ids_raising(
        responses.loc[(groups == group).to_numpy(dtype=bool)], assignments, [theme_id]
    )


def available_group_columns(responses: pd.DataFrame) -> list[str]:
    """Grouping columns that have at least two distinct values in the chosen answers."""
    out = []
    for col in GROUP_COLUMNS:
        if col in responses and responses[col].nunique(dropna=False) >= 2:
            out.append(col)
    return out
