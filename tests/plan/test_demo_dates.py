"""The demo plan's open milestones move on to today; completed ones keep their dates."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.core import config
from analysis.plan import demo_dates


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    ms = pd.DataFrame(
        {
            "milestone_id": ["M1", "M2", "M3"],
            "due_date": ["2025-03-31", "2025-06-30", ""],
            "status": ["complete", "on track", "at risk"],
            "updated": ["2025-03-21 14:15", "2025-09-26 10:30", "2025-08-09 15:30"],
        }
    )
    hist = pd.DataFrame(
        {"milestone_id": ["M1", "M2"], "changed_at": ["2024-03-29 10:00", "2025-09-26 10:30"]}
    )
    return ms, hist


def test_open_milestones_move_by_whole_months_to_today() -> None:
    ms, hist = demo_dates.move_to_today(*_tables(), today=date(2026, 12, 2))
    # Written 26 Sep 2025; today 2 Dec 2026: 14 whole months on (15 would put the last update
    # on 26 Dec, in the future). 30 June + 14 months = 31 August (a month-end stays one).
    assert ms["due_date"].tolist() == ["2025-03-31", "2026-08-31", ""]
    assert ms["updated"].tolist()[1:] == ["2026-11-26 10:30", "2026-10-09 15:30"]
    assert hist["changed_at"].tolist() == ["2024-03-29 10:00", "2026-11-26 10:30"]


def test_month_ends_stay_month_ends() -> None:
    ms, _ = demo_dates.move_to_today(*_tables(), today=date(2025, 10, 27))
    assert ms.loc[1, "due_date"] == "2025-07-31"  # one month on from 30 June


def test_nothing_moves_in_the_month_the_files_were_written() -> None:
    ms, hist = demo_dates.move_to_today(*_tables(), today=date(2025, 9, 30))
    assert ms.equals(_tables()[0]) and hist.equals(_tables()[1])


def test_the_shipped_demo_plan_is_never_far_overdue_today() -> None:
    ms = pd.read_csv(config.DEMO_MILESTONES, dtype=str, keep_default_na=False)
    hist = pd.read_csv(config.DEMO_MILESTONE_HISTORY, dtype=str, keep_default_na=False)
    today = date(2030, 1, 15)
    moved, _ = demo_dates.move_to_today(ms, hist, today)
    open_ = moved[(moved["status"] != "complete") & (moved["due_date"] != "")]
    late = (pd.Timestamp(today) - pd.to_datetime(open_["due_date"])).dt.days
    # As the files read on the day they were written: the most overdue is about 15 months late.
    assert late.max() < 500


def test_past_due_and_on_track_is_flagged_as_a_contradiction() -> None:
    from analysis.plan import progress

    ms = pd.DataFrame(
        {
            "milestone_id": ["M1", "M2", "M3", "M4"],
            "area": "People",
            "milestone": ["Late but on track", "Late and at risk", "Future on track", "Done late"],
            "owner": "Lead",
            "due_date": ["2026-11-01", "2026-11-01", "2027-01-01", "2026-01-01"],
            "status": ["on track", "at risk", "on track", "complete"],
            "percent_complete": [50, 20, 10, 100],
        }
    )
    found = progress.contradictions(ms, date(2026, 12, 2))
    assert found["milestone_id"].tolist() == ["M1"]
    assert found.loc[0, "days_overdue"] == 31
    sentence = progress.contradiction_sentence(found)
    assert sentence is not None and "M1 Late but on track (31 days past due)" in sentence
    assert progress.contradiction_sentence(found.iloc[0:0]) is None
