"""Improvement Plan progress: status model, per-area summary, progress over time, changes since a date.

Pure functions over two tidy tables (see analysis.plan.milestone_store for where they come from):
  milestones: schema.MILESTONE_COLUMNS (+ optional `created`, `version`); `due_date` a date or NaT.
  history: milestone_id, changed_at, changed_by, field, old_value, new_value; `field` is one of
      "created", "area", "milestone", "owner", "due_date", "status", "percent_complete", "evidence",
      "themes". Values are stored as text.
`today` is always an argument (the app passes the real date; tests pass fixed ones).
The "you said, we did" comparison lives in analysis.plan.impact (re-exported here).
"""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd

from analysis.core import config

# The status model and the history functions live in sibling modules; re-exported here so callers
# find the whole progress API in one module.
from analysis.plan.history import (  # noqa: F401
    _history,
    changed_since,
    changed_since_summary,
    completion_dates,
    milestone_timeline,
    percent_over_time,
    planned_percent,
    start_dates,
    value_at,
)
from analysis.plan.status import (  # noqa: F401
    COMPLETE,
    FIELD_LABELS,
    STATUSES,
    TRACKED_FIELDS,
    _as_timestamp,
    _due,
    flag_milestones,
    normalise_status,
)

log = logging.getLogger(__name__)


def status_counts(milestones: pd.DataFrame) -> pd.DataFrame:
    """Milestones per area and status (every area x status pair, zeros included): area, status, n."""
    idx = pd.MultiIndex.from_product([config.PLAN_AREAS, STATUSES], names=["area", "status"])
    counts = milestones.groupby(["area", "status"]).size().reindex(idx, fill_value=0)
    return counts.rename("n").reset_index()


def area_summary(
    milestones: pd.DataFrame, today: date, *, horizon_days: int = config.PLAN_DUE_SOON_DAYS
) -> pd.DataFrame:
    """One row per plan area: milestones, count per status, mean percent complete, overdue, due soon."""
    flagged = flag_milestones(milestones, today, horizon_days=horizon_days)
    wide = (
        status_counts(flagged)
        .pivot(index="area", columns="status", values="n")
        .reindex(index=list(config.PLAN_AREAS), columns=list(STATUSES))
        .fillna(0)
        .astype(int)
    )
    grouped = flagged.groupby("area")
    out = pd.DataFrame(index=pd.Index(config.PLAN_AREAS, name="area"))
    out["milestones"] = grouped.size().reindex(out.index, fill_value=0).astype(int)
    out = out.join(wide)
    pct = pd.to_numeric(flagged["percent_complete"], errors="coerce")
    out["percent_complete"] = pct.groupby(flagged["area"]).mean().reindex(out.index).round(1)
    out["overdue"] = grouped["overdue"].sum().reindex(out.index, fill_value=0).astype(int)
    out[f"due_next_{horizon_days}_days"] = (
        grouped["due_soon"].sum().reindex(out.index, fill_value=0).astype(int)
    )
    return out.reset_index()


def overdue_milestones(milestones: pd.DataFrame, today: date) -> pd.DataFrame:
    """Open milestones past their due date, most overdue first."""
    flagged = flag_milestones(milestones, today)
    cols = [
        "milestone_id",
        "area",
        "milestone",
        "owner",
        "due_date",
        "status",
        "percent_complete",
        "days_overdue",
    ]
    return (
        flagged.loc[flagged["overdue"], cols]
        .sort_values("days_overdue", ascending=False)
        .reset_index(drop=True)
    )


def contradictions(milestones: pd.DataFrame, today: date) -> pd.DataFrame:
    """Milestones past their due date yet still marked "on track": a status that cannot be true."""
    flagged = flag_milestones(milestones, today)
    cols = ["milestone_id", "area", "milestone", "owner", "due_date", "status", "days_overdue"]
    bad = flagged["overdue"] & (flagged["status"].astype(str) == "on track")
    return (
        flagged.loc[bad, cols].sort_values("days_overdue", ascending=False).reset_index(drop=True)
    )


def contradiction_sentence(found: pd.DataFrame) -> str | None:
    """The warning for `contradictions(...)` in words, or None when there are none."""
    if found.empty:
        return None
    names = "; ".join(
        f"{r.milestone_id} {r.milestone} ({r.days_overdue} days past due)"
        for r in found.head(5).itertuples()
    )
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    return (
        f"{len(found)} milestone(s) are past their due date but still marked on track, which cannot both "
        f"be true: {names}{more}. Ask the owner for a new date or a truer status."
    )


def due_soon(
    milestones: pd.DataFrame, today: date, *, horizon_days: int = config.PLAN_DUE_SOON_DAYS
) -> pd.DataFrame:
    """Open milestones due in the next `horizon_days` days, soonest first."""
    flagged = flag_milestones(milestones, today, horizon_days=horizon_days)
    cols = ["milestone_id", "area", "milestone", "owner", "due_date", "status", "percent_complete"]
    return flagged.loc[flagged["due_soon"], cols].sort_values("due_date").reset_index(drop=True)


def with_dates(milestones: pd.DataFrame) -> pd.DataFrame:
    """A copy of `milestones` with `due_date` as plain dates (how a table shows them)."""
    out = milestones.copy()
    if "due_date" in out:
        out["due_date"] = pd.to_datetime(out["due_date"]).dt.date
    return out


def linked_milestones(milestones: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Milestones linked to at least one theme, completed ones first, with their completion dates.

    Adds `completed_on`, `last_completed` (from completion_dates) and `name` ("M1 title").
    """
    linked = milestones[milestones["themes"].astype(str).str.len() > 0]
    comp = completion_dates(milestones, history).set_index("milestone_id")
    linked = linked.assign(
        completed_on=linked["milestone_id"].map(comp["completed_on"]),
        last_completed=linked["milestone_id"].map(comp["last_completed"]),
        name=linked["milestone_id"] + " " + linked["milestone"],
    )
    done = linked["completed_on"].notna()
    order = linked.assign(_done=done).sort_values(
        ["_done", "milestone_id"], ascending=[False, True]
    )
    return order.drop(columns="_done").reset_index(drop=True)


def informing_themes(codebook, areas: tuple[str, ...] = config.PLAN_AREAS) -> pd.DataFrame:  # noqa: ANN001
    """Per plan area, the (active) codebook themes that inform it: area, theme_id, label."""
    rows = [
        (t.plan_area, t.id, t.label)
        for t in codebook.themes
        if not t.retired and t.plan_area in areas
    ]
    out = pd.DataFrame(rows, columns=["area", "theme_id", "label"])
    order = {a: i for i, a in enumerate(areas)}
    return out.sort_values(
        ["area", "label"], key=lambda s: s.map(order) if s.name == "area" else s
    ).reset_index(drop=True)


# Re-exported so callers find the whole progress API in one module.
from analysis.plan.impact import BeforeAfter, before_after  # noqa: E402, F401
