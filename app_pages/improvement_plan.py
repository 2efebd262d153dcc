"""Improvement Plan: progress at a glance and over time, what changed, you said we did, editing."""

from datetime import date

import streamlit as st

from ui import plan
from ui.context import can_edit, get_context

ctx = get_context()
today = date.today()  # the real date, only here: analysis functions take `today` as an argument
token = plan.plan_token()
milestones, history = plan.plan_tables(token)
editable = can_edit()

st.title("Improvement Plan")
st.caption("Progress on every milestone, and whether what people tell us is changing.")
plan.render_flash()

glance, over_time, changed, you_said, edit, files = st.tabs(
    ["At a glance", "Over time", "What changed", "You said, we did", "Edit", "Import and export"]
)
with glance:
    plan.render_glance(milestones, history, today)
with over_time:
    plan.render_over_time(token, milestones, history, today)
with changed:
    plan.render_changed_since(milestones, history, today)
with you_said:
    plan.render_you_said_we_did(milestones, history, ctx)
with edit:
    plan.render_editor(token, milestones, editable)
    if editable:
        st.header("Update one milestone")
        plan.render_edit_form(milestones, editable)
        st.header("Add a milestone")
        plan.render_add_form(editable)
with files:
    plan.render_import_export(editable)
