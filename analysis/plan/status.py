"""Improvement Plan status model: the statuses, the words people type for them, and overdue/due-soon flags.

Shared by analysis.plan.progress (summaries) and analysis.plan.history (progress over time).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd

from analysis.core import config

STATUSES: tuple[str, ...] = config.MILESTONE_STATUSES
COMPLETE = "complete"
# Fields whose changes reviewers ask about ("what changed since the last meeting?").
TRACKED_FIELDS: tuple[str, ...] = ("status", "percent_complete", "owner")
FIELD_LABELS = {
    "created": "created",
    "area": "area",
    "milestone": "milestone",
    "owner": "owner",
    "due_date": "due date",
    "status": "status",
    "percent_complete": "percent complete",
    "evidence": "evidence",
    "themes": "themes",
}
# Words people type in plan spreadsheets (RAG ratings included) and the status each means.
_STATUS_ALIASES = {
    "not started": "not started",
    "not yet started": "not started",
    "notstarted": "not started",
    "on track": "on track",
    "ontrack": "on track",
    "green": "on track",
    "in progress": "on track",
    "at risk": "at risk",
    "atrisk": "at risk",
    "amber": "at risk",
    "off track": "off track",
    "offtrack": "off track",
    "red": "off track",
    "complete": "complete",
    "completed": "complete",
    "done": "complete",
    "blue": "complete",
}


def normalise_status(value: object) -> str:
    """The canonical status for `value` ("On-Track", "Amber", "completed" ...); ValueError if unknown."""
    text = re.sub(r"[\s_\-]+", " ", str(value if value is not None else "")).strip().lower()
    if text in _STATUS_ALIASES:
        return _STATUS_ALIASES[text]
    raise ValueError(f'unknown status "{str(value)[:40]}" (use one of: {", ".join(STATUSES)})')


def _as_timestamp(value: date | datetime | str | pd.Timestamp) -> pd.Timestamp:
    """`value` as a naive UTC timestamp (the store keeps naive UTC)."""
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:  # the store keeps naive UTC; compare like with like
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def _due(milestones: pd.DataFrame) -> pd.Series:
    """Each milestone's due date as a timestamp (NaT when missing or unreadable)."""
    return pd.to_datetime(milestones["due_date"], errors="coerce")


def flag_milestones(
    milestones: pd.DataFrame, today: date, *, horizon_days: int = config.PLAN_DUE_SOON_DAYS
) -> pd.DataFrame:
    """Add `overdue` (due before today, not complete), `days_overdue` and `due_soon` (next horizon_days)."""
    out = milestones.copy()
    today_ts = _as_timestamp(today).normalize()
    due = _due(out)
    open_ = out["status"].astype(str) != COMPLETE
    out["overdue"] = (open_ & due.notna() & (due < today_ts)).astype(bool)
    out["days_overdue"] = np.where(out["overdue"], (today_ts - due).dt.days, 0).astype(int)
    out["due_soon"] = (
        open_
        & due.notna()
        & (due >= today_ts)
        & (due <= today_ts + pd.Timedelta(days=horizon_days))
    ).astype(bool)
    return out
