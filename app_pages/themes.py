"""Themes: what people said, who said it, how it changes; search and emerging themes."""

import streamlit as st

from ui import themes as tu
from ui import themes_sections as sections
from ui.context import get_context, show_withheld
from ui.widgets import render_tabs

ctx = get_context()
st.title("Themes")
if show_withheld(ctx):  # nothing about a withheld selection: not even how many answers it holds
    st.stop()
if ctx.responses.empty:
    st.info("No answers match the sidebar filters.")
    st.stop()
st.caption(f"{len(ctx.responses):,} answers chosen by the sidebar filters.")

view = tu.theme_view(ctx)
if flash := st.session_state.pop("th_flash", None):
    st.success(flash)
st.caption(
    f"Codebook version {view.codebook.version} · {len(view.codebook.theme_ids)} themes"
    + (f" · {view.n_corrections:,} corrections applied" if view.n_corrections else "")
)

render_tabs(
    "th_tab",
    [
        ("Themes", lambda: sections.theme_table(ctx, view)),
        ("Trend", lambda: sections.trend_section(ctx, view)),
        ("Compare groups", lambda: sections.compare_section(ctx, view)),
        ("Themes together", lambda: sections.together_section(ctx, view)),
        ("Search", lambda: sections.search_section(ctx, view)),
        ("Emerging themes", lambda: sections.emerging_section(ctx, view)),
    ],
)
