"""The Improvement Plan page's app side: cached loaders and the sections the page renders.

Plan tables are cached on a cheap store token (analysis.plan.milestone_store.plan_version), so every save is
seen at once. Editing uses optimistic concurrency: the versions the user started from are pinned in
session state when an edit session begins, so a save never silently overwrites a newer change.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis.charts import plan as charts
from analysis.core import config
from analysis.core.memo import FrameMemo
from analysis.core.schema import ValidationError
from analysis.core.words import plain_columns
from analysis.plan import import_export as plan_io
from analysis.plan import milestone_store as plan_store
from analysis.plan import plan_datasets, progress
from analysis.plan.impact import before_after
from analysis.store import StoreError
from ui import auth, deeplink
from ui.widgets import XLSX_MIME, chart_with_table, md_safe

if TYPE_CHECKING:
    from ui.context import PageContext

log = logging.getLogger(__name__)

HORIZON_DAYS = config.PLAN_DUE_SOON_DAYS
EDITOR_GEN = "plan_editor_gen"  # bumped after a save so the table shows the stored values afresh
EDITOR_BASE = (
    "plan_editor_base"  # {"gen", "token", "versions": {id: version}} the user started from
)
FLASH = "plan_flash"  # messages from the last save, shown after the rerun
IMPORTED = "plan_imported"  # hashes of files imported in this session (a second click adds nothing)
FORM_BASE = "plan_form_base"  # {form suffix: version the update form was drawn from}


# --- loaders ---------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _demo_plan_loaded(db_url: str) -> int:
    """Seed the demo plan once per store and process (a no-op when the store has milestones)."""
    del db_url  # part of the cache key only
    return plan_store.ensure_demo_plan()


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _plan(token: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    del token  # cache key: changes with every save
    return plan_store.load_milestones(), plan_store.load_history()


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _series(token: str, today: date) -> pd.DataFrame:
    milestones, history = _plan(token)
    return progress.percent_over_time(milestones, history, end=today)


def plan_token() -> str:
    """Seed the demo plan if the store has none; return the plan's current version token."""
    _demo_plan_loaded(config.database_url())
    return plan_store.plan_version()


def dataset_uses_plan(dataset_id: int) -> bool:
    """Whether the dataset is linked to the Improvement Plan (its pack and deck show the plan)."""
    return plan_datasets.uses_plan(dataset_id)


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


