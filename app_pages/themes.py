"""Themes: what people said, who said it, how it changes; search and emerging themes."""

import streamlit as st

from ui import themes as tu
from ui import themes_sections as sections
from ui.context import get_context
from ui.widgets import render_tabs

ctx = get_context()
st.title("Themes")
st.caption(f"{len(ctx.responses):,} answers chosen by the sidebar filters.")
if ctx.responses.empty:
    st.info("No answers match the sidebar filters.")
    st.stop()
if threshold := tu.too_few_people(ctx):
    st.info(
        f"Fewer than {threshold} people match the current filters: widen them to see themes and answers."
    )
    st.stop()

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
