"""Improvement Plan progress on small literal plans: status model, summary, trajectory, changes, impact."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.plan import progress
from analysis.plan.impact import before_after, classify_rounds, round_spans
from analysis.themes.codebook import Codebook, Theme

TODAY = date(2025, 6, 1)


def _milestones() -> pd.DataFrame:
    # M1 re-opened after completion; M2 has no due date; M3 overdue; M4 complete; M5 due soon.
    return pd.DataFrame(
        {
            "milestone_id": ["M1", "M2", "M3", "M4", "M5"],
            "area": ["Patient Safety", "Patient Safety", "People", "People", "Culture"],
            "milestone": [
                "Follow-up in 72h",
                "Audit care plans",
                "Peer workers",
                "Carer training",
                "FTSU",
            ],
            "owner": [
                "Director of Nursing",
                "Head of Audit",
                "Lived Experience Lead",
                "HR lead",
                "Guardian",
            ],
            "due_date": pd.to_datetime(
                ["2025-01-31", None, "2025-03-31", "2024-12-31", "2025-07-31"]
            ),
            "status": ["on track", "on track", "off track", "complete", "at risk"],
            "percent_complete": [80, 50, 40, 100, 60],
            "evidence": [""] * 5,
            "themes": ["discharge_planning", "communication", "access", "carers_family", ""],
            "updated": pd.to_datetime(["2025-03-01"] * 5),
            "updated_by": ["x"] * 5,
        }
    )


def _history() -> pd.DataFrame:
    rows = [
        ("M1", "2024-07-01 10:00", "PMO", "created", "", "Follow-up in 72h"),
        ("M1", "2024-10-01 10:00", "Director of Nursing", "percent_complete", "0", "50"),
        ("M1", "2024-10-01 10:00", "Director of Nursing", "status", "not started", "on track"),
        ("M1", "2025-01-15 10:00", "Director of Nursing", "percent_complete", "50", "100"),
        ("M1", "2025-01-15 10:00", "Director of Nursing", "status", "on track", "complete"),
        ("M1", "2025-03-01 09:00", "PMO", "status", "complete", "on track"),
        ("M1", "2025-03-01 09:00", "PMO", "percent_complete", "100", "80"),
        ("M2", "2024-07-01 10:00", "PMO", "created", "", "Audit care plans"),
        ("M2", "2024-12-01 10:00", "Head of Audit", "percent_complete", "0", "50"),
        ("M3", "2024-07-01 10:00", "PMO", "created", "", "Peer workers"),
        ("M3", "2025-05-20 10:00", "PMO", "owner", "Head of Nursing", "Lived Experience Lead"),
        ("M4", "2024-07-01 10:00", "PMO", "created", "", "Carer training"),
        ("M4", "2024-12-20 10:00", "HR lead", "percent_complete", "0", "100"),
        ("M4", "2024-12-20 10:00", "HR lead", "status", "on track", "complete"),
        ("M5", "2025-01-01 10:00", "PMO", "created", "", "FTSU"),
    ]
    return pd.DataFrame(
        rows,
        columns=["milestone_id", "changed_at", "changed_by", "field", "old_value", "new_value"],
    )


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("On Track", "on track"),
        ("on-track", "on track"),
        ("AMBER", "at risk"),
        ("Red", "off track"),
        ("completed", "complete"),
        (" not_started ", "not started"),
    ],
)
def test_normalise_status_accepts_common_spellings(typed: str, status: str) -> None:
    assert progress.normalise_status(typed) == status


@pytest.mark.parametrize("bad", ["", "nearly", None, "=cmd"])
def test_normalise_status_refuses_unknown_values(bad: object) -> None:
    with pytest.raises(ValueError, match="unknown status"):
        progress.normalise_status(bad)


def test_overdue_flags_open_milestones_only_and_never_ones_without_a_due_date() -> None:
    flagged = progress.flag_milestones(_milestones(), TODAY).set_index("milestone_id")
    assert flagged["overdue"].to_dict() == {
        "M1": True,
        "M2": False,
        "M3": True,
        "M4": False,
        "M5": False,
    }
    assert flagged.loc["M3", "days_overdue"] == 62
    assert flagged["due_soon"].to_dict() == {
        "M1": False,
        "M2": False,
        "M3": False,
        "M4": False,
        "M5": True,
    }


def test_area_summary_counts_statuses_percent_overdue_and_due_soon() -> None:
    s = progress.area_summary(_milestones(), TODAY).set_index("area")
    assert list(s.index) == list(progress.config.PLAN_AREAS)
    assert s.loc["Patient Safety", "milestones"] == 2
    assert s.loc["Patient Safety", "on track"] == 2
    assert s.loc["Patient Safety", "percent_complete"] == 65.0
    assert s.loc["People", "overdue"] == 1 and s.loc["People", "complete"] == 1
    assert s.loc["Culture", "due_next_90_days"] == 1
    assert s.loc["Leadership and Governance", "milestones"] == 0  # empty areas still listed
    counts = progress.status_counts(_milestones())
    assert len(counts) == 25 and counts["n"].sum() == 5


def test_completion_dates_know_a_reopened_milestone_is_not_complete() -> None:
    comp = progress.completion_dates(_milestones(), _history()).set_index("milestone_id")
    assert bool(comp.loc["M1", "reopened"]) is True
    assert comp.loc["M1", "times_completed"] == 1
    assert pd.isna(comp.loc["M1", "completed_on"])  # re-opened: no longer complete
    assert comp.loc["M1", "last_completed"] == pd.Timestamp("2025-01-15 10:00")
    assert comp.loc["M4", "completed_on"] == pd.Timestamp("2024-12-20 10:00")


def test_percent_over_time_is_a_step_function_from_the_history() -> None:
    series = progress.percent_over_time(_milestones(), _history(), end=date(2025, 3, 15))
    ps = series[series["area"] == "Patient Safety"].set_index("date")
    # M1 50% from Oct, 100% mid-Jan, re-opened to 80% on 1 March; M2 50% from December.
    assert ps.loc["2024-11-01", "actual_percent"] == 25.0
    assert ps.loc["2025-02-01", "actual_percent"] == 75.0
    assert ps.loc["2025-03-01", "actual_percent"] == 65.0  # a change on the day counts that day
    assert ps.loc["2025-03-15", "milestones"] == 2


def test_planned_trajectory_is_linear_to_the_due_date_and_skips_milestones_without_one() -> None:
    series = progress.percent_over_time(_milestones(), _history(), end=date(2025, 3, 15))
    ps = series[series["area"] == "Patient Safety"].set_index("date")
    # Only M1 (created 2024-07-01 10:00, due 2025-01-31) has a planned line; M2 has no due date.
    assert (ps["with_due_date"] == 1).all()
    assert ps.loc["2024-07-01", "planned_percent"] == pytest.approx(100 * 14 / 24 / 214, abs=0.1)
    assert ps.loc["2025-02-01", "planned_percent"] == 100.0
    start, due = pd.Timestamp("2024-07-01"), pd.Timestamp("2025-01-31")
    assert progress.planned_percent(start, due, pd.Timestamp("2024-10-16")) == pytest.approx(
        100 * 107 / 214
    )
    assert progress.planned_percent(
        start, pd.NaT, pd.Timestamp("2024-10-16")
    ) != progress.planned_percent(
        start, pd.NaT, pd.Timestamp("2024-10-16")
    )  # NaN: no line without a due date
    # A milestone not yet in the plan is not counted: Culture (M5) starts in January 2025.
    culture = series[series["area"] == "Culture"]
    assert culture["date"].min() == pd.Timestamp("2025-01-01")


def test_timeline_has_due_and_completion_dates_and_lateness() -> None:
    t = progress.milestone_timeline(_milestones(), _history(), TODAY).set_index("milestone_id")
    assert pd.isna(t.loc["M2", "due_date"])
    assert t.index[-1] == "M2"  # no due date sorts last
    assert pd.isna(t.loc["M4", "days_late"])  # completed 11 days early
    assert bool(t.loc["M1", "reopened"]) and bool(t.loc["M1", "overdue"])


def test_changed_since_lists_status_percent_owner_changes_and_who() -> None:
    changes = progress.changed_since(_milestones(), _history(), date(2025, 3, 1))
    assert set(changes["milestone_id"]) == {"M1", "M3"}
    assert set(changes["field"]) == {"status", "percent complete", "owner"}
    owner = changes[changes["field"] == "owner"].iloc[0]
    assert (owner["old_value"], owner["new_value"], owner["changed_by"]) == (
        "Head of Nursing",
        "Lived Experience Lead",
        "PMO",
    )
    summary = progress.changed_since_summary(_milestones(), _history(), date(2025, 3, 1))
    m1 = summary.set_index("milestone_id").loc["M1"]
    assert (
        "status: complete → on track" in m1["changes"]
        and "percent complete: 100 → 80" in m1["changes"]
    )
    assert progress.changed_since(_milestones(), _history(), date(2025, 5, 21)).empty
    assert progress.changed_since_summary(_milestones(), _history(), date(2025, 5, 21)).empty


def test_informing_themes_come_from_the_codebook_plan_area_links() -> None:
    cb = Codebook(
        "t",
        1,
        [
            Theme(
                "access",
                "Access to support",
                plan_area="Clinical Strategy and Professional Standards",
            ),
            Theme("staff_behaviour", "Staff behaviour", plan_area="Culture"),
            Theme("old", "Retired", plan_area="Culture", retired=True),
            Theme("medication", "Medication"),
        ],
    )
    table = progress.informing_themes(cb)
    assert table.values.tolist() == [
        ["Clinical Strategy and Professional Standards", "access", "Access to support"],
        ["Culture", "staff_behaviour", "Staff behaviour"],
    ]


# --- before / after -------------------------------------------------------------------------


def _survey(n_before: int, k_before: int, n_after: int, k_after: int) -> tuple[pd.DataFrame, ...]:
    """Answers in 2024 Q3 (before), 2024 Q4 (completion round) and 2025 Q1 (after)."""
    rows, asg = [], []
    for period, rnd, day, n, k in (
        ("b", "2024 Q3", "2024-08-01", n_before, k_before),
        ("a", "2025 Q1", "2025-02-01", n_after, k_after),
        ("x", "2024 Q4", "2024-11-01", 20, 20),
    ):
        for i in range(n):
            rid = f"{period}{i}"
            rows.append((rid, rnd, day, "access" if i < k else "medication"))
            asg.append((rid, "access" if i < k else "medication", -0.5 if period == "b" else 0.2))
    responses = pd.DataFrame(rows, columns=["response_id", "round", "submitted", "themes"])
    responses["submitted"] = pd.to_datetime(responses["submitted"])
    answers = responses[["response_id", "themes"]].copy()
    assignments = pd.DataFrame(asg, columns=["response_id", "theme_id", "sentiment"])
    return answers, assignments, responses[["response_id", "round", "submitted"]]


def test_rounds_are_split_around_the_completion_date_and_the_straddling_round_left_out() -> None:
    _, _, responses = _survey(5, 1, 5, 1)
    where = classify_rounds(round_spans(responses), date(2024, 12, 1))
    assert where == {"2024 Q3": "before", "2024 Q4": "excluded", "2025 Q1": "after"}


def test_before_after_detects_a_real_drop_with_counts_and_a_test() -> None:
    answers, assignments, responses = _survey(200, 80, 200, 30)
    result = before_after(
        ["access"],
        date(2024, 12, 1),
        answers,
        assignments,
        responses,
        labels={"access": "Access to support"},
    )
    row = result.table.iloc[0]
    assert (
        row["answers_before"],
        row["raised_before"],
        row["answers_after"],
        row["raised_after"],
    ) == (200, 80, 200, 30)
    assert row["share_before"] == pytest.approx(0.4) and row["share_after"] == pytest.approx(0.15)
    assert row["change_points"] == -25.0
    assert row["test"] == "z" and row["p_value"] < 0.001
    assert row["verdict"] == "fewer answers raise it"
    assert "not proof" in row["note"]
    assert row["sentiment_before"] == pytest.approx(-0.5) and row[
        "sentiment_after"
    ] == pytest.approx(0.2)
    assert result.rounds_before == ["2024 Q3"] and result.rounds_excluded == ["2024 Q4"]


def test_before_after_says_when_a_change_is_within_noise() -> None:
    answers, assignments, responses = _survey(100, 30, 100, 26)
    row = before_after(["access"], date(2024, 12, 1), answers, assignments, responses).table.iloc[0]
    assert row["verdict"] == "within noise" and row["p_value"] > 0.05
    assert "within what chance" in row["note"]


def test_before_after_is_honest_about_small_numbers_and_hides_small_counts() -> None:
    answers, assignments, responses = _survey(12, 11, 12, 3)
    row = before_after(["access"], date(2024, 12, 1), answers, assignments, responses).table.iloc[0]
    assert row["verdict"] == "too few answers"
    assert row["raised_before"] == 11
    assert pd.isna(row["raised_after"]) and pd.isna(row["share_after"])  # 3 < 10: not shown
    assert "not shown" in row["note"]


def test_before_after_without_completion_or_later_answers() -> None:
    answers, assignments, responses = _survey(50, 10, 50, 10)
    assert before_after(["access"], None, answers, assignments, responses).table.empty
    row = before_after(["access"], date(2026, 1, 1), answers, assignments, responses).table.iloc[0]
    assert row["verdict"] == "no data" and row["answers_after"] == 0


def test_no_content_answers_are_not_in_the_denominator() -> None:
    answers, assignments, responses = _survey(100, 40, 100, 40)
    answers.loc[answers["response_id"].isin(["b90", "b91"]), "themes"] = "no_content"
    row = before_after(["access"], date(2024, 12, 1), answers, assignments, responses).table.iloc[0]
    assert row["answers_before"] == 98


def test_linked_milestones_puts_completed_first_and_leaves_out_unlinked() -> None:
    milestones = pd.DataFrame(
        {
            "milestone_id": ["M1", "M2", "M3"],
            "milestone": ["Open one", "Done one", "Unlinked"],
            "status": ["on track", "complete", "complete"],
            "themes": ["access", "access|safety", ""],
        }
    )
    history = pd.DataFrame(
        {
            "milestone_id": ["M2", "M3"],
            "changed_at": pd.to_datetime(["2025-02-01", "2025-03-01"]),
            "changed_by": ["a", "b"],
            "field": ["status", "status"],
            "old_value": ["on track", "on track"],
            "new_value": ["complete", "complete"],
        }
    )
    out = progress.linked_milestones(milestones, history)
    assert list(out["milestone_id"]) == ["M2", "M1"]
    assert list(out["name"]) == ["M2 Done one", "M1 Open one"]
    assert out.loc[0, "completed_on"] == pd.Timestamp("2025-02-01")
    assert pd.isna(out.loc[1, "completed_on"])


def test_with_dates_shows_due_dates_as_dates_without_changing_the_input() -> None:
    milestones = pd.DataFrame({"due_date": pd.to_datetime(["2025-01-31", None])})
    out = progress.with_dates(milestones)
    assert out["due_date"].iloc[0] == date(2025, 1, 31)
    assert pd.isna(out["due_date"].iloc[1])
    assert milestones["due_date"].dtype.kind == "M"
