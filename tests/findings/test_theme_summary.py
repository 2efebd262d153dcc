"""Theme summary (share, sentiment, negativity, change since the previous round) and trends."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.core import config
from analysis.findings.theme_summary import sort_summary, theme_summary, theme_trend
from tests.explorer_fixtures import make_tables, two_round_tables

LABELS = {
    "access": "Access to support",
    "staff_behaviour": "Staff behaviour",
    "medication": "Medication",
}


def test_counts_shares_and_specials_always_present() -> None:
    responses, _answers, assignments = two_round_tables(scale=5)
    table = theme_summary(
        responses, assignments, labels=LABELS, theme_ids=["access", "staff_behaviour", "medication"]
    )
    by_id = table.set_index("theme_id")
    assert by_id.loc["access", "answers"] == 100
    assert by_id.loc["access", "share_pct"] == 50.0
    assert by_id.loc["medication", "answers"] == 0  # asked-for theme shown at zero
    assert not table["hidden"].any()
    assert list(table["theme_id"][-2:]) == [config.UNASSIGNED, config.NO_CONTENT]
    assert by_id.loc["unassigned", "answers"] == 50 and by_id.loc["no_content", "answers"] == 25
    assert by_id.loc["access", "theme"] == "Access to support"


def test_specials_present_even_at_zero() -> None:
    responses, _a, assignments = make_tables([("r1", "2024 Q1", "carer", "x", [("access", -0.5)])])
    table = theme_summary(responses, assignments)
    assert set(config.SPECIAL_THEME_IDS) <= set(table["theme_id"])
    assert table.set_index("theme_id").loc["no_content", "answers"] == 0


def test_sentiment_and_negativity() -> None:
    responses, _a, assignments = two_round_tables()
    by_id = theme_summary(responses, assignments).set_index("theme_id")
    assert by_id.loc["access", "negative_pct"] == 100.0
    assert by_id.loc["staff_behaviour", "negative_pct"] == 0.0
    assert by_id.loc["access", "mean_sentiment"] == pytest.approx(
        (5 * -0.6 + 15 * -0.5) / 20, abs=0.01
    )


def test_change_since_previous_round_with_ns() -> None:
    responses, _a, assignments = two_round_tables(scale=5)
    by_id = theme_summary(responses, assignments).set_index("theme_id")
    row = by_id.loc["access"]
    assert (row["latest_round"], row["previous_round"]) == ("2024 Q2", "2024 Q1")
    assert (row["latest_n"], row["previous_n"]) == (100, 100)
    assert row["latest_share_pct"] == 75.0 and row["previous_share_pct"] == 25.0
    assert row["change_pp"] == 50.0
    assert bool(row["change_significant"]) is True
    assert by_id.loc["staff_behaviour", "change_pp"] == -40.0


def test_change_uses_history_when_one_round_is_chosen() -> None:
    responses, _a, assignments = two_round_tables(scale=5)
    latest = responses[responses["round"] == "2024 Q2"]
    by_id = theme_summary(latest, assignments, history=responses).set_index("theme_id")
    assert by_id.loc["access", "share_pct"] == 75.0
    assert by_id.loc["access", "change_pp"] == 50.0
    alone = theme_summary(latest, assignments).set_index("theme_id")
    assert math.isnan(alone.loc["access", "change_pp"])


def test_change_hidden_when_a_round_is_too_small() -> None:
    spec = [(f"r{i}", "2024 Q1", "carer", "x", [("access", -0.5)]) for i in range(3)]
    spec += [(f"s{i}", "2024 Q2", "carer", "x", [("access", -0.5)]) for i in range(30)]
    responses, _a, assignments = make_tables(spec)
    row = theme_summary(responses, assignments).set_index("theme_id").loc["access"]
    assert math.isnan(row["change_pp"])
    # The small round's number of answers (3) is a figure about fewer than 10 people: not shown.
    assert pd.isna(row["previous_n"]) and pd.isna(row["latest_n"])
    assert row["previous_round"] == "2024 Q1"


@pytest.mark.parametrize(
    ("sort_by", "first"),
    [("share", "access"), ("change", "access"), ("negativity", "access"), ("name", "access")],
)
def test_sorting_keeps_specials_last(sort_by: str, first: str) -> None:
    responses, _a, assignments = two_round_tables()
    table = theme_summary(responses, assignments, labels=LABELS, sort_by=sort_by)
    assert table["theme_id"].iloc[0] == first
    assert list(table["theme_id"][-2:]) == list(config.SPECIAL_THEME_IDS)


def test_sort_by_change_puts_falls_last() -> None:
    responses, _a, assignments = two_round_tables(scale=5)
    table = theme_summary(responses, assignments, theme_ids=["medication"], sort_by="change")
    real = table[~table["special"]]
    assert list(real["theme_id"]) == ["access", "medication", "staff_behaviour"]


def test_unknown_sort_is_refused() -> None:
    responses, _a, assignments = two_round_tables()
    with pytest.raises(ValueError, match="Sort by one of"):
        theme_summary(responses, assignments, sort_by="volume")
    with pytest.raises(ValueError):
        sort_summary(pd.DataFrame(), "nonsense")


def test_empty_selection() -> None:
    responses, _a, assignments = two_round_tables()
    table = theme_summary(responses.iloc[0:0], assignments)
    assert set(table["theme_id"]) == set(config.SPECIAL_THEME_IDS)
    assert (table["answers"] == 0).all()


def test_answer_missing_from_assignments_counts_as_unassigned() -> None:
    spec = [(f"r{i}", "2024 Q1", "carer", "x", [("access", -0.5)]) for i in range(10)]
    responses, _a, assignments = make_tables(spec)
    extra = pd.concat(
        [responses, responses.assign(response_id=[f"m{i}" for i in range(10)])], ignore_index=True
    )
    by_id = theme_summary(extra, assignments).set_index("theme_id")
    assert by_id.loc["unassigned", "answers"] == 10
    assert by_id.loc["access", "share_pct"] == 50.0


def test_a_theme_raised_by_few_people_keeps_its_row_but_no_figure() -> None:
    # 30 people; access raised by 3 of them, staff by 27 (so 3 did not), waiting by 12.
    spec = []
    for i in range(30):
        themes = [("access", -0.5)] if i < 3 else []
        themes += [("staff_behaviour", 0.2)] if i < 27 else []
        themes += [("waiting", -0.1)] if i < 12 else []
        spec.append((f"p{i}", "2024 Q1", "carer", f"text {i}", themes or [("unassigned", 0.0)]))
    responses, _a, assignments = make_tables(spec)
    table = theme_summary(
        responses, assignments, theme_ids=["access", "staff_behaviour", "waiting"]
    )
    by_id = table.set_index("theme_id")
    for theme in ("access", "staff_behaviour"):  # too few raised it / too few did not
        row = by_id.loc[theme]
        assert bool(row["hidden"]) is True
        assert all(
            pd.isna(row[c]) for c in ("answers", "share_pct", "mean_sentiment", "negative_pct")
        )
    shown = by_id.loc["waiting"]
    assert not shown["hidden"] and shown["answers"] == 12 and shown["share_pct"] == 40.0
    # Unassigned holds the 3 answers with no theme: a small group too.
    assert bool(by_id.loc["unassigned", "hidden"]) and pd.isna(by_id.loc["unassigned", "answers"])
    # Hidden rows sort after every shown theme, before the special rows.
    real = table[~table["special"]]
    assert list(real["theme_id"])[0] == "waiting"


def test_change_hidden_for_a_theme_few_people_raised_in_a_round() -> None:
    responses, _a, assignments = two_round_tables(scale=2)  # staff: 20 people in Q1, 4 in Q2
    by_id = theme_summary(responses, assignments).set_index("theme_id")
    assert not by_id.loc["staff_behaviour", "hidden"]  # 24 people over both rounds
    assert pd.isna(by_id.loc["staff_behaviour", "change_pp"])
    assert pd.isna(by_id.loc["staff_behaviour", "latest_share_pct"])
    assert by_id.loc["access", "change_pp"] == 50.0  # 10 and 30 people: shown


def test_trend_has_n_behind_every_point() -> None:
    responses, _a, assignments = two_round_tables(scale=5)
    trend = theme_trend(
        responses, assignments, labels=LABELS, theme_ids=["access", "staff_behaviour"]
    )
    access = trend[trend["theme_id"] == "access"].set_index("round")
    assert list(access.index) == ["2024 Q1", "2024 Q2"]
    assert access.loc["2024 Q1", "answers"] == 25 and access.loc["2024 Q1", "n"] == 100
    assert access.loc["2024 Q2", "share_pct"] == 75.0
    assert not trend["suppressed"].any()


def test_trend_hides_a_point_few_people_raised_but_keeps_the_round() -> None:
    responses, _a, assignments = two_round_tables(scale=2)  # staff: 20 people in Q1, 4 in Q2
    trend = theme_trend(responses, assignments, theme_ids=["access", "staff_behaviour"])
    staff = trend[trend["theme_id"] == "staff_behaviour"].set_index("round")
    assert staff.loc["2024 Q1", "answers"] == 20 and not staff.loc["2024 Q1", "suppressed"]
    q2 = staff.loc["2024 Q2"]
    assert bool(q2["suppressed"]) and pd.isna(q2["answers"]) and pd.isna(q2["share_pct"])
    assert q2["n"] == 40  # the round itself holds enough people: its size is shown


def test_trend_suppresses_small_rounds() -> None:
    spec = [(f"r{i}", "2024 Q1", "carer", "x", [("access", -0.5)]) for i in range(4)]
    spec += [(f"s{i}", "2024 Q3", "carer", "x", [("access", -0.5)]) for i in range(12)]
    responses, _a, assignments = make_tables(spec)
    trend = theme_trend(responses, assignments, theme_ids=["access"]).set_index("round")
    assert bool(trend.loc["2024 Q1", "suppressed"]) is True
    assert math.isnan(trend.loc["2024 Q1", "n"]) and math.isnan(trend.loc["2024 Q1", "share_pct"])
    assert trend.loc["2024 Q3", "n"] == 12


def test_trend_round_order_is_chronological() -> None:
    spec = [
        (f"{rnd}-{i}", rnd, "carer", "x", [("access", 0.1)])
        for rnd in ("2025 Q1", "2024 Q4")
        for i in range(10)
    ]
    responses, _a, assignments = make_tables(spec)
    trend = theme_trend(responses, assignments, theme_ids=["access"])
    assert list(trend["round"]) == ["2024 Q4", "2025 Q1"]


def test_a_round_far_smaller_than_its_neighbours_is_flagged_where_compared() -> None:
    from analysis.report.sections import change_finding

    spec = []
    for rnd, n in (("2024 Q1", 200), ("2024 Q2", 200), ("2024 Q3", 30), ("2024 Q4", 200)):
        for i in range(n):
            spec.append((f"{rnd}-{i}", rnd, "carer", "x", [("access", -0.5 if i % 3 else 0.2)]))
    responses, _a, assignments = make_tables(spec)
    q4 = responses[responses["round"] == "2024 Q4"]
    table = theme_summary(q4, assignments, history=responses)
    assert "2024 Q3 holds far fewer answers" in table["round_note"].iloc[0]
    assert "2024 Q3 holds far fewer answers" in change_finding(table)
    # Rounds of like size raise no note.
    q2 = responses[responses["round"] == "2024 Q2"]
    assert theme_summary(q2, assignments, history=responses)["round_note"].isna().all()


def test_history_given_as_the_chosen_answers_themselves_changes_nothing() -> None:
    # The page passes the chosen answers as their own history when every round is chosen.
    responses, _a, assignments = two_round_tables(scale=5)
    same = theme_summary(responses, assignments, history=responses)
    copied = theme_summary(responses, assignments, history=responses.copy())
    pd.testing.assert_frame_equal(same, copied)
    assert same.set_index("theme_id").loc["access", "change_pp"] == 50.0


def test_a_trend_names_every_round_far_smaller_than_its_neighbours() -> None:
    from analysis.core.filters import small_rounds_note

    def frame(sizes: dict[str, int]) -> pd.DataFrame:
        return pd.DataFrame({"round": [r for r, n in sizes.items() for _ in range(n)]})

    one = small_rounds_note(frame({"2024 Q1": 200, "2024 Q2": 30, "2024 Q3": 200}))
    assert one is not None and one.startswith("2024 Q2 holds far fewer answers")
    assert "30" not in one  # no count: the note never describes a small group
    two = small_rounds_note(
        frame({"2024 Q1": 200, "2024 Q2": 20, "2024 Q3": 200, "2024 Q4": 200, "2025 Q1": 10})
    )
    assert two is not None and two.startswith("2024 Q2, 2025 Q1 hold far fewer answers")
    assert small_rounds_note(frame({"2024 Q1": 200, "2024 Q2": 150, "2024 Q3": 90})) is None
    assert small_rounds_note(frame({"2024 Q1": 5})) is None
    assert small_rounds_note(pd.DataFrame({"text": ["a"]})) is None