def plan_tables(token: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Milestones and history for `token` (copies: cached objects are never mutated)."""
    milestones, history = _plan(token)
    return milestones.copy(), history.copy()


def _codebook():  # noqa: ANN202
    """The current codebook (edited one from the store when available, else the default file)."""
    try:
        from analysis.themes import codebook_store

        return codebook_store.latest_codebook()
    except Exception:  # noqa: BLE001 - a page still renders without theme links
        log.warning("codebook store unavailable; using the default codebook", exc_info=True)
        from analysis.themes.codebook import default_codebook

        return default_codebook()


def _labels() -> dict[str, str]:
    try:
        return _codebook().labels()
    except Exception:  # noqa: BLE001
        return {}


def _display(milestones: pd.DataFrame) -> pd.DataFrame:
    out = milestones.copy()
    for col in ("due_date",):
        if col in out:
            out[col] = pd.to_datetime(out[col]).dt.date
    return out


# --- sections --------------------------------------------------------------------------------


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
            st.dataframe(plain_columns(_display(overdue)), hide_index=True, key="plan_overdue")
    with right:
        st.header(f"Due in the next {HORIZON_DAYS} days")
        soon = progress.due_soon(milestones, today, horizon_days=HORIZON_DAYS)
        if soon.empty:
            st.info(f"Nothing is due in the next {HORIZON_DAYS} days.")
        else:
            st.dataframe(plain_columns(_display(soon)), hide_index=True, key="plan_due_soon")
    st.header("Themes that inform each area")
    try:
        themes = progress.informing_themes(_codebook())
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
    series = _series(token, today)
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
    linked = milestones[milestones["themes"].astype(str).str.len() > 0]
    if linked.empty:
        st.info("No milestone is linked to a theme yet. Add theme ids in the Edit tab.")
        return
    comp = progress.completion_dates(milestones, history).set_index("milestone_id")
    linked = linked.assign(_done=linked["milestone_id"].map(comp["completed_on"]).notna())
    linked = linked.sort_values(["_done", "milestone_id"], ascending=[False, True])
    names = dict(zip(linked["milestone_id"], linked["milestone_id"] + " " + linked["milestone"]))
    deeplink.bind_value("milestone", "plan_ysd_milestone", list(names))
    mid = st.selectbox("Milestone", list(names), format_func=names.get, key="plan_ysd_milestone")
    row = linked.set_index("milestone_id").loc[mid]
    labels = _labels()
    theme_ids = [t for t in str(row["themes"]).split("|") if t]
    st.text("Answers the themes: " + "; ".join(labels.get(t, t) for t in theme_ids))
    completed = comp.loc[mid, "completed_on"]
    if pd.isna(completed):
        last = comp.loc[mid, "last_completed"]
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


# --- editing ---------------------------------------------------------------------------------


def render_flash() -> None:
    """Messages from the last save or import (shown once, above the tabs, after the rerun)."""
    for kind, message in st.session_state.pop(FLASH, []):
        getattr(st, kind)(md_safe(message))


def _after_save(messages: list[tuple[str, str]]) -> None:
    st.session_state[FLASH] = messages
    st.session_state[EDITOR_GEN] = st.session_state.get(EDITOR_GEN, 0) + 1
    st.session_state.pop(EDITOR_BASE, None)
    st.session_state.pop(FORM_BASE, None)
    st.rerun()


def _base_versions(token: str, milestones: pd.DataFrame, editor_key: str) -> dict[str, int]:
    """The versions this edit session started from (refreshed only while nothing is being edited)."""
    base = st.session_state.get(EDITOR_BASE)
    pending = st.session_state.get(editor_key) or {}
    editing = (
        any(pending.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))
        if isinstance(pending, dict)
        else False
    )
    if (
        base is None
        or base.get("key") != editor_key
        or (base.get("token") != token and not editing)
    ):
        base = {
            "key": editor_key,
            "token": token,
            "versions": dict(zip(milestones["milestone_id"], milestones["version"].astype(int))),
        }
        st.session_state[EDITOR_BASE] = base
    return base["versions"]


def _save_edits(edits: list[plan_store.MilestoneEdit]) -> None:
    if not edits:
        st.info("Nothing to save: no cell was changed.")
        return
    try:
        result = plan_store.apply_edits(edits, by=auth.editor_name())
    except (StoreError, ValidationError) as exc:
        st.error(md_safe(exc))
        return
    messages = []
    if result.saved:
        messages.append(
            ("success", f"Saved {len(result.saved)} milestone(s): {', '.join(result.saved)}.")
        )
    messages += [("error", m) for m in result.conflicts] + [("warning", m) for m in result.problems]
    _after_save(messages)


def render_editor(token: str, milestones: pd.DataFrame, editable: bool) -> None:
    """The plan as an editable table (editors) with a Save that applies only the changed cells."""
    if not editable:
        st.info("Only editors can change the plan.")
        st.dataframe(
            _display(milestones[list(plan_store.MILESTONE_COLUMNS)]),
            hide_index=True,
            key="plan_readonly",
        )
        return
    auth.name_input("Your name or role (recorded with every change)")
    editor_key = f"plan_editor_{st.session_state.get(EDITOR_GEN, 0)}"
    versions = _base_versions(token, milestones, editor_key)
    # Editable columns first, so they are on screen without scrolling sideways.
    shown = _display(milestones)[
        [
            "milestone_id",
            "milestone",
            "status",
            "percent_complete",
            "owner",
            "due_date",
            "evidence",
            "area",
            "themes",
            "updated",
            "updated_by",
        ]
    ]
    edited = st.data_editor(
        shown,
        key=editor_key,
        hide_index=True,
        num_rows="fixed",
        disabled=["milestone_id", "area", "milestone", "themes", "updated", "updated_by"],
        column_config={
            "milestone": st.column_config.TextColumn("milestone", width="large"),
            "status": st.column_config.SelectboxColumn(
                "status", options=list(config.MILESTONE_STATUSES), required=True
            ),
            "percent_complete": st.column_config.NumberColumn(
                "% complete", min_value=0, max_value=100, step=1, required=True
            ),
            "owner": st.column_config.TextColumn("owner", max_chars=plan_store.MAX_OWNER_CHARS),
            "due_date": st.column_config.DateColumn("due date", format="DD/MM/YYYY"),
            "evidence": st.column_config.TextColumn(
                "evidence", max_chars=plan_store.MAX_EVIDENCE_CHARS
            ),
            "updated": st.column_config.DatetimeColumn("updated (UTC)", format="DD/MM/YYYY HH:mm"),
        },
    )
    if st.button("Save changes", type="primary", key="plan_save"):
        base = shown.assign(version=shown["milestone_id"].map(versions).fillna(0).astype(int))
        _save_edits(plan_store.diff_edits(base, edited))


def render_edit_form(milestones: pd.DataFrame, editable: bool) -> None:
    """Change one milestone with ordinary form fields (also the keyboard- and screen-reader-friendly way)."""
    if not editable or milestones.empty:
        return
    names = dict(
        zip(milestones["milestone_id"], milestones["milestone_id"] + " " + milestones["milestone"])
    )
    mid = st.selectbox(
        "Milestone to update", list(names), format_func=names.get, key="plan_form_milestone"
    )
    row = milestones.set_index("milestone_id").loc[mid]
    # Keys carry the id and the edit generation (bumped after every save), so another milestone or
    # a fresh start gets fresh fields. The version the form was drawn from is pinned in session
    # state: if someone else saves meanwhile, this form's save is refused as a conflict.
    sfx = f"{mid}_{st.session_state.get(EDITOR_GEN, 0)}"
    pinned = st.session_state.setdefault(FORM_BASE, {})
    version = pinned.setdefault(sfx, int(row["version"]))
    with st.form(f"plan_update_{sfx}"):
        status = st.selectbox(
            "Status",
            config.MILESTONE_STATUSES,
            index=config.MILESTONE_STATUSES.index(row["status"]),
            key=f"plan_form_status_{sfx}",
        )
        percent = st.number_input(
            "Percent complete", 0, 100, int(row["percent_complete"]), key=f"plan_form_percent_{sfx}"
        )
        owner = st.text_input("Owner", row["owner"], key=f"plan_form_owner_{sfx}")
        due = st.date_input(
            "Due date",
            pd.Timestamp(row["due_date"]).date() if pd.notna(row["due_date"]) else None,
            key=f"plan_form_due_{sfx}",
            format="DD/MM/YYYY",
        )
        evidence = st.text_area("Evidence", row["evidence"], key=f"plan_form_evidence_{sfx}")
        if st.form_submit_button("Update milestone"):
            changes = {
                "status": status,
                "percent_complete": percent,
                "owner": owner,
                "due_date": due,
                "evidence": evidence,
            }
            # The form was drawn from this version; a newer save by someone else is a conflict.
            _save_edits([plan_store.MilestoneEdit(mid, changes, version)])


def render_add_form(editable: bool) -> None:
    """A form to add a milestone."""
    if not editable:
        return
    with st.form("plan_add", clear_on_submit=True):
        area = st.selectbox("Area", config.PLAN_AREAS, key="plan_add_area")
        title = st.text_input(
            "Milestone", key="plan_add_title", max_chars=plan_store.MAX_TITLE_CHARS
        )
        owner = st.text_input("Owner (a role, not a person's name)", key="plan_add_owner")
        due = st.date_input("Due date", value=None, key="plan_add_due", format="DD/MM/YYYY")
        status = st.selectbox("Status", config.MILESTONE_STATUSES, key="plan_add_status")
        percent = st.number_input("Percent complete", 0, 100, 0, key="plan_add_percent")
        themes = st.multiselect(
            "Themes it answers",
            sorted(_labels()) or list(config.CORE_THEME_IDS),
            format_func=lambda t: _labels().get(t, t),
            key="plan_add_themes",
        )
        if st.form_submit_button("Add milestone"):
            try:
                mid = plan_store.add_milestone(
                    {
                        "area": area,
                        "milestone": title,
                        "owner": owner,
                        "due_date": due,
                        "status": status,
                        "percent_complete": percent,
                        "themes": "|".join(themes),
                    },
                    by=auth.editor_name(),
                )
            except (ValidationError, StoreError) as exc:
                st.error(md_safe(exc))
                return
            _after_save([("success", f"Added milestone {mid}.")])


def render_import_export(editable: bool) -> None:
    """Download the plan as CSV/XLSX (formula-safe); editors can import a CSV/XLSX of milestones."""
    cols = st.columns(2)
    try:
        cols[0].download_button(
            "Download milestones (CSV)",
            plan_io.export_csv(),
            "milestones.csv",
            mime="text/csv",
            key="plan_dl_csv",
        )
        cols[1].download_button(
            "Download milestones and history (XLSX)",
            plan_io.export_xlsx(),
            "milestones.xlsx",
            mime=XLSX_MIME,
            key="plan_dl_xlsx",
        )
    except StoreError as exc:
        st.error(md_safe(exc))
    if not editable:
        return
    upload = st.file_uploader(
        "Import milestones (CSV or XLSX)", type=["csv", "xlsx"], key="plan_upload"
    )
    st.caption(
        "Columns: area, milestone, status (required); milestone_id, owner, due_date, "
        "percent_complete, evidence, themes, version (optional). Known ids are updated."
    )
    if upload is not None and st.button("Import", key="plan_import"):
        digest = hashlib.sha256(upload.getvalue()).hexdigest()
        if digest in st.session_state.get(IMPORTED, ()):
            # Rows without an id would be added a second time.
            st.info("This file has already been imported in this session; nothing was changed.")
            return
        try:
            result = plan_io.import_milestones(
                upload.getvalue(), upload.name, by=auth.editor_name()
            )
        except (ValidationError, StoreError) as exc:
            st.error(md_safe(exc))
            return
        st.session_state[IMPORTED] = [*st.session_state.get(IMPORTED, []), digest]
        messages = [
            (
                "success",
                f"Imported: {result.added} added, {result.updated} updated, "
                f"{result.unchanged} unchanged.",
            )
        ]
        messages += [("warning", f"Row {p.row}: {p.reason}") for p in result.problems[:50]]
        if len(result.problems) > 50:
            messages.append(
                ("warning", f"... and {len(result.problems) - 50} more rows with problems.")
            )
        _after_save(messages)
