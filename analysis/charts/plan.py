"""Figures for the Improvement Plan page: status by area, progress vs plan, timeline, before/after."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from analysis.charts.base import base_layout, empty_figure, safe_label
from analysis.core import config

PLANNED_COLOUR = config.NHS_DARK_GREY


def _wrap(label: str, width: int = 28) -> str:
    # Escape first: the <br> this adds is the only markup a label may carry.
    return "<br>".join(safe_label(line) for line in textwrap.wrap(str(label), width)) or safe_label(
        label
    )


def status_by_area_title(counts: pd.DataFrame) -> str:
    """Finding: how many milestones are complete and how many off track or at risk."""
    total = int(counts["n"].sum())
    if total == 0:
        return "The plan has no milestones yet"
    by = counts.groupby("status")["n"].sum()
    done, off, risk = (
        int(by.get("complete", 0)),
        int(by.get("off track", 0)),
        int(by.get("at risk", 0)),
    )
    return f"{done} of {total} milestones complete; {off} off track and {risk} at risk"


def status_by_area_chart(counts: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: milestones per plan area by status (table: area, status, n)."""
    if counts.empty or counts["n"].sum() == 0:
        return empty_figure("The plan has no milestones yet")
    areas = [a for a in config.PLAN_AREAS if a in set(counts["area"])]
    fig = go.Figure()
    for status in config.MILESTONE_STATUSES:
        sub = counts[counts["status"] == status].set_index("area").reindex(areas)
        fig.add_bar(
            name=status,
            orientation="h",
            y=[_wrap(a) for a in areas],
            x=sub["n"].fillna(0).astype(int).tolist(),
            marker_color=config.STATUS_COLOURS[status],
            hovertemplate="%{y}<br>" + status + ": %{x}<extra></extra>",
        )
    fig = base_layout(fig, status_by_area_title(counts), x_title="Milestones", height=380)
    # Legend in status order (plotly reverses it for stacked bars by default).
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(autorange="reversed")
    return fig


def progress_title(series: pd.DataFrame, area: str) -> str:
    """Finding: the latest actual percent complete against the planned trajectory."""
    if series.empty:
        return f"{area}: no progress recorded yet"
    last = series.sort_values("date").iloc[-1]
    when = pd.Timestamp(last["date"]).strftime("%b %Y")
    actual, planned = last["actual_percent"], last["planned_percent"]
    if pd.isna(planned):
        return f"{area}: {actual:.0f}% complete by {when} (no due dates to plan against)"
    gap = actual - planned
    verdict = "ahead of" if gap >= 5 else ("behind" if gap <= -5 else "in line with")
    return f"{area}: {actual:.0f}% complete by {when}, {verdict} the {planned:.0f}% planned"


def progress_chart(series: pd.DataFrame, area: str) -> go.Figure:
    """Actual percent complete over time (steps) vs the planned trajectory (dashed) for one area."""
    s = series[series["area"] == area].sort_values("date")
    if s.empty:
        return empty_figure(f"{area}: no progress recorded yet")
    fig = go.Figure()
    fig.add_scatter(
        name="Actual (from the history)",
        x=s["date"].tolist(),
        y=s["actual_percent"].tolist(),
        mode="lines",
        line={"color": config.NHS_BLUE, "width": 3, "shape": "hv"},
        hovertemplate="%{x|%d %b %Y}<br>Actual: %{y:.0f}%<extra></extra>",
    )
    fig.add_scatter(
        name="Planned (straight line to each due date)",
        x=s["date"].tolist(),
        y=s["planned_percent"].tolist(),
        mode="lines",
        line={"color": PLANNED_COLOUR, "width": 2, "dash": "dash"},
        hovertemplate="%{x|%d %b %Y}<br>Planned: %{y:.0f}%<extra></extra>",
    )
    fig.update_yaxes(range=[0, 105], ticksuffix="%")
    return base_layout(fig, progress_title(s, area), y_title="Mean percent complete")


def timeline_title(timeline: pd.DataFrame) -> str:
    """Finding: how many open milestones are overdue and how many were completed late."""
    if timeline.empty:
        return "No milestones to show"
    overdue = int(timeline["overdue"].sum())
    late = int(timeline["days_late"].notna().sum())
    done = int(timeline["completed_on"].notna().sum())
    return f"{overdue} milestones are overdue; {late} of {done} completed were finished after their due date"


