"""The demo plan's dates, moved to today: the demo files were written as of one day, and read a year
later every open milestone would look a year overdue ("16 overdue, 793 days late").

Only open milestones move (due date, last update and their history), by whole months so quarter-end
due dates stay month-ends. Completed milestones keep their dates: "you said, we did" compares the
demo's survey rounds before and after each completion, and those rounds do not move.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

COMPLETE = "complete"


def as_of(milestones: pd.DataFrame, history: pd.DataFrame) -> pd.Timestamp:
    """The day the demo files describe: their latest update or history entry."""
    stamps = pd.to_datetime(
        pd.concat([milestones["updated"], history["changed_at"]]), errors="coerce"
    )
    return stamps.max().normalize()


def months_to_today(written: pd.Timestamp, today: date) -> int:
    """Whole months from the day the files were written to before today (never negative)."""
    months = (today.year - written.year) * 12 + today.month - written.month
    months -= written.day >= today.day  # every update lands before today, never on or after it
    return max(0, months)


def _shift(values: pd.Series, months: int, fmt: str) -> pd.Series:
    stamps = pd.to_datetime(values, errors="coerce")
    moved = stamps + pd.DateOffset(months=months)
    # Month-end due dates stay month-ends (31 March + 1 month is 30 April, not 1 May).
    ends = stamps.dt.is_month_end.fillna(False).to_numpy(dtype=bool)
    moved = moved.where(~ends, moved + pd.offsets.MonthEnd(0))
    return moved.dt.strftime(fmt).where(stamps.notna(), values)


def move_to_today(
    milestones: pd.DataFrame, history: pd.DataFrame, today: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies of the demo tables with every open milestone's dates moved on to `today`'s month."""
    months = months_to_today(as_of(milestones, history), today)
    ms, hist = milestones.copy(), history.copy()
    if months == 0:
        return ms, hist
    open_ = ms["status"].str.strip().str.lower() != COMPLETE
    open_ids = set(ms.loc[open_, "milestone_id"])
    ms.loc[open_, "due_date"] = _shift(ms.loc[open_, "due_date"], months, "%Y-%m-%d")
    ms.loc[open_, "updated"] = _shift(ms.loc[open_, "updated"], months, "%Y-%m-%d %H:%M")
    moving = hist["milestone_id"].isin(open_ids)
    hist.loc[moving, "changed_at"] = _shift(
        hist.loc[moving, "changed_at"], months, "%Y-%m-%d %H:%M"
    )
    return ms, hist
