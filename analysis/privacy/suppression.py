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
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core import config

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


def effective_threshold(value: int | None = None) -> int:
    """The threshold to apply: `value` (default config value), never below the minimum."""
    if value is None:
        value = config.SUPPRESSION_THRESHOLD
    if isinstance(value, bool):
        raise ValueError("suppression threshold must be a whole number, not True/False")
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"suppression threshold must be a whole number, got {value!r}") from None
    if math.isnan(as_float) or as_float != int(as_float):
        raise ValueError(f"suppression threshold must be a whole number, got {value!r}")
    threshold = int(as_float)
    if threshold < config.MIN_SUPPRESSION_THRESHOLD:
        logger.warning(
            "suppression threshold %s raised to the minimum %s",
            threshold,
            config.MIN_SUPPRESSION_THRESHOLD,
        )
        return config.MIN_SUPPRESSION_THRESHOLD
    return threshold


def check_group_size(n: int | float | None, threshold: int | None = None) -> bool:
    """True when a group of `n` people is big enough to show any breakdown of it."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return False
    return n >= effective_threshold(threshold)


def _is_small(v: float, t: int) -> bool:
    return 0 < v < t


class _Problem:
    """Cells plus totals as variables, and the lines (members, total) that must add up."""

    def __init__(self, counts: np.ndarray, protect_totals: bool) -> None:
        r, c = counts.shape
        self.r, self.c = r, c
        vals: list[float] = list(counts.ravel().astype(float))
        self.n_cells = r * c
        self.row_var: list[int] | None = None
        self.col_var: list[int] | None = None
        self.grand_var: int | None = None
        self.lines: list[tuple[list[int], int]] = []
        if protect_totals and r * c > 1:
            self.grand_var = len(vals)
            vals.append(float(counts.sum()))
            if c > 1:
                if r > 1:
                    self.row_var = list(range(len(vals), len(vals) + r))
                    vals += [float(x) for x in counts.sum(axis=1)]
                else:
                    self.row_var = [self.grand_var]
                for i in range(r):
                    self.lines.append(([i * c + j for j in range(c)], self.row_var[i]))
            if r > 1:
                if c > 1:
                    self.col_var = list(range(len(vals), len(vals) + c))
                    vals += [float(x) for x in counts.sum(axis=0)]
                else:
                    self.col_var = [self.grand_var]
                for j in range(c):
                    self.lines.append(([i * c + j for i in range(r)], self.col_var[j]))
            if r > 1 and c > 1:
                assert self.row_var is not None and self.col_var is not None
                self.lines.append((list(self.row_var), self.grand_var))
                self.lines.append((list(self.col_var), self.grand_var))
        self.values = np.array(vals, dtype=float)
        self.lines_of: list[list[int]] = [[] for _ in vals]
        for k, (members, total) in enumerate(self.lines):
            for v in members:
                self.lines_of[v].append(k)
            self.lines_of[total].append(k)

    def matrix(self) -> np.ndarray:
        """Coefficients of the equations sum(members) - total = 0, one row per line."""
        m = np.zeros((len(self.lines), len(self.values)))
        for k, (members, total) in enumerate(self.lines):
            m[k, members] = 1.0
            m[k, total] = -1.0
        return m


def _hidden_in_line(problem: _Problem, hidden: np.ndarray, line: int) -> int:
    members, total = problem.lines[line]
    return int(hidden[members].sum()) + int(hidden[total])


def _hide_next(problem: _Problem, hidden: np.ndarray, line: int) -> bool:
    """Hide the next smallest shown non-zero member of `line` (or its total); False if none.

    Among candidates, one whose other row/column already has exactly one hidden number is
    preferred (hiding it protects two lines at once), and one that would leave a new line with a
    single hidden number is avoided; then the smallest count; ties by position (deterministic).
    """
    members, total = problem.lines[line]
    candidates = [v for v in members if not hidden[v] and problem.values[v] > 0]
    if candidates:

        def cost(v: int) -> tuple[int, float, int]:
            score = 0
            for k in problem.lines_of[v]:
                if k == line:
                    continue
                n = _hidden_in_line(problem, hidden, k)
                score += 1 if n == 0 else (-1 if n == 1 else 0)
            return score, float(problem.values[v]), v

        hidden[min(candidates, key=cost)] = True
        return True
    if not hidden[total] and problem.values[total] > 0:
        hidden[total] = True
        return True
    return False


def _smallest_shown(problem: _Problem, hidden: np.ndarray, line: int) -> float:
    """The smallest shown non-zero member of `line` (inf when there is none)."""
    shown = [
        problem.values[u] for u in problem.lines[line][0] if not hidden[u] and problem.values[u] > 0
    ]
    return min(shown, default=math.inf)


def _single_hidden_pass(problem: _Problem, hidden: np.ndarray) -> bool:
    """One sweep of the per-line rule; True if anything new was hidden."""
    changed = False
    for k in range(len(problem.lines)):
        if _hidden_in_line(problem, hidden, k) == 1 and _hide_next(problem, hidden, k):
            changed = True
    return changed


def _recoverable(problem: _Problem, hidden: np.ndarray) -> list[int]:
    """Hidden variables whose value the published equations determine exactly."""
    idx = np.flatnonzero(hidden)
    if idx.size == 0 or not problem.lines:
        return []
    m = problem.matrix()[:, idx]
    m = m[np.any(m != 0, axis=1)]
    if m.size == 0:
        return []
    # x_k is determined iff the unit vector e_k lies in the row space of m: project onto the
    # row space (right singular vectors of the non-zero singular values) and compare norms.
    _, s, vt = np.linalg.svd(m, full_matrices=False)
    tol = max(m.shape) * np.finfo(float).eps * (s[0] if s.size else 1.0) * 100
    rank = int((s > tol).sum())
    if rank == 0:
        return []
    proj = (vt[:rank] ** 2).sum(axis=0)
    return [int(idx[i]) for i in np.flatnonzero(proj > 1 - 1e-8)]


def _hide_to_protect(problem: _Problem, hidden: np.ndarray, exposed: int) -> bool:
    """Hide the smallest shown count that stops `exposed` being worked out (or just the smallest).

    Used when the lines through the exposed number have nothing left to hide (only zeros), so the
    number is pinned down through a chain of other rows and columns.
    """
    shown = [v for v in range(len(problem.values)) if not hidden[v] and problem.values[v] > 0]
    if not shown:
        return False
    shown.sort(key=lambda v: (problem.values[v], v))
    for v in shown:
        hidden[v] = True
        if exposed not in _recoverable(problem, hidden):
            return True
        hidden[v] = False
    hidden[shown[0]] = True
    return True


def _suppress(problem: _Problem, threshold: int) -> np.ndarray:
    """The hidden mask over all variables (cells then totals)."""
    hidden = np.array([_is_small(v, threshold) for v in problem.values], dtype=bool)
    for _ in range(len(problem.values) + 1):
        while _single_hidden_pass(problem, hidden):
            pass
        exposed = _recoverable(problem, hidden)
        if not exposed:
            return hidden
        progressed = False
        for v in exposed:
            # Hide a neighbour in a line through v, preferring the line with the smallest
            # shown count, so the least information is lost.
            lines = sorted(problem.lines_of[v], key=lambda k: _smallest_shown(problem, hidden, k))
            for k in lines:
                if _hide_next(problem, hidden, k):
                    progressed = True
                    break
            if progressed:
                break
        if not progressed:
            progressed = _hide_to_protect(problem, hidden, exposed[0])
        if not progressed:
            # Nothing left to hide at all: hide every non-zero number (never expected).
            logger.warning("secondary suppression could not protect a cell; hiding all counts")
            hidden |= problem.values > 0
            return hidden
    return hidden


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

    labels = [str(x).strip().lower() for x in [*table.index, *cols]]
    if protect_totals and any(
        x in ("total", "all", "all respondents", "grand total") for x in labels
    ):
        # Totals are computed here; a total passed in as a row/column would be treated as people
        # and protected as if it were a group, hiding more than needed.
        logger.warning(
            "suppress_counts: the table seems to include a total; pass it without totals"
        )
    problem = _Problem(counts, protect_totals)
    hidden = _suppress(problem, t)
    r, c = counts.shape
    cell_hidden = hidden[: r * c].reshape(r, c)
    shown = np.where(cell_hidden, np.nan, counts)
    for j, col in enumerate(cols):
        values[col] = shown[:, j]
        suppressed[col] = cell_hidden[:, j]

    def total_of(var: int) -> float:
        return float("nan") if hidden[var] else float(problem.values[var])

    row_totals = column_totals = None
    total = None
    if problem.grand_var is not None:
        total = total_of(problem.grand_var)
        if problem.row_var is not None and c > 1:
            row_totals = pd.Series([total_of(v) for v in problem.row_var], index=table.index)
        if problem.col_var is not None and r > 1:
            column_totals = pd.Series([total_of(v) for v in problem.col_var], index=cols)
    elif protect_totals:  # a single cell: its total is itself
        total = float(shown[0, 0])
    n_hidden = int(cell_hidden.sum())
    if n_hidden:
        logger.debug("suppressed %d of %d cells (threshold %d)", n_hidden, r * c, t)
    return SuppressedTable(values, suppressed, t, cols, row_totals, column_totals, total)


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
