"""The Voices page's engagement log: the cached log, its summary and charts, and the forms that add to it.

Entries are the service's own records (no respondent text); values still go through st.text, dataframes
and md_safe, never Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import privacy
from analysis.charts import voices as charts
from analysis.core.schema import ValidationError
from analysis.store import StoreError
from analysis.voices import engagement, engagement_store
from ui import auth
from ui.widgets import chart_with_table, download_later, md_safe

FLASH = "voices_flash"


@st.cache_data(max_entries=1, ttl=60, show_spinner=False)
def _engagement_log(token: int) -> pd.DataFrame:
    del token
    engagement_store.ensure_demo_engagement()
    return engagement_store.list_entries()


def engagement_log() -> pd.DataFrame:
    """The engagement log (seeded with the demo log when empty); a copy, safe to change."""
    token = st.session_state.get("voices_log_token", 0)
    return _engagement_log(token).copy()


def _log_changed() -> None:
    st.session_state["voices_log_token"] = st.session_state.get("voices_log_token", 0) + 1


def render_engagement(editable: bool) -> None:
    """The engagement log: summary, charts, the log, the add form, import."""
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    try:
        entries = engagement_log()
    except StoreError as exc:
        st.error(md_safe(exc))
        return
    st.text(engagement.engagement_summary(entries))
    by = st.radio("Activity by", ["level", "activity_type"], horizontal=True, key="voices_eng_by",
                  format_func=lambda v: "level of involvement" if v == "level" else "type of activity")  # fmt: skip
    over = engagement.activity_over_time(entries, by=by)
    chart_with_table(charts.engagement_over_time_figure(over, by=by), over, key="voices_engagement",
                     caption=f"n = {len(entries)} activities, by quarter.")  # fmt: skip
    share = engagement.lived_experience_share(entries)
    chart_with_table(charts.lived_experience_figure(share), share, key="voices_lived",
                     caption="Activities that did not record lived experience are left out.")  # fmt: skip
    shown = engagement.entries_for_display(entries)
    st.dataframe(shown, hide_index=True, key="voices_log_table")
    download_later(
        "Download CSV",
        lambda: privacy.safe_csv_bytes(shown),
        "engagement_log.csv",
        "text/csv",
        "dl_engagement_log",
    )
    if editable:
        _add_form()
        _import_form()


def _add_form() -> None:
    with st.form("voices_add_entry", clear_on_submit=True):
        st.header("Add an activity")
        c1, c2, c3 = st.columns(3)
        when = c1.date_input("Date", key="voices_f_date", format="DD/MM/YYYY")
        kind = c2.selectbox("Type", list(engagement.ENGAGEMENT_TYPES), key="voices_f_type")
        level = c3.selectbox(
            "Level of involvement", list(engagement.ENGAGEMENT_LEVELS), key="voices_f_level"
        )
        title = st.text_input(
            "Title", max_chars=engagement.TEXT_LIMITS["title"], key="voices_f_title"
        )
        c4, c5, c6 = st.columns(3)
        parts = c4.number_input("Participants", min_value=0, step=1, value=0, key="voices_f_parts")
        lived = c5.number_input(
            "With lived experience", min_value=0, step=1, value=0, key="voices_f_lived"
        )
        place = c6.text_input(
            "Locality", max_chars=engagement.TEXT_LIMITS["locality"], key="voices_f_place"
        )
        make_up = st.text_input("Make-up (e.g. carers 12, service users 30)",
                                max_chars=engagement.TEXT_LIMITS["make_up"], key="voices_f_makeup")  # fmt: skip
        if st.form_submit_button("Add activity"):
            entry = {"date": str(when), "activity_type": kind, "level": level, "title": title,
                     "participants": int(parts), "lived_experience": int(lived), "locality": place,
                     "make_up": make_up}  # fmt: skip
            try:
                new_id = engagement_store.add_entry(entry, added_by=auth.editor_name())
            except (ValidationError, StoreError) as exc:
                st.error(md_safe(exc))
            else:
                _log_changed()
                st.session_state[FLASH] = f"Added activity {new_id}."
                st.rerun()


def _import_form() -> None:
    with st.expander("Import activities from CSV or XLSX"):
        st.caption("Columns: date, activity_type, level, participants, and optionally title, "
                   "lived_experience, locality, make_up.")  # fmt: skip
        up = st.file_uploader("Engagement log file", type=["csv", "xlsx"], key="voices_log_file")
        if up is not None and st.button("Import", key="voices_log_import"):
            try:
                result = engagement_store.import_log(
                    up.getvalue(), up.name, added_by=auth.editor_name()
                )
            except (ValidationError, StoreError) as exc:
                st.error(md_safe(exc))
                return
            _log_changed()
            st.success(f"Imported {result.added} activities.")
            if result.problems:
                st.dataframe(
                    pd.DataFrame({"problem": result.messages()}),
                    hide_index=True,
                    key="voices_log_problems",
                )
