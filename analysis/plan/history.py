"""Improvement Plan history: start and completion dates, progress over time, changes since a date.

Pure functions over the milestones and history tables described in analysis.plan.progress.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from analysis.core import config
from analysis.plan.status import (
    COMPLETE,
    FIELD_LABELS,
    TRACKED_FIELDS,
    _as_timestamp,
    _due,
    flag_milestones,
)

# --- history ---------------------------------------------------------------------------------


def _history(history: pd.DataFrame) -> pd.DataFrame:
    """History with naive UTC `changed_at`, oldest first."""
    h = history.copy()
    h["changed_at"] = pd.to_datetime(h["changed_at"], errors="coerce")
    if getattr(h["changed_at"].dt, "tz", None) is not None:
        h["changed_at"] = h["changed_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    # Stable: changes saved together keep the order they were written in.
    return h.sort_values("changed_at", kind="stable").reset_index(drop=True)


def start_dates(milestones: pd.DataFrame, history: pd.DataFrame) -> pd.Series:
    """When each milestone entered the plan: its "created" entry, else `created`, else first history."""
    h = _history(history)
    created = h[h["field"] == "created"].groupby("milestone_id")["changed_at"].min()
    first = h.groupby("milestone_id")["changed_at"].min()
    out = pd.Series(pd.NaT, index=milestones["milestone_id"], dtype="datetime64[ns]")
    if "created" in milestones.columns:
        out = out.fillna(pd.Series(pd.to_datetime(milestones["created"]).values, index=out.index))
    out = created.reindex(out.index).combine_first(out)
    return out.combine_first(first.reindex(out.index))


def completion_dates(milestones: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Per milestone: completed_on (last time it became complete, if it still is), times_completed, reopened."""
    h = _history(history)
    s = h[h["field"] == "status"]
    to_complete = s[s["new_value"] == COMPLETE].groupby("milestone_id")["changed_at"]
    reopened = s[s["old_value"] == COMPLETE].groupby("milestone_id").size()
    out = pd.DataFrame({"milestone_id": milestones["milestone_id"].values})
    out["last_completed"] = out["milestone_id"].map(to_complete.max())
    out["times_completed"] = out["milestone_id"].map(to_complete.size()).fillna(0).astype(int)
    out["reopened"] = out["milestone_id"].map(reopened).fillna(0).astype(int) > 0
    is_complete = milestones["status"].astype(str).values == COMPLETE
    out["completed_on"] = out["last_completed"].where(is_complete)
    return out


def _step_values(
    h: pd.DataFrame,
    milestone_id: str,
    field: str,
    current: object,
    cast=float,  # noqa: ANN001
) -> tuple[list[pd.Timestamp], list]:
    """Change times and the value from each time on; the value before the first change comes first."""
    rows = h[(h["milestone_id"] == milestone_id) & (h["field"] == field)]
    if rows.empty:
        return [], [cast(current)]
    values = [cast(rows["old_value"].iloc[0] or 0)] + [cast(v) for v in rows["new_value"]]
    return list(rows["changed_at"]), values


def value_at(times: list[pd.Timestamp], values: list, when: pd.Timestamp):  # noqa: ANN201
    """The step function's value at `when` (changes at exactly `when` count)."""
    i = int(
        np.searchsorted(np.array(times, dtype="datetime64[ns]"), np.datetime64(when), side="right")
    )
    return values[i]


def planned_percent(start: pd.Timestamp, due: pd.Timestamp, when: pd.Timestamp) -> float:
    """Planned percent complete at `when`: a straight line from 0 at start to 100 on the due date."""
    if pd.isna(start) or pd.isna(due):
        return float("nan")
    if when <= start:
        return 0.0
    if due <= start or when >= due:
        return 100.0
    return 100.0 * (when - start) / (due - start)


