"""The Improvement Plan page's editing sections: the editable table, the update and add forms, import
and export.

Editing uses optimistic concurrency: the versions the user started from are pinned in session state when an
edit session begins, so a save never silently overwrites a newer change.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from analysis.core import config
from analysis.core.schema import ValidationError
from analysis.plan import import_export as plan_io
from analysis.plan import milestone_store as plan_store
from analysis.store import StoreError
from ui import auth
from ui.plan_data import display_table, theme_labels
from ui.widgets import XLSX_MIME, md_safe

EDITOR_GEN = "plan_editor_gen"  # bumped after a save so the table shows the stored values afresh
EDITOR_BASE = (
    "plan_editor_base"  # {"gen", "token", "versions": {id: version}} the user started from
)
FLASH = "plan_flash"  # messages from the last save, shown after the rerun
IMPORTED = "plan_imported"  # hashes of files imported in this session (a second click adds nothing)
FORM_BASE = "plan_form_base"  # {form suffix: version the update form was drawn from}


def render_flash() -> None:
    """Messages from the last save or import (shown once, above the tabs, after the rerun)."""
    for kind, message in st.session_state.pop(FLASH, []):
        getattr(st, kind)(md_safe(message))


def _after_save(messages: list[tuple[str, str]]) -> None:
    """Keep `messages` for after the rerun, start a fresh edit session and rerun."""
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
    """Apply `edits` as the signed-in editor and report what was saved, refused or wrong."""
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
            display_table(milestones[list(plan_store.MILESTONE_COLUMNS)]),
            hide_index=True,
            key="plan_readonly",
        )
        return
    auth.name_input("Your name or role (recorded with every change)")
    editor_key = f"plan_editor_{st.session_state.get(EDITOR_GEN, 0)}"
    versions = _base_versions(token, milestones, editor_key)
    # Editable columns first, so they are on screen without scrolling sideways.
    shown = display_table(milestones)[
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
            sorted(theme_labels()) or list(config.CORE_THEME_IDS),
            format_func=lambda t: theme_labels().get(t, t),
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
