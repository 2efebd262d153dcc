"""analysis.core.frames: the fast id membership test agrees with pandas, and text columns are Arrow-backed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis  # noqa: F401 - sets the string storage
from analysis.core.frames import codes_in, isin_many, join_unique, positions_in
from tests.property_budget import examples

ids = st.one_of(st.none(), st.text(max_size=6))


@settings(max_examples=examples(300), deadline=None)
@given(values=st.lists(ids, max_size=40), wanted=st.lists(ids, max_size=40))
def test_isin_many_agrees_with_pandas_and_never_matches_missing(values: list, wanted: list) -> None:
    series = pd.Series(values, dtype="string")
    expected = np.array(
        [v is not None and v in {w for w in wanted if w is not None} for v in values], dtype=bool
    )
    got = isin_many(series, wanted)
    assert got.dtype == bool and got.shape == (len(values),)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(isin_many(series, pd.Series(wanted, dtype="string")), expected)


def test_isin_many_compares_non_text_columns_as_text() -> None:
    np.testing.assert_array_equal(isin_many(pd.Series([1, 2, 3]), ["2", "3"]), [False, True, True])
    np.testing.assert_array_equal(
        isin_many(pd.Series(["a", "b"], dtype=object), pd.Index(["b"])), [False, True]
    )


def test_isin_many_on_empty_inputs() -> None:
    assert isin_many(pd.Series([], dtype="string"), ["a"]).tolist() == []
    assert isin_many(pd.Series(["a"], dtype="string"), []).tolist() == [False]


def test_text_columns_are_arrow_backed() -> None:
    assert pd.Series(["a"], dtype="string").dtype.storage == "pyarrow"


@settings(max_examples=examples(300), deadline=None)
@given(values=st.lists(ids, max_size=40), reference=st.lists(ids, max_size=40))
def test_positions_in_gives_the_first_position_or_minus_one(values: list, reference: list) -> None:
    first: dict[str, int] = {}
    for k, r in enumerate(reference):
        if r is not None:
            first.setdefault(r, k)
    expected = [-1 if v is None else first.get(v, -1) for v in values]
    got = positions_in(pd.Series(values, dtype="string"), pd.Series(reference, dtype="string"))
    assert got.tolist() == expected


@settings(max_examples=examples(300), deadline=None)
@given(
    values=st.lists(ids, max_size=40), labels=st.lists(st.text(max_size=6), max_size=8, unique=True)
)
def test_codes_in_gives_the_label_position_or_minus_one(values: list, labels: list) -> None:
    expected = [-1 if v is None or v not in labels else labels.index(v) for v in values]
    assert codes_in(pd.Series(values, dtype="string"), labels).tolist() == expected


@settings(max_examples=examples(200), deadline=None)
@given(
    left=st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=20),
    right=st.lists(st.sampled_from(["a", "b", "c", "e"]), max_size=6),
)
def test_join_unique_is_the_inner_merge(left: list, right: list) -> None:
    lf = pd.DataFrame({"k": pd.Series(left, dtype="string"), "x": range(len(left))})
    rf = pd.DataFrame(
        {"k": pd.Series(right, dtype="string"), "y": [f"v{i}" for i in range(len(right))]}
    )
    expected = lf.merge(rf, on="k")  # repeated right keys take this path too
    pd.testing.assert_frame_equal(join_unique(lf, rf, "k"), expected, check_dtype=False)


def test_join_unique_leaves_clashing_column_names_to_the_merge() -> None:
    lf = pd.DataFrame({"k": pd.Series(["a", "b"], dtype="string"), "x": [1, 2]})
    rf = pd.DataFrame({"k": pd.Series(["b"], dtype="string"), "x": [9]})
    got = join_unique(lf, rf, "k")
    assert list(got.columns) == ["k", "x_x", "x_y"]
    assert got.to_dict("records") == [{"k": "b", "x_x": 2, "x_y": 9}]
