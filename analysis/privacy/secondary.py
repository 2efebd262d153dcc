"""The exact engine behind suppress_counts: which cells (and totals) to hide so none can be worked out.

Rules 1 to 4 of analysis.privacy.suppression's docstring are implemented here: primary suppression of
small counts, the per-line secondary rule, then the exact check that treats hidden numbers as unknowns
of the "cells add up to their totals" equations. Kept apart from the table handling (labels, dtypes,
totals as Series), which lives in analysis.privacy.suppression.
"""

from __future__ import annotations

import logging
import math

import numpy as np

logger = logging.getLogger(__name__)


def _is_small(v: float, t: int) -> bool:
    return 0 < v < t


class SuppressionProblem:
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


def _hidden_in_line(problem: SuppressionProblem, hidden: np.ndarray, line: int) -> int:
    members, total = problem.lines[line]
    return int(hidden[members].sum()) + int(hidden[total])


def _hide_next(problem: SuppressionProblem, hidden: np.ndarray, line: int) -> bool:
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


def _smallest_shown(problem: SuppressionProblem, hidden: np.ndarray, line: int) -> float:
    """The smallest shown non-zero member of `line` (inf when there is none)."""
    shown = [
        problem.values[u] for u in problem.lines[line][0] if not hidden[u] and problem.values[u] > 0
    ]
    return min(shown, default=math.inf)


def _single_hidden_pass(problem: SuppressionProblem, hidden: np.ndarray) -> bool:
    """One sweep of the per-line rule; True if anything new was hidden."""
    changed = False
    for k in range(len(problem.lines)):
        if _hidden_in_line(problem, hidden, k) == 1 and _hide_next(problem, hidden, k):
            changed = True
    return changed


def _recoverable(problem: SuppressionProblem, hidden: np.ndarray) -> list[int]:
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


def _hide_to_protect(problem: SuppressionProblem, hidden: np.ndarray, exposed: int) -> bool:
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


def hide_cells(problem: SuppressionProblem, threshold: int) -> np.ndarray:
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