def percent_over_time(
    milestones: pd.DataFrame,
    history: pd.DataFrame,
    *,
    end: date | None = None,
    freq: str = "MS",
) -> pd.DataFrame:
    """Per area and date: mean actual percent complete (from the history) vs the planned trajectory.

    Columns: area, date, actual_percent, planned_percent, milestones (in the plan by then),
    with_due_date (milestones behind the planned line). A milestone counts from the day it entered
    the plan; one without a due date has no planned line, so it is left out of `planned_percent`.
    Dates: every `freq` period start from the plan's first entry to `end`, plus `end` itself.
    """
    cols = ["area", "date", "actual_percent", "planned_percent", "milestones", "with_due_date"]
    if milestones.empty:
        return pd.DataFrame(columns=cols)
    h = _history(history)
    starts = start_dates(milestones, h)
    first = starts.min()
    last = _as_timestamp(end) if end is not None else (h["changed_at"].max() if len(h) else first)
    if pd.isna(first) or pd.isna(last):
        return pd.DataFrame(columns=cols)
    grid = pd.date_range(first.normalize(), last.normalize(), freq=freq)
    grid = grid.union(pd.DatetimeIndex([first.normalize(), last.normalize()]))
    # Sample at the end of each grid day so that day's changes are included.
    sample_at = grid + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    due = _due(milestones)
    rows = []
    for pos, m in enumerate(milestones.itertuples(index=False)):
        times, values = _step_values(h, m.milestone_id, "percent_complete", m.percent_complete)
        start = starts.loc[m.milestone_id]
        for day, when in zip(grid, sample_at):
            if pd.notna(start) and when < start:
                continue  # not in the plan yet
            rows.append(
                (
                    m.area,
                    day,
                    value_at(times, values, when),
                    planned_percent(start, due.iloc[pos], when),
                )
            )
    long = pd.DataFrame(rows, columns=["area", "date", "actual", "planned"])
    if long.empty:
        return pd.DataFrame(columns=cols)
    out = long.groupby(["area", "date"]).agg(
        actual_percent=("actual", "mean"),
        planned_percent=("planned", "mean"),  # mean skips NaN: milestones without a due date
        milestones=("actual", "size"),
        with_due_date=("planned", "count"),
    )
    out = out.reset_index()
    out["actual_percent"] = out["actual_percent"].round(1)
    out["planned_percent"] = out["planned_percent"].round(1)
    order = {a: i for i, a in enumerate(config.PLAN_AREAS)}
    return out.sort_values(["area", "date"], key=lambda s: s.map(order) if s.name == "area" else s)[
        cols
    ].reset_index(drop=True)


def milestone_timeline(
    milestones: pd.DataFrame, history: pd.DataFrame, today: date
) -> pd.DataFrame:
    """Per milestone: start, due date, completion date, whether re-opened, overdue, days late."""
    flagged = flag_milestones(milestones, today)
    comp = completion_dates(milestones, history)
    out = flagged[
        ["milestone_id", "area", "milestone", "owner", "status", "percent_complete"]
    ].copy()
    out["start"] = start_dates(milestones, history).values
    out["due_date"] = _due(milestones).values
    out["completed_on"] = comp["completed_on"].values
    out["reopened"] = comp["reopened"].values
    out["overdue"] = flagged["overdue"].values
    late = (pd.to_datetime(out["completed_on"]).dt.normalize() - out["due_date"]).dt.days
    out["days_late"] = late.where(late > 0)
    return out.sort_values(["due_date", "milestone_id"], na_position="last").reset_index(drop=True)


def changed_since(
    milestones: pd.DataFrame,
    history: pd.DataFrame,
    since: date | datetime,
    *,
    fields: tuple[str, ...] = TRACKED_FIELDS + ("created",),
) -> pd.DataFrame:
    """Every change to status, percent or owner (and new milestones) on or after `since`, newest first.

    Columns: changed_at, milestone_id, area, milestone, field, old_value, new_value, changed_by.
    """
    h = _history(history)
    since_ts = _as_timestamp(since)
    if isinstance(since, date) and not isinstance(since, datetime):
        since_ts = since_ts.normalize()
    h = h[(h["changed_at"] >= since_ts) & h["field"].isin(fields)]
    names = milestones.set_index("milestone_id")[["area", "milestone"]]
    out = h.join(names, on="milestone_id")
    out["field"] = out["field"].map(FIELD_LABELS).fillna(out["field"])
    out.loc[out["field"] == "created", "new_value"] = ""  # the title is already in `milestone`
    cols = [
        "changed_at",
        "milestone_id",
        "area",
        "milestone",
        "field",
        "old_value",
        "new_value",
        "changed_by",
    ]
    return out.sort_values("changed_at", ascending=False, kind="stable")[cols].reset_index(
        drop=True
    )


def changed_since_summary(
    milestones: pd.DataFrame, history: pd.DataFrame, since: date
) -> pd.DataFrame:
    """One row per milestone changed since `since`: what changed (old → new), by whom, when last."""
    changes = changed_since(milestones, history, since)
    # Who and when before the long text, so a narrow screen still shows them.
    cols = ["milestone_id", "milestone", "changed_by", "last_changed", "changes", "area"]
    if changes.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for mid, g in changes.sort_values("changed_at", kind="stable").groupby(
        "milestone_id", sort=False
    ):
        parts = []
        for field, fg in g.groupby("field", sort=False):
            if field == "created":
                parts.append("added to the plan")
            else:
                # First old value to last new value: the net change over the period.
                parts.append(f"{field}: {fg['old_value'].iloc[0]} → {fg['new_value'].iloc[-1]}")
        rows.append(
            {
                "milestone_id": mid,
                "area": g["area"].iloc[0],
                "milestone": g["milestone"].iloc[0],
                "changes": "; ".join(parts),
                "changed_by": ", ".join(dict.fromkeys(g["changed_by"].astype(str))),
                "last_changed": g["changed_at"].max(),
            }
        )
    return (
        pd.DataFrame(rows, columns=cols)
        .sort_values("last_changed", ascending=False)
        .reset_index(drop=True)
    )
