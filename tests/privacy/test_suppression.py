"""Suppression: no small count shown, and no hidden count recoverable from what is shown."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import config
from analysis.privacy import (
    SuppressedTable,
    check_group_size,
    effective_threshold,
    format_suppressed,
    rates_with_suppression,
    suppress_counts,
    suppressed_share,
)
from tests.property_budget import examples

T = 10


# --- an independent checker (does not reuse the module's internals) ---------------------------


def _augmented(counts: np.ndarray) -> tuple[np.ndarray, list[list[tuple[int, int]]]]:
    """Table with a total column and row, and the published equations (cells, total) per line."""
    r, c = counts.shape
    aug = np.zeros((r + 1, c + 1))
    aug[:r, :c] = counts
    aug[:r, c] = counts.sum(axis=1)
    aug[r, :c] = counts.sum(axis=0)
    aug[r, c] = counts.sum()
    lines = []
    for i in range(r + 1):  # rows incl. the totals row: cells + the row total
        lines.append([(i, j) for j in range(c)] + [(i, c)])
    for j in range(c + 1):
        lines.append([(i, j) for i in range(r)] + [(r, j)])
    return aug, lines


def _hidden_aug(result: SuppressedTable, counts: np.ndarray) -> np.ndarray:
    """Hidden mask over the augmented table; a margin that equals a cell shares its fate."""
    r, c = counts.shape
    h = np.zeros((r + 1, c + 1), dtype=bool)
    h[:r, :c] = result.suppressed.to_numpy()
    total = result.total
    if c == 1:  # row totals are the cells themselves
        h[:r, c] = h[:r, 0]
    else:
        h[:r, c] = result.row_totals.isna().to_numpy() if r > 1 else np.isnan(total)
    if r == 1:
        h[r, :c] = h[0, :c]
    else:
        h[r, :c] = result.column_totals.isna().to_numpy() if c > 1 else np.isnan(total)
    h[r, c] = np.isnan(total)
    return h


def _recoverable_cells(counts: np.ndarray, result: SuppressedTable) -> list[tuple[int, int]]:
    """Hidden entries whose value follows exactly from the published equations (rank test)."""
    aug, lines = _augmented(counts)
    hidden = _hidden_aug(result, counts)
    unknowns = [tuple(x) for x in np.argwhere(hidden)]
    if not unknowns:
        return []
    col_of = {u: k for k, u in enumerate(unknowns)}
    rows = []
    for line in lines:
        *cells, total = line
        coeffs = np.zeros(len(unknowns))
        for cell in cells:
            if cell in col_of:
                coeffs[col_of[cell]] += 1
        if total in col_of:
            coeffs[col_of[total]] -= 1
        rows.append(coeffs)
    m = np.array(rows)
    full = np.linalg.matrix_rank(m)
    out = []
    for k, u in enumerate(unknowns):
        # e_k is in the row space (x_k determined) iff dropping column k lowers the rank.
        if np.linalg.matrix_rank(np.delete(m, k, axis=1)) < full:
            out.append(u)
    return out


def _check_safe(counts: np.ndarray, result: SuppressedTable, t: int = T) -> None:
    shown = result.values.to_numpy(dtype=float)
    visible = shown[~np.isnan(shown)]
    assert not ((visible > 0) & (visible < t)).any(), "a small count is shown"
    for tot in [
        result.total,
        *([] if result.row_totals is None else result.row_totals),
        *([] if result.column_totals is None else result.column_totals),
    ]:
        assert tot is None or np.isnan(tot) or not (0 < tot < t), "a small total is shown"
    np.testing.assert_array_equal(np.isnan(shown), result.suppressed.to_numpy())
    # shown values are the true values
    np.testing.assert_array_equal(shown[~np.isnan(shown)], counts[~np.isnan(shown)])
    # per line: 0 or >= 2 hidden numbers (including the line's total)
    aug, lines = _augmented(counts)
    hidden = _hidden_aug(result, counts)
    r, c = counts.shape
    for line in lines:
        if (c == 1 and line[-1][1] == c) or (r == 1 and line[-1][0] == r):
            continue  # a row total of a one-column table is the cell itself, not a new line
        n = sum(hidden[x] for x in line)
        assert n != 1, f"exactly one hidden number in line {line}"
    assert _recoverable_cells(counts, result) == []


def _table(rows: list[list[int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[f"c{j}" for j in range(len(rows[0]))])


# --- examples ------------------------------------------------------------------------------


def test_one_small_cell_forces_secondary_in_row_and_column() -> None:
    counts = [[3, 20, 40], [25, 30, 50], [60, 70, 80]]
    res = suppress_counts(_table(counts))
    sup = res.suppressed.to_numpy()
    assert sup[0, 0]
    assert sup[0].sum() >= 2 and sup[:, 0].sum() >= 2
    assert sup[0, 1] and sup[1, 0] and sup[1, 1]  # the smallest neighbours, closing a rectangle
    assert res.n_suppressed == 4
    _check_safe(np.array(counts), res)


def test_two_small_cells_in_a_row_protect_each_other_in_that_row() -> None:
    counts = [[3, 4, 40], [25, 30, 50]]
    res = suppress_counts(_table(counts))
    sup = res.suppressed.to_numpy()
    assert sup[0, 0] and sup[0, 1]
    assert not sup[0, 2]  # the row already has two hidden cells
    _check_safe(np.array(counts), res)


def test_small_group_recoverable_from_total_is_protected() -> None:
    # one-way distribution with its total shown: 3 = 100 - 40 - 57 unless a second cell is hidden
    s = pd.Series([3, 40, 57], index=["A", "B", "C"], name="people")
    res = suppress_counts(s)
    assert res.values["people"].isna().tolist() == [True, True, False]  # next smallest is 40
    assert res.total == 100
    assert res.row_totals is None  # one column: the cells are their own row totals
    assert res.column_totals.tolist() == [100]
    _check_safe(np.array([[3], [40], [57]]), res)


def test_one_way_distribution_with_one_small_category() -> None:
    s = pd.Series({"18-24": 12, "25-34": 30, "35-44": 4, "45-64": 25, "65+": 15}, name="n")
    res = suppress_counts(s)
    hidden = res.values["n"].isna()
    assert hidden["35-44"] and hidden["18-24"]  # the next smallest non-zero
    assert hidden.sum() == 2
    _check_safe(s.to_numpy().reshape(-1, 1), res)


def test_zero_is_shown_and_not_used_as_secondary() -> None:
    counts = [[3, 0, 40], [25, 30, 50]]
    res = suppress_counts(_table(counts))
    assert res.values.iloc[0, 1] == 0 and not res.suppressed.iloc[0, 1]
    _check_safe(np.array(counts), res)


def test_only_zeros_left_hides_the_total() -> None:
    # 1-D: the only non-zero category is small; the total (also small) is hidden, zeros shown
    res = suppress_counts(pd.Series([4, 0, 0], name="n"))
    assert res.values["n"].isna().tolist() == [True, False, False]
    assert np.isnan(res.total)


def test_small_row_total_is_hidden() -> None:
    counts = [[2, 3, 2], [30, 40, 50], [20, 25, 35]]
    res = suppress_counts(_table(counts))
    assert np.isnan(res.row_totals.iloc[0])
    _check_safe(np.array(counts), res)


def test_bridge_between_two_blocks_is_caught_by_the_exact_check() -> None:
    # Rows 0-1 x cols 0-1 and rows 2-3 x cols 2-3 are small blocks; any hidden cell joining them
    # alone would be determined by summing equations. The result must leave nothing recoverable.
    counts = [[3, 4, 50, 60], [4, 3, 70, 55], [50, 60, 3, 4], [45, 65, 4, 3]]
    res = suppress_counts(_table(counts))
    _check_safe(np.array(counts), res)


def test_chain_recovery_is_caught() -> None:
    # A layout where each row/column has two hidden cells after the simple rule in some
    # algorithms, yet a cell is pinned down by a chain; the exact check must handle it.
    counts = [[2, 50, 50, 12], [50, 3, 50, 13], [50, 50, 4, 14], [11, 15, 16, 90]]
    res = suppress_counts(_table(counts))
    _check_safe(np.array(counts), res)


def test_protect_totals_false_is_primary_only() -> None:
    res = suppress_counts(_table([[3, 20], [25, 30]]), protect_totals=False)
    assert res.suppressed.to_numpy().tolist() == [[True, False], [False, False]]
    assert res.total is None and res.row_totals is None


def test_label_columns_pass_through_and_value_columns_chosen() -> None:
    df = pd.DataFrame({"group": ["a", "b", "c"], "n": [3, 40, 57], "year": [2024, 2024, 2024]})
    res = suppress_counts(df, value_columns=["n"])
    assert res.values["group"].tolist() == ["a", "b", "c"]
    assert res.values["year"].tolist() == [2024, 2024, 2024]
    assert res.values["n"].isna().tolist() == [True, True, False]
    assert not res.suppressed["group"].any()


def test_input_is_not_changed() -> None:
    df = _table([[3, 20], [25, 30]])
    before = df.copy()
    suppress_counts(df)
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[-1, 20]], "negative"),
        ([[1.5, 20]], "whole"),
        ([[np.nan, 20]], "missing"),
    ],
)
def test_bad_counts_raise(rows: list[list[float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        suppress_counts(pd.DataFrame(rows, columns=["a", "b"]))


def test_unknown_value_column_raises() -> None:
    with pytest.raises(ValueError, match="not in the table"):
        suppress_counts(_table([[1, 2]]), value_columns=["zzz"])


def test_empty_table() -> None:
    res = suppress_counts(pd.DataFrame({"n": pd.Series([], dtype=int)}))
    assert res.values.empty and res.n_suppressed == 0


def test_threshold_floor_applies_inside_suppress_counts() -> None:
    res = suppress_counts(pd.Series([3, 40, 57], name="n"), threshold=2)
    assert res.threshold == config.MIN_SUPPRESSION_THRESHOLD
    assert np.isnan(res.values["n"].iloc[0])


def test_effective_threshold(caplog: pytest.LogCaptureFixture) -> None:
    assert effective_threshold(None) == config.SUPPRESSION_THRESHOLD
    assert effective_threshold(20) == 20
    assert effective_threshold(config.MIN_SUPPRESSION_THRESHOLD) == config.MIN_SUPPRESSION_THRESHOLD
    with caplog.at_level(logging.WARNING):
        assert effective_threshold(1) == config.MIN_SUPPRESSION_THRESHOLD
    assert "raised to the minimum" in caplog.text
    assert effective_threshold(0) == config.MIN_SUPPRESSION_THRESHOLD
    assert effective_threshold(-3) == config.MIN_SUPPRESSION_THRESHOLD
    assert effective_threshold("12") == 12
    assert effective_threshold(7.0) == 7


@pytest.mark.parametrize("bad", [True, 7.5, "ten", float("nan"), [10]])
def test_effective_threshold_rejects_non_whole_numbers(bad: object) -> None:
    with pytest.raises(ValueError):
        effective_threshold(bad)  # type: ignore[arg-type]


def test_check_group_size() -> None:
    assert check_group_size(10) and check_group_size(11)
    assert not check_group_size(9) and not check_group_size(0) and not check_group_size(4)
    assert not check_group_size(None) and not check_group_size(float("nan"))
    assert check_group_size(5, threshold=1)  # floor: 5
    assert not check_group_size(4, threshold=1)


def test_percentages_after_suppression() -> None:
    res = suppress_counts(pd.Series([3, 40, 57], index=list("ABC"), name="n"))
    pct = suppressed_share(res)
    assert pct["n"].isna().tolist() == [True, True, False]
    assert pct.loc["C", "n"] == 57.0  # share of the true total (100), not of the shown cells
    two_way = suppress_counts(_table([[3, 20, 40], [25, 30, 50], [60, 70, 80]]))
    pct2 = suppressed_share(two_way)
    assert pct2.isna().to_numpy().tolist() == two_way.suppressed.to_numpy().tolist()
    assert pct2.loc[2, "c2"] == round(80 / 170 * 100, 1)


def test_share_of_plain_values() -> None:
    values = pd.DataFrame({"n": [np.nan, 30.0, 70.0]})
    assert suppressed_share(values)["n"].tolist()[1:] == [30.0, 70.0]
    assert pd.isna(suppressed_share(values)["n"].iloc[0])
    assert suppressed_share(values, totals=200)["n"].tolist()[1:] == [15.0, 35.0]
    series = suppressed_share(pd.Series([np.nan, 25.0, 75.0]))
    assert pd.isna(series.iloc[0]) and series.iloc[2] == 75.0


def test_share_with_hidden_total_is_all_na() -> None:
    res = suppress_counts(pd.Series([4, 0, 0], name="n"))
    assert suppressed_share(res)["n"].isna().iloc[0]


def test_format_suppressed() -> None:
    res = suppress_counts(pd.DataFrame({"g": ["a", "b", "c"], "n": [3, 40, 57]}))
    shown = format_suppressed(res)
    assert shown["n"].tolist() == [config.SUPPRESSED_MARK, config.SUPPRESSED_MARK, 57]
    assert shown["g"].tolist() == ["a", "b", "c"]
    plain = format_suppressed(pd.DataFrame({"n": [np.nan, 2.5]}))
    assert plain["n"].tolist() == [config.SUPPRESSED_MARK, 2.5]
    assert format_suppressed(pd.Series([np.nan, 4.0])).tolist() == [config.SUPPRESSED_MARK, 4]


def test_with_totals() -> None:
    res = suppress_counts(_table([[30, 20], [25, 30]]))
    full = res.with_totals()
    assert full.loc["Total", "Total"] == 105
    assert full.loc["Total", "c0"] == 55 and full.loc[0, "Total"] == 50
    one = suppress_counts(pd.Series([30, 40], name="n")).with_totals()
    assert one.loc["Total", "n"] == 70


def test_rates_with_suppression_rule_is_on_group_size() -> None:
    num = pd.DataFrame({"access": [2, 5, 1, 10], "crisis": [0, 30, 3, 4]}, index=list("WXYZ"))
    den = pd.Series([200, 40, 4, 50], index=list("WXYZ"))
    res = rates_with_suppression(num, den)
    # Y (4 people) is hidden; the next smallest group (X, 40) too, so Y is not total - others
    assert res.suppressed.tolist() == [False, True, True, False]
    assert res.rates.loc["W", "access"] == 1.0  # 2 of 200: a small numerator is not identifying
    assert res.rates.loc["Y"].isna().all() and res.numerators.loc["Y"].isna().all()
    assert res.denominators.isna().tolist() == [False, True, True, False]
    assert res.rates.loc["Z", "access"] == 20.0


def test_rates_reject_numerator_above_group() -> None:
    with pytest.raises(ValueError, match="larger"):
        rates_with_suppression(pd.DataFrame({"t": [50]}), pd.Series([20]))


def test_rates_empty_group_is_na_not_error() -> None:
    res = rates_with_suppression(pd.DataFrame({"t": [0, 5]}), pd.Series([0, 50]), threshold=10)
    assert pd.isna(res.rates.iloc[0, 0]) and res.rates.iloc[1, 0] == 10.0


# --- property-based ------------------------------------------------------------------------

_cell = st.one_of(st.integers(0, 0), st.integers(1, 12), st.integers(10, 80))


@settings(max_examples=examples(300), deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda r: st.integers(1, 5).flatmap(
            lambda c: st.lists(st.lists(_cell, min_size=c, max_size=c), min_size=r, max_size=r)
        )
    ),
    st.sampled_from([5, 10, 11]),
)
def test_property_no_small_cell_shown_and_nothing_recoverable(
    rows: list[list[int]], threshold: int
) -> None:
    counts = np.array(rows, dtype=float)
    res = suppress_counts(_table(rows), threshold=threshold)
    _check_safe(counts, res, threshold)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(_cell, min_size=1, max_size=12))
def test_property_one_way_distribution(values: list[int]) -> None:
    res = suppress_counts(pd.Series(values, name="n"))
    _check_safe(np.array(values, dtype=float).reshape(-1, 1), res)
    pct = suppressed_share(res)
    assert pct["n"][res.suppressed["n"]].isna().all()  # a hidden count never gets a percentage
    if res.total and not np.isnan(res.total):
        assert (pct["n"].isna() == res.suppressed["n"]).all()
