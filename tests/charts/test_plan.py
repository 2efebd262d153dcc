"""Improvement Plan figures: traces, colours and titles that state the finding (asserted on to_dict)."""

from __future__ import annotations

import pandas as pd

from analysis.charts import plan as charts
from analysis.core import config


def test_status_by_area_is_stacked_in_status_colours_with_a_finding_title() -> None:
    counts = pd.DataFrame(
        {
            "area": ["Patient Safety", "Patient Safety", "People"],
            "status": ["complete", "off track", "at risk"],
            "n": [2, 1, 1],
        }
    )
    fig = charts.status_by_area_chart(counts).to_dict()
    assert fig["layout"]["barmode"] == "stack"
    assert [t["name"] for t in fig["data"]] == list(config.MILESTONE_STATUSES)
    assert [t["marker"]["color"] for t in fig["data"]] == [
        config.STATUS_COLOURS[s] for s in config.MILESTONE_STATUSES
    ]
    assert fig["layout"]["title"]["text"] == "2 of 4 milestones complete; 1 off track and 1 at risk"
    empty = charts.status_by_area_chart(counts.assign(n=0)).to_dict()
    assert empty["layout"]["title"]["text"] == "The plan has no milestones yet"


def test_progress_chart_has_actual_steps_and_a_dashed_plan() -> None:
    series = pd.DataFrame(
        {
            "area": ["People"] * 2,
            "date": pd.to_datetime(["2025-01-01", "2025-02-01"]),
            "actual_percent": [20.0, 30.0],
            "planned_percent": [30.0, 50.0],
        }
    )
    fig = charts.progress_chart(series, "People").to_dict()
    actual, planned = fig["data"]
    assert actual["line"]["color"] == config.NHS_BLUE and actual["line"]["shape"] == "hv"
    assert planned["line"]["dash"] == "dash"
    assert list(actual["y"]) == [20.0, 30.0]
    assert (
        fig["layout"]["title"]["text"] == "People: 30% complete by Feb 2025, behind the 50% planned"
    )
    assert (
        "no progress"
        in charts.progress_chart(series, "Culture").to_dict()["layout"]["title"]["text"]
    )


def test_timeline_marks_due_and_completion_dates() -> None:
    timeline = pd.DataFrame(
        {
            "milestone_id": ["M1", "M2", "M3"],
            "milestone": ["a", "b", "c"],
            "status": ["complete", "off track", "on track"],
            "percent_complete": [100, 40, 10],
            "due_date": pd.to_datetime(["2025-01-31", "2025-03-31", None]),
            "completed_on": pd.to_datetime(["2025-02-10", None, None]),
            "overdue": [False, True, False],
            "days_late": [10.0, None, None],
        }
    )
    fig = charts.timeline_chart(timeline, pd.Timestamp("2025-06-01")).to_dict()
    names = [t.get("name") for t in fig["data"]]
    assert "Due date" in names and "Completed" in names
    completed = fig["data"][names.index("Completed")]
    assert len(completed["x"]) == 1
    assert fig["layout"]["title"]["text"] == (
        "1 milestones are overdue; 1 of 1 completed were finished after their due date"
    )


def test_before_after_bars_carry_counts_and_say_not_shown_for_small_ones() -> None:
    table = pd.DataFrame(
        {
            "label": ["Access to support"],
            "answers_before": [200],
            "raised_before": [80],
            "share_before": [0.4],
            "answers_after": [200],
            "raised_after": [float("nan")],
            "share_after": [float("nan")],
            "verdict": ["too few answers"],
        }
    )
    fig = charts.before_after_chart(table, "M1").to_dict()
    before, after = fig["data"]
    assert list(before["text"]) == ["80 of 200"] and list(after["text"]) == ["not shown"]
    assert after["marker"]["color"] == config.NHS_BLUE
    assert fig["layout"]["title"]["text"].startswith("Not enough answers")
    moved = table.assign(raised_after=30, share_after=0.15, verdict="fewer answers raise it")
    assert charts.before_after_title(moved, "M1") == "After completion: Access to support down"


def test_milestone_names_from_an_import_cannot_become_links_in_a_chart() -> None:
    from analysis.charts.plan import _wrap

    label = _wrap('<a href="https://evil.example">Reduce waits</a> for first appointments', 20)
    assert "<a" not in label and "&lt;a" in label
    assert "<br>" in label  # the only markup a label keeps is the line break it adds
