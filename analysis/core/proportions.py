"""Tests for a difference between two proportions, and Benjamini-Hochberg FDR control."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

# Below this expected count in any cell of the 2x2 table the normal approximation is poor,
# so Fisher's exact test is used instead (the usual rule of thumb).
MIN_EXPECTED_FOR_Z = 5.0


def two_proportion_test(k1: int, n1: int, k2: int, n2: int) -> tuple[float, str]:
    """P-value (two-sided) for k1/n1 vs k2/n2 and the test's name ("z" or "fisher").

    Returns (nan, "none") when either group is empty or nobody / everybody raised the theme,
    because then there is nothing to test.
    """
    k1, n1, k2, n2 = int(k1), int(n1), int(k2), int(n2)
    if n1 <= 0 or n2 <= 0 or not (0 <= k1 <= n1 and 0 <= k2 <= n2):
        return float("nan"), "none"
    total_k, total_n = k1 + k2, n1 + n2
    if total_k == 0 or total_k == total_n:
        return 1.0, "none"
    table = np.array([[k1, n1 - k1], [k2, n2 - k2]], dtype=float)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / total_n
    if expected.min() < MIN_EXPECTED_FOR_Z:
        _, p = stats.fisher_exact(table.astype(int), alternative="two-sided")
        return float(min(1.0, p)), "fisher"
    pooled = total_k / total_n
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (k1 / n1 - k2 / n2) / se
    return float(2 * stats.norm.sf(abs(z))), "z"


def bh_adjust(p_values: np.ndarray | list[float]) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN and is not counted."""
    p = np.asarray(p_values, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        q[ok] = stats.false_discovery_control(np.clip(p[ok], 0.0, 1.0), method="bh")
    return q
