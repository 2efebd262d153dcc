"""The pack's Improvement Plan section."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd

from analysis.charts import plan as plan_charts
from analysis.core import config
from analysis.plan import progress
from analysis.report import html_parts as h
from analysis.report.common import (
    HISTORY_COLUMNS,
    Pack,
    Section,
)

log = logging.getLogger(__name__)


# --- Improvement Plan ---------------------------------------------------------------------------


def plan_finding(milestones: pd.DataFrame, today: date) -> str:
    """Plan status in one sentence: milestones complete, on track, at risk, off track, overdue."""
    if milestones is None or milestones.empty:
        return "The Improvement Plan has no milestones yet."
    flagged = progress.flag_milestones(milestones, today)
    by = flagged["status"].value_counts()
    counts = ", ".join(
        f"{int(by.get(s, 0))} {s}"
        for s in ("complete", "on track", "at risk", "off track", "not started")
    )
    return (
        f"Improvement Plan: {len(flagged)} milestones ({counts}); {int(flagged['overdue'].sum())} overdue "
        f"as of {today:%d %B %Y}."
    )


def plan_section(
    pack: Pack, milestones: pd.DataFrame | None, history: pd.DataFrame | None
) -> Section:
    """Status by area, overdue milestones, timeline and progress against plan, each with its table."""
    if milestones is None or milestones.empty:
        return Section(h.paragraph("No Improvement Plan milestones were given for this pack."),
                       [plan_finding(milestones, pack.today)])  # fmt: skip
    history = history if history is not None else pd.DataFrame(columns=HISTORY_COLUMNS)
    today = pack.today
    counts = progress.status_counts(milestones)
    parts = [
        pack.figure(plan_charts.status_by_area_chart(counts),
                    f"n = {len(milestones)} milestones in {len(config.PLAN_AREAS)} areas."),
        pack.table(progress.area_summary(milestones, today), "Milestones per area by status, overdue and due soon"),
    ]  # fmt: skip
    clash = progress.contradiction_sentence(progress.contradictions(milestones, today))
    if clash:
        parts.insert(0, h.notice(clash))
    overdue = progress.overdue_milestones(milestones, today)
    if overdue.empty:
        parts.append(h.paragraph(f"No milestone is overdue as of {today:%d %B %Y}."))
    else:
        parts.append(
            pack.table(overdue, f"Overdue milestones as of {today:%d %B %Y}, most overdue first")
        )
    timeline = progress.milestone_timeline(milestones, history, today)
    parts.append(pack.figure(plan_charts.timeline_chart(timeline, pd.Timestamp(today)),
                             "Open circles: due dates (colour = status); filled: completion dates."))  # fmt: skip
    parts.append(pack.table(timeline, "Milestone timeline: start, due, completed, overdue, days late", columns={
        "milestone_id": "Id", "area": "Area", "milestone": "Milestone", "status": "Status",
        "percent_complete": "% complete", "due_date": "Due", "completed_on": "Completed", "overdue": "Overdue",
        "days_late": "Days late"}))  # fmt: skip
    series = progress.percent_over_time(milestones, history, end=today)
    for area in config.PLAN_AREAS:
        if (series["area"] == area).any():
            parts.append(pack.figure(plan_charts.progress_chart(series, area),
                                     "Mean percent complete from the change history against the planned line."))  # fmt: skip
    if not series.empty:
        parts.append(
            pack.table(series, "Percent complete over time by area: actual against planned")
        )
    return Section("".join(parts), [plan_finding(milestones, today)] + ([clash] if clash else []))