def timeline_chart(timeline: pd.DataFrame, today: pd.Timestamp | None = None) -> go.Figure:
    """Each milestone's due date (open circle) and completion date (filled), joined when both exist."""
    t = timeline[timeline["due_date"].notna() | timeline["completed_on"].notna()]
    if t.empty:
        return empty_figure("No milestones have a due date yet")
    labels = [
        safe_label(f"{r.milestone_id} {textwrap.shorten(str(r.milestone), 45)}")
        for r in t.itertuples()
    ]
    fig = go.Figure()
    for y, r in zip(labels, t.itertuples()):
        if pd.notna(r.due_date) and pd.notna(r.completed_on):
            fig.add_scatter(
                x=[r.due_date, r.completed_on],
                y=[y, y],
                mode="lines",
                showlegend=False,
                line={"color": "#AEB7BD", "width": 2},
                hoverinfo="skip",
            )
    colours = [config.STATUS_COLOURS.get(s, config.NHS_BLUE) for s in t["status"]]
    fig.add_scatter(
        name="Due date",
        x=[None if pd.isna(d) else d for d in t["due_date"]],
        y=labels,
        mode="markers",
        marker={"symbol": "circle-open", "size": 11, "color": colours, "line": {"width": 2}},
        customdata=t[["status", "percent_complete"]].values.tolist(),
        hovertemplate="%{y}<br>Due %{x|%d %b %Y}<br>%{customdata[0]}, %{customdata[1]}%<extra></extra>",
    )
    done = t[t["completed_on"].notna()]
    fig.add_scatter(
        name="Completed",
        x=done["completed_on"].tolist(),
        y=[lab for lab, ok in zip(labels, t["completed_on"].notna()) if ok],
        mode="markers",
        marker={"symbol": "circle", "size": 10, "color": config.STATUS_COLOURS["complete"]},
        hovertemplate="%{y}<br>Completed %{x|%d %b %Y}<extra></extra>",
    )
    if today is not None:
        fig.add_vline(
            x=pd.Timestamp(today).value / 1e6, line={"color": config.NHS_RED, "dash": "dot"}
        )
        fig.add_annotation(
            x=pd.Timestamp(today),
            y=1.0,
            yref="paper",
            text="today",
            showarrow=False,
            font={"color": config.NHS_RED},
            yanchor="bottom",
        )
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11})
    return base_layout(fig, timeline_title(t), height=max(380, 22 * len(t) + 140))


def before_after_title(table: pd.DataFrame, milestone: str) -> str:
    """Finding: which linked themes changed beyond noise, or that none did."""
    if table.empty:
        return f"No before/after comparison for {milestone}"
    moved = table[table["verdict"].isin(["fewer answers raise it", "more answers raise it"])]
    if moved.empty:
        if (table["verdict"] == "within noise").any():
            return "No clear change in the themes this milestone answers (within noise)"
        return "Not enough answers yet to tell whether these themes changed"
    parts = [
        f"{r.label} {'down' if r.verdict.startswith('fewer') else 'up'}" for r in moved.itertuples()
    ]
    return "After completion: " + ", ".join(parts)


def before_after_chart(table: pd.DataFrame, milestone: str) -> go.Figure:
    """Share of answers raising each linked theme before vs after completion, with n in the labels."""
    if table.empty:
        return empty_figure(f"No before/after comparison for {milestone}")
    fig = go.Figure()
    for period, colour in (("before", config.NHS_DARK_GREY), ("after", config.NHS_BLUE)):
        share = table[f"share_{period}"] * 100
        text = [
            "not shown" if pd.isna(k) else f"{int(k)} of {int(n)}"
            for k, n in zip(table[f"raised_{period}"], table[f"answers_{period}"])
        ]
        fig.add_bar(
            name=f"{period.capitalize()} completion",
            x=[_wrap(lab, 20) for lab in table["label"]],
            y=share.tolist(),
            text=text,
            textposition="outside",
            marker_color=colour,
            hovertemplate="%{x}<br>%{y:.1f}% (%{text})<extra>" + period + "</extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    return base_layout(
        fig, safe_label(before_after_title(table, milestone)), y_title="Share of answers raising it"
    )
