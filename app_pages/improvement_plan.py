"""Improvement Plan: progress at a glance and over time, what changed, you said we did, editing."""

from datetime import date

import streamlit as st

from ui import plan
from ui.context import can_edit, get_context
from ui.widgets import render_tabs

ctx = get_context()
today = date.today()  # the real date, only here: analysis functions take `today` as an argument
token = plan.plan_token()
milestones, history = plan.plan_tables(token)
editable = can_edit()

st.title("Improvement Plan")
st.caption("Progress on every milestone, and whether what people tell us is changing.")
plan.render_flash()
plan.render_plan_link(ctx, editable)


def edit_tab() -> None:
    plan.render_editor(token, milestones, editable)
    if editable:
        st.header("Update one milestone")
        plan.render_edit_form(milestones, editable)
        st.header("Add a milestone")
        plan.render_add_form(editable)


render_tabs(
    "plan_tab",
    [
        ("At a glance", lambda: plan.render_glance(milestones, history, today)),
        ("Over time", lambda: plan.render_over_time(token, milestones, history, today)),
        ("What changed", lambda: plan.render_changed_since(milestones, history, today)),
        ("You said, we did", lambda: plan.render_you_said_we_did(milestones, history, ctx)),
        ("Edit", edit_tab),
        ("Import and export", lambda: plan.render_import_export(editable)),
    ],
)
