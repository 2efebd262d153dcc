"""Group x theme comparison: the test, FDR control, and small-group suppression."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.core import config
from analysis.core.proportions import bh_adjust, two_proportion_test
from analysis.findings.group_comparison import (
    SuppressedCellError,
    available_group_columns,
    cell_response_ids,
    compare_groups,
)
from tests.explorer_fixtures import make_tables


def _spec(groups: dict[str, tuple[int, int]]):
    """groups: name -> (answers, how many raise access); everyone else is unassigned."""
    spec = []
    for g, (n, k) in groups.items():
        for i in range(n):
            themes = [("access", -0.5)] if i < k else [("unassigned", 0.0)]
            spec.append((f"{g}-{i}", "2024 Q1", g, f"answer {g} {i}", themes))
    return make_tables(spec)


def test_two_proportion_test_z_and_fisher() -> None:
    p, test = two_proportion_test(60, 100, 30, 100)
    assert test == "z" and p < 0.001
    p, test = two_proportion_test(3, 6, 0, 8)
    assert test == "fisher" and 0.0 < p <= 1.0
    assert math.isnan(two_proportion_test(1, 0, 2, 5)[0])
    assert two_proportion_test(0, 10, 0, 10) == (1.0, "none")


def test_bh_adjust_matches_hand_computation() -> None:
    q = bh_adjust([0.01, 0.04, 0.03, float("nan")])
    assert (
        q[0] == pytest.approx(0.03) and q[1] == pytest.approx(0.04) and q[2] == pytest.approx(0.04)
    )
    assert math.isnan(q[3])


def test_a_real_difference_is_significant() -> None:
    responses, _a, assignments = _spec({"carer": (40, 30), "service user": (60, 10)})
    comp = compare_groups(responses, assignments, "respondent_type", theme_ids=["access"])
    cell = comp.cells.set_index("group").loc["carer"]
    assert cell["share_pct"] == 75.0 and cell["rest_share_pct"] == pytest.approx(16.7)
    assert cell["test"] == "z"
    assert bool(cell["significant"]) and cell["direction"] == "more than everyone else"
    assert (
        comp.cells.set_index("group").loc["service user", "direction"] == "less than everyone else"
    )


def test_noise_is_not_a_finding() -> None:
    responses, _a, assignments = _spec(
        {"carer": (30, 10), "service user": (30, 11), "staff": (30, 9)}
    )
    comp = compare_groups(responses, assignments, "respondent_type", theme_ids=["access"])
    assert not comp.cells["significant"].any()
    assert comp.findings().empty


def test_fdr_is_applied_across_the_whole_matrix() -> None:
    responses, _a, assignments = _spec({"carer": (40, 30), "service user": (60, 10)})
    comp = compare_groups(responses, assignments, "respondent_type")
    tested = comp.cells.dropna(subset=["p_value"])
    assert (tested["q_value"] >= tested["p_value"] - 1e-12).all()


def test_small_groups_are_suppressed_with_secondary_suppression() -> None:
    responses, _a, assignments = _spec(
        {"carer": (30, 20), "service user": (40, 15), "staff": (3, 3), "other": (12, 1)}
    )
    comp = compare_groups(responses, assignments, "respondent_type", theme_ids=["access"])
    by_group = comp.cells.set_index("group")
    assert bool(by_group.loc["staff", "suppressed"])
    assert pd.isna(by_group.loc["staff", "share_pct"]) and pd.isna(
        by_group.loc["staff", "respondents"]
    )
    assert not bool(by_group.loc["staff", "significant"])
    # The next smallest group is hidden too, so "staff" cannot be worked out from the total.
    assert bool(by_group.loc["other", "suppressed"])
    assert set(comp.suppressed_groups) == {"staff", "other"}
    assert not bool(by_group.loc["carer", "suppressed"])


def test_a_cell_few_people_raised_is_hidden_and_so_is_one_more() -> None:
    # Every group is large enough; 4 service users raised access: that cell is hidden, and as no
    # other cell of the row is, the smallest other one is too (else total minus the rest gives 4).
    responses, _a, assignments = _spec(
        {"carer": (30, 20), "service user": (40, 4), "staff": (30, 12)}
    )
    comp = compare_groups(responses, assignments, "respondent_type", theme_ids=["access"])
    by_group = comp.cells.set_index("group")
    assert comp.suppressed_groups == []
    assert bool(by_group.loc["service user", "suppressed"])
    assert pd.isna(by_group.loc["service user", "share_pct"])
    assert bool(by_group.loc["staff", "suppressed"])  # 12 raising: the smallest other cell
    assert not bool(by_group.loc["carer", "suppressed"])
    assert by_group.loc["carer", "share_pct"] == pytest.approx(66.7, abs=0.1)


def test_a_cell_all_but_a_few_raised_is_hidden() -> None:
    responses, _a, assignments = _spec(
        {"carer": (30, 27), "service user": (40, 20), "staff": (30, 15)}
    )
    by_group = compare_groups(
        responses, assignments, "respondent_type", theme_ids=["access"]
    ).cells.set_index("group")
    assert bool(by_group.loc["carer", "suppressed"])  # 3 carers did not raise it


def test_threshold_never_below_minimum() -> None:
    responses, _a, assignments = _spec({"carer": (30, 20), "staff": (4, 3), "other": (20, 1)})
    comp = compare_groups(
        responses, assignments, "respondent_type", theme_ids=["access"], threshold=1
    )
    assert comp.threshold == config.MIN_SUPPRESSION_THRESHOLD
    assert "staff" in comp.suppressed_groups


def test_respondents_not_answers_decide_suppression() -> None:
    responses, _a, assignments = _spec({"carer": (30, 20), "staff": (12, 3), "other": (25, 1)})
    # The 12 staff answers come from 2 people: the group is too small to show.
    responses.loc[responses["respondent_type"] == "staff", "respondent_id"] = ["p1", "p2"] * 6
    comp = compare_groups(responses, assignments, "respondent_type", theme_ids=["access"])
    assert "staff" in comp.suppressed_groups


def test_missing_values_form_not_recorded_group() -> None:
    responses, _a, assignments = _spec({"carer": (30, 20), "service user": (30, 5)})
    responses["gender"] = pd.array(["Woman"] * 30 + [pd.NA] * 30, dtype="string")
    comp = compare_groups(responses, assignments, "gender", theme_ids=["access"])
    assert list(dict.fromkeys(comp.cells["group"])) == ["Woman", config.NOT_RECORDED]


def test_cell_answers_and_suppressed_cell_refused() -> None:
    responses, _a, assignments = _spec(
        {"carer": (30, 20), "service user": (40, 5), "staff": (3, 3), "other": (12, 1)}
    )
    ids = cell_response_ids(responses, assignments, "respondent_type", "carer", "access")
    assert len(ids) == 20 and ids[0] == "carer-0"
    with pytest.raises(SuppressedCellError, match="too few respondents"):
        cell_response_ids(responses, assignments, "respondent_type", "staff", "access")


def test_unknown_group_column_is_a_clear_error() -> None:
    responses, _a, assignments = _spec({"carer": (30, 20)})
    with pytest.raises(KeyError, match="no column"):
        compare_groups(responses, assignments, "shoe_size")


def test_matrix_shape_and_available_columns() -> None:
    responses, _a, assignments = _spec({"carer": (30, 20), "service user": (30, 5)})
    comp = compare_groups(responses, assignments, "respondent_type")
    m = comp.matrix("share_pct")
    assert list(m.columns) == ["service user", "carer"]  # config order of respondent types
    assert "respondent_type" in available_group_columns(responses)
    assert "locality" not in available_group_columns(responses)


def test_counts_match_a_count_by_hand_and_the_join_used_for_repeated_ids() -> None:
    import random

    rng = random.Random(11)
    themes = ["access", "staff", "medication"]
    spec = []
    for i in range(400):
        chosen = rng.sample(themes, rng.randint(0, 2))
        group = rng.choice(["carer", "service user", "staff"])
        spec.append(
            (
                f"r{i}",
                "2024 Q1",
                group,
                f"answer {i}",
                [(t, -0.1) for t in chosen] or [("unassigned", 0.0)],
            )
        )
    responses, _a, assignments = make_tables(spec)
    comp = compare_groups(responses, assignments, "respondent_type", theme_ids=themes)
    cells = comp.cells.set_index(["theme_id", "group"])
    for theme in themes:
        for group in ("carer", "service user", "staff"):
            expected = sum(
                1
                for _r, _rd, g, _t, pairs in spec
                if g == group and theme in {t for t, _s in pairs}
            )
            assert cells.loc[(theme, group), "raising"] == expected, (theme, group)
    # A repeated answer id (not in canonical data, but an upload may hold one) takes the join path: same counts.
    doubled = pd.concat([responses, responses.iloc[:1]], ignore_index=True)
    again = compare_groups(
        doubled, assignments, "respondent_type", theme_ids=themes
    ).cells.set_index(["theme_id", "group"])
    pd.testing.assert_series_equal(again["raising"], cells["raising"])


def test_cell_answers_are_in_dataset_order_and_refused_for_a_hidden_group() -> None:
    responses, _a, assignments = _spec(
        {"carer": (40, 30), "service user": (60, 10), "staff": (3, 3)}
    )
    ids = cell_response_ids(responses, assignments, "respondent_type", "service user", "access")
    assert ids == [f"service user-{i}" for i in range(10)]
    # staff is too small; carer is hidden too, so staff cannot be worked out from the total.
    for hidden in ("staff", "carer"):
        with pytest.raises(SuppressedCellError):
            cell_response_ids(responses, assignments, "respondent_type", hidden, "access")


def test_the_second_hidden_cell_is_never_an_empty_one() -> None:
    # Staff: nobody raised access (0 of 30); carers 4 of 40 (hidden); service users 20 of 40. Hiding
    # the empty staff cell would leave total minus service users = the carers' 4: service users go.
    responses, _a, assignments = _spec(
        {"carer": (40, 4), "service user": (40, 20), "staff": (30, 0)}
    )
    by_group = compare_groups(
        responses, assignments, "respondent_type", theme_ids=["access"]
    ).cells.set_index("group")
    assert bool(by_group.loc["carer", "suppressed"])
    assert bool(by_group.loc["service user", "suppressed"])
    assert not bool(by_group.loc["staff", "suppressed"])
