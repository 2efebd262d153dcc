"""Codebook: edit the theme framework together (each save a version), restore, correct answers."""

import streamlit as st

from ui import check_themes
from ui import codebook_sections as sections
from ui import themes as tu
from ui.context import can_edit, get_context, show_withheld

ctx = get_context()
st.title("Codebook")
cb, latest = sections.base_codebook()
sections.header(cb, latest)
# Classifies with the newest codebook and corrections when they changed (progress shown).
view = tu.theme_view(ctx)

# Each theme's precision and recall on the answers people judged in Check themes (below).
quality = check_themes.theme_quality(ctx, view)
st.header("Themes")
st.caption(
    "Precision and recall come from the answers people judged in Check themes: the product's "
    "themes before it learnt from them, on the answers it was least sure of (so harder cases than most)."
)
st.dataframe(sections.themes_table(cb, quality), hide_index=True, key="cb_themes")
if can_edit("edit_codebook"):
    st.header("Change the codebook")
    sections.editor(cb, quality)

st.header("Versions")
sections.versions_section(cb.version)

st.header("Correct the themes of an answer")
st.caption("Corrections are kept for this dataset; the next classification learns from them.")
if show_withheld(ctx):
    pass  # the corrections list would show answers of a selection the privacy rule withholds
elif ctx.responses.empty:
    st.info("No answers match the sidebar filters.")
else:
    sections.corrections_section(ctx, view)

st.header("Check themes")
if show_withheld(ctx):
    pass  # the answers to judge would come from a selection the privacy rule withholds
elif ctx.responses.empty:
    st.info("No answers match the sidebar filters.")
else:
    check_themes.check_section(ctx, view)
