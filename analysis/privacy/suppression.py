"""Small-number suppression for counts of people (statistical disclosure control).

The rule (quoted in the meeting pack):

    Counts of people are published only when they are large enough not to identify anyone.
    The threshold is configurable (default 10) but never below 5.
    1. Primary suppression: any count of 1 to threshold-1 people is hidden. A true zero is shown:
       a zero describes nobody, so it cannot identify a person.
    2. Totals: when totals are shown (the default), a row, column or grand total of 1 to
       threshold-1 is hidden too.
    3. Secondary suppression: a hidden number must never be recoverable by subtraction. In every
       row and every column (with its total), if exactly one number is hidden, the next smallest
       non-zero count in that row or column is hidden as well (or the total, if nothing else is
       left). Where there is a choice, a count whose own column (or row) already has one hidden
       number is taken first, because that protects both lines with one extra hidden number.
       This repeats until nothing changes.
    4. Then an exact check: the hidden numbers are treated as unknowns of the linear equations
       "cells add up to their row, column and grand totals"; any hidden number that those
       equations pin down (even through a chain of rows and columns) gets a further neighbour
       hidden, until no hidden number can be worked out.
    A one-way table (a single distribution, e.g. people by age band) is one column with its total.
    Percentages are computed after suppression, and a hidden count has no percentage.

Limits, stated honestly: the check is exact for recovering a hidden number by adding and
subtracting published ones. It does not attempt interval attacks (e.g. knowing a hidden pair adds
up to 11 tells you each is at most 11), which the threshold itself makes harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core import config
from analysis.privacy.secondary import SuppressionProblem, hide_cells
from analysis.privacy.threshold import effective_threshold

logger = logging.getLogger(__name__)


@dataclass
class SuppressedTable:
    """A table of counts after suppression.

    values: same columns as the input; count columns as float with NaN where suppressed.
    suppressed: bool, same shape, True where hidden. threshold: the threshold actually applied.
    row_totals / column_totals / total: the true totals with NaN where hidden (None when that
    margin does not exist: no row totals for a one-column table, no column totals for one row,
    nothing when protect_totals=False).
    """

    values: pd.DataFrame
    suppressed: pd.DataFrame
    threshold: int
    value_columns: list[str] | None = None
    row_totals: pd.Series | None = None
    column_totals: pd.Series | None = None
    total: float | None = None

    @property
    def n_suppressed(self) -> int:
        """Number of hidden cells (totals not included)."""
        return int(self.suppressed.to_numpy().sum())

    def with_totals(self, label: str = "Total") -> pd.DataFrame:
        """The values with a total column and a total row (NaN where a total is hidden)."""
        out = self.values.copy()
        cols = self.value_columns or list(out.columns)
        if self.row_totals is not None:
            out[label] = self.row_totals
        if self.column_totals is not None or self.total is not None:
            row: dict[str, object] = {c: np.nan for c in out.columns}
            if self.column_totals is not None:
                for c in cols:
                    row[c] = self.column_totals[c]
            elif len(cols) == 1:
                row[cols[0]] = self.total
            if self.row_totals is not None:
                row[label] = self.total
            for c in out.columns:
                if c not in cols and c != label:
                    row[c] = label if out[c].dtype == object else np.nan
            out = pd.concat([out, pd.DataFrame([row], index=[label])])
        return out


def _count_columns(table: pd.DataFrame, value_columns: Sequence[str] | None) -> list[str]:
    if value_columns is not None:
        missing = [c for c in value_columns if c not in table.columns]
        if missing:
            raise ValueError(f"value columns not in the table: {missing}")
        return list(value_columns)
    return [
        c
        for c in table.columns
        if pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
    ]


def suppress_counts(
    table: pd.DataFrame | pd.Series,
    *,
    threshold: int = config.SUPPRESSION_THRESHOLD,
    value_columns: list[str] | None = None,
    protect_totals: bool = True,
) -> SuppressedTable:
    """Hide small counts of people, and enough others that no hidden count can be worked out.

    Args:
        table: rows x columns of counts of people (no total row/column: totals are computed here).
            A Series is a one-way distribution (one column).
        threshold: smallest count that may be shown; raised to config.MIN_SUPPRESSION_THRESHOLD.
        value_columns: the count columns (default: every numeric column); other columns are labels
            and pass through unchanged.
        protect_totals: True when row/column/grand totals are published (the safe default), so
            secondary suppression is needed; False only when no total is ever shown.

    Raises ValueError for negative, fractional or missing counts.
    """
    t = effective_threshold(threshold)
    if isinstance(table, pd.Series):
        table = table.to_frame(name=table.name if table.name is not None else "count")
    cols = _count_columns(table, value_columns)
    values = table.copy()
    suppressed = pd.DataFrame(False, index=table.index, columns=table.columns)
    if not cols or len(table) == 0:
        return SuppressedTable(values, suppressed, t, cols)
    counts = _checked_counts(table, cols)
    _warn_if_totals_passed(table, cols, protect_totals)
    problem = SuppressionProblem(counts, protect_totals)
    hidden = hide_cells(problem, t)
    r, c = counts.shape
    cell_hidden = hidden[: r * c].reshape(r, c)
    shown = np.where(cell_hidden, np.nan, counts)
    for j, col in enumerate(cols):
        values[col] = shown[:, j]
        suppressed[col] = cell_hidden[:, j]

    row_totals, column_totals, total = _shown_totals(
        problem, hidden, shown, table.index, cols, protect_totals
    )
    n_hidden = int(cell_hidden.sum())
    if n_hidden:
        logger.debug("suppressed %d of %d cells (threshold %d)", n_hidden, r * c, t)
    return SuppressedTable(values, suppressed, t, cols, row_totals, column_totals, total)


def _checked_counts(table: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """The count columns as a float array; ValueError unless every count is a whole number >= 0."""
    try:
        counts = table[cols].apply(pd.to_numeric, errors="raise").to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"counts must be numbers: {exc}") from None
    if np.isnan(counts).any():
        raise ValueError("counts must not be missing (use 0 for none)")
    if (counts < 0).any():
        raise ValueError("counts of people cannot be negative")
    if (counts != np.round(counts)).any():
        raise ValueError("counts of people must be whole numbers")
    return counts


def _warn_if_totals_passed(table: pd.DataFrame, cols: list[str], protect_totals: bool) -> None:
    """Totals are computed here; a total passed in as a row or column would be protected as a group."""
    labels = [str(x).strip().lower() for x in [*table.index, *cols]]
    if protect_totals and any(
        x in ("total", "all", "all respondents", "grand total") for x in labels
    ):
        logger.warning(
            "suppress_counts: the table seems to include a total; pass it without totals"
        )


def _shown_totals(
    problem: SuppressionProblem,
    hidden: np.ndarray,
    shown: np.ndarray,
    index: pd.Index,
    cols: list[str],
    protect_totals: bool,
) -> tuple[pd.Series | None, pd.Series | None, float | None]:
    """Row totals, column totals and the grand total as published (NaN where hidden)."""
    r, c = shown.shape

    def total_of(var: int) -> float:
        return float("nan") if hidden[var] else float(problem.values[var])

    row_totals = column_totals = None
    total = None
    if problem.grand_var is not None:
        total = total_of(problem.grand_var)
        if problem.row_var is not None and c > 1:
            row_totals = pd.Series([total_of(v) for v in problem.row_var], index=index)
        if problem.col_var is not None and r > 1:
            column_totals = pd.Series([total_of(v) for v in problem.col_var], index=cols)
    elif protect_totals:  # a single cell: its total is itself
        total = float(shown[0, 0])
    return row_totals, column_totals, total


@dataclass
class SuppressedRates:
    """Theme-by-group rates after suppression on the group size.

    rates: share (0-100) of each group's people raising each theme, NaN for suppressed groups.
    numerators: the counts, NaN for suppressed groups. denominators: group sizes, NaN where hidden.
    suppressed: bool per group (True = the whole row is hidden).
    """

    rates: pd.DataFrame
    numerators: pd.DataFrame
    denominators: pd.Series
    suppressed: pd.Series
    threshold: int


def rates_with_suppression(
    numerators: pd.DataFrame,
    denominators: pd.Series,
    threshold: int | None = None,
    *,
    decimals: int = 1,
) -> SuppressedRates:
    """Rates of a theme per group, hiding whole groups that are too small to show.

    The rule is on the group (the denominator), because a small group is what identifies people:
    a group of 3 is identifying whatever they said; 2 people out of a group of 200 raising a theme
    identifies nobody (and hiding them would hide the rare themes that matter most). So: a group
    of 1 to threshold-1 people is hidden entirely, and the group sizes get secondary suppression
    as a one-way table with its total, so a hidden group cannot be worked out from the total and
    the other groups; every group whose size is hidden has its whole row of rates hidden too.
    Empty groups (0 people) have no rate (NaN) and are not a disclosure.
    """
    t = effective_threshold(threshold)
    denom = pd.to_numeric(denominators, errors="raise").astype(float)
    num = numerators.reindex(denom.index).astype(float)
    if (num.to_numpy() > denom.to_numpy()[:, None]).any():
        raise ValueError("a numerator is larger than its group size")
    sizes = suppress_counts(denom.fillna(0).to_frame("n"), threshold=t)
    hidden = sizes.suppressed["n"]
    shown_denom = sizes.values["n"]
    rates = (num.div(denom.where(denom > 0), axis=0) * 100).round(decimals)
    rates[hidden] = np.nan
    num_out = num.copy()
    num_out[hidden] = np.nan
    return SuppressedRates(rates, num_out, shown_denom, hidden.astype(bool), t)
