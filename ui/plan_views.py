"""The Improvement Plan page's read-only sections: plan link, at a glance, over time, what changed,
and "you said, we did".
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis.charts import plan as charts
from analysis.core import config
from analysis.core.memo import FrameMemo
from analysis.core.words import plain_columns
from analysis.plan import plan_datasets, progress
from analysis.plan.impact import before_after
from ui import auth, deeplink
from ui.plan_data import (
    HORIZON_DAYS,
    current_codebook,
    dataset_uses_plan,
    display_table,
    progress_series,
    theme_labels,
)
from ui.widgets import chart_with_table, md_safe

if TYPE_CHECKING:
    from ui.context import PageContext

log = logging.getLogger(__name__)


def render_plan_link(ctx: PageContext, editable: bool) -> None:
    """Say whether the chosen dataset uses this plan; editors can link or unlink it."""
    uses = dataset_uses_plan(ctx.dataset_id)
    if uses:
        st.caption(
            "This dataset uses this Improvement Plan: its meeting pack and presentation show it."
        )
    else:
        st.info("This dataset does not use this Improvement Plan, so its meeting pack and presentation "
                "leave the plan out.")  # fmt: skip
    if editable and st.button(
        "Stop using this plan for this dataset" if uses else "Use this plan for this dataset",
        key="plan_link",
    ):
        plan_datasets.set_uses_plan(ctx.dataset_id, not uses, by=auth.editor_name())
        st.rerun()


def render_glance(milestones: pd.DataFrame, history: pd.DataFrame, today: date) -> None:
    """Headline numbers, milestones by status per area, overdue and due soon, informing themes."""
    flagged = progress.flag_milestones(milestones, today, horizon_days=HORIZON_DAYS)
    cols = st.columns(4)
    cols[0].metric("Milestones", len(flagged))
    cols[1].metric("Complete", int((flagged["status"] == "complete").sum()))
    cols[2].metric("Overdue", int(flagged["overdue"].sum()))
    cols[3].metric(f"Due in the next {HORIZON_DAYS} days", int(flagged["due_soon"].sum()))
    if len(history):
        st.caption(
            f"Last change recorded {pd.Timestamp(history['changed_at'].max()):%d %b %Y}; "
            f"overdue and due dates are relative to today, {today:%d %b %Y}."
        )
    clash = progress.contradiction_sentence(progress.contradictions(milestones, today))
    if clash:
        st.warning(md_safe(clash))
    summary = progress.area_summary(milestones, today, horizon_days=HORIZON_DAYS)
    chart_with_table(
        charts.status_by_area_chart(progress.status_counts(milestones)),
        summary,
        key="plan_status",
        caption=f"n = {len(milestones)} milestones in {len(config.PLAN_AREAS)} areas; percent complete "
        "is the mean of the area's milestones.",
    )
    left, right = st.columns(2)
    with left:
        st.header("Overdue")
        overdue = progress.overdue_milestones(milestones, today)
        if overdue.empty:
            st.success("No milestone is overdue.")
        else:
            st.dataframe(plain_columns(display_table(overdue)), hide_index=True, key="plan_overdue")
    with right:
        st.header(f"Due in the next {HORIZON_DAYS} days")
        soon = progress.due_soon(milestones, today, horizon_days=HORIZON_DAYS)
        if soon.empty:
            st.info(f"Nothing is due in the next {HORIZON_DAYS} days.")
        else:
            st.dataframe(plain_columns(display_table(soon)), hide_index=True, key="plan_due_soon")
    st.header("Themes that inform each area")
    try:
        themes = progress.informing_themes(current_codebook())
    except Exception:  # noqa: BLE001 - a damaged codebook must never break the plan page
        log.warning("no codebook for informing themes", exc_info=True)
        themes = pd.DataFrame(columns=["area", "theme_id", "label"])
    if themes.empty:
        st.info(
            "No codebook theme is linked to a plan area yet (set a theme's plan area on the Codebook page)."
        )
    else:
        st.dataframe(plain_columns(themes), hide_index=True, key="plan_informing")


def render_over_time(
    token: str, milestones: pd.DataFrame, history: pd.DataFrame, today: date
) -> None:
    """Percent complete over time vs the planned trajectory per area, and the milestone timeline."""
    series = progress_series(token, today)
    deeplink.bind_value("area", "plan_area", config.PLAN_AREAS)
    area = st.selectbox("Plan area", config.PLAN_AREAS, key="plan_area")
    area_series = series[series["area"] == area]
    no_due = int(milestones.loc[milestones["area"] == area, "due_date"].isna().sum())
    caption = (
        f"Mean percent complete of the area's milestones from their change history, against a "
        f"straight line from each milestone's start to its due date. n = "
        f"{int((milestones['area'] == area).sum())} milestones."
    )
    if no_due:
        caption += f" {no_due} without a due date are left out of the planned line."
    chart_with_table(
        charts.progress_chart(series, area), area_series, key="plan_progress", caption=caption
    )
    timeline = progress.milestone_timeline(milestones, history, today)
    chart_with_table(
        charts.timeline_chart(timeline, pd.Timestamp(today)),
        timeline,
        key="plan_timeline",
        caption="Open circles: due dates (colour = status); filled: completion dates. A re-opened "
        "milestone has no completion date until it is completed again.",
    )


def render_changed_since(milestones: pd.DataFrame, history: pd.DataFrame, today: date) -> None:
    """Every milestone whose status, percent or owner changed since a chosen date, and by whom."""
    since = st.date_input(
        "Changed since",
        value=today - timedelta(days=30),
        max_value=today,
        key="plan_since",
        format="DD/MM/YYYY",
    )
    summary = progress.changed_since_summary(milestones, history, since)
    if summary.empty:
        st.info(
            f"No milestone's status, percent complete or owner has changed since {since:%d %b %Y}."
        )
        return
    st.caption(f"{len(summary)} milestones changed since {since:%d %b %Y} (times in UTC).")
    st.dataframe(summary, hide_index=True, key="plan_changed")
    with st.expander("Every change, newest first"):
        st.dataframe(
            progress.changed_since(milestones, history, since),
            hide_index=True,
            key="plan_changes_detail",
        )


# Keyed on the identity of the classification and the chosen answers (shared, never changed in place).
_BEFORE_AFTER = FrameMemo(16)


def _before_after_for(ctx: PageContext, theme_ids: list[str], completed, labels: dict[str, str]):  # noqa: ANN001, ANN202
    """before_after for the chosen answers; worked out once per classification, selection and milestone."""
    from ui.cache import theme_result  # classification only when this tab is used

    result = theme_result(ctx)
    return _BEFORE_AFTER.get_or_compute(
        (result.answers, result.assignments, ctx.responses),
        (tuple(theme_ids), completed, tuple(sorted(labels.items()))),
        lambda: before_after(
            theme_ids, completed, result.answers, result.assignments, ctx.responses, labels=labels
        ),
    )


def render_you_said_we_did(
    milestones: pd.DataFrame, history: pd.DataFrame, ctx: PageContext
) -> None:
    """For a milestone's linked themes: share and sentiment of answers before vs after completion."""
    if ctx.withheld:
        st.info(ctx.selection.message)  # no before/after figures about a withheld selection
        return
    linked = progress.linked_milestones(milestones, history)
    if linked.empty:
        st.info("No milestone is linked to a theme yet. Add theme ids in the Edit tab.")
        return
    names = dict(zip(linked["milestone_id"], linked["name"]))
    deeplink.bind_value("milestone", "plan_ysd_milestone", list(names))
    mid = st.selectbox("Milestone", list(names), format_func=names.get, key="plan_ysd_milestone")
    row = linked.set_index("milestone_id").loc[mid]
    labels = theme_labels()
    theme_ids = [t for t in str(row["themes"]).split("|") if t]
    st.text("Answers the themes: " + "; ".join(labels.get(t, t) for t in theme_ids))
    completed = row["completed_on"]
    if pd.isna(completed):
        last = row["last_completed"]
        extra = f" It was completed on {last:%d %b %Y} and re-opened." if pd.notna(last) else ""
        st.info(
            "This milestone is not complete, so there is no before and after to compare yet."
            + md_safe(extra)
        )
        return
    ba = _before_after_for(ctx, theme_ids, completed, labels)

    def rounds(labels: list[str], empty: str) -> str:
        return md_safe(", ".join(labels)) if labels else empty  # round labels come from the data

    st.caption(
        f"Completed {completed:%d %b %Y}. Before: {rounds(ba.rounds_before, 'no rounds')}; after: "
        f"{rounds(ba.rounds_after, 'no rounds')}; left out (completion round): "
        f"{rounds(ba.rounds_excluded, 'none')}. Dataset: {md_safe(ctx.dataset_name)}, filters applied."
    )
    chart_with_table(
        charts.before_after_chart(ba.table, f"{mid}"),
        ba.table,
        key="plan_before_after",
        table_label="The numbers (answers, shares, sentiment, test)",
    )
    for note in ba.table["note"]:
        st.text(note)  # plain text: notes contain codebook labels
    if ba.note:
        st.text(ba.note)
