"""Shared widgets: a chart with its numbers, safe download buttons."""

from __future__ import annotations

import html
import re
import string

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

_TAG = re.compile(r"<[^>]*>")


def chart_alt_text(fig: go.Figure) -> str:
    """The figure's title as plain text (plotly titles may hold <br> and escaped entities), for screen readers."""
    title = fig.layout.title.text or ""
    # Tags become spaces (e.g. "<br>"), then entities are decoded once: the result is only ever used as an
    # aria attribute, which the front end escapes, never rendered as HTML or Markdown.
    text = html.unescape(_TAG.sub(" ", title))
    return " ".join(text.split()) or "Chart"


def md_safe(text: object) -> str:
    """Text for st.error/st.info/st.caption (which render Markdown): every ASCII punctuation mark is
    backslash-escaped, so names and values from uploads show literally and can never become a link,
    an image or HTML."""
    return "".join("\\" + ch if ch in string.punctuation else ch for ch in str(text))


def chart_with_table(
    fig: go.Figure, table: pd.DataFrame, key: str, caption: str | None = None, table_label: str = "The numbers"
) -> None:
    """Render a figure and, under it, the same numbers as a table (accessibility; report in words).

    The chart gets its finding (the title) as its accessible name, and the table says which chart it
    belongs to, so a screen-reader user hears what the chart shows and where its numbers are.
    """
    alt = chart_alt_text(fig)
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False}, alt=f"Chart: {alt}")
    if caption:
        st.caption(caption)
    with st.expander(table_label, expanded=False):
        st.dataframe(table, hide_index=True, key=f"table_{key}", alt=f"Table of the numbers in the chart: {alt}")


# Static CSS, never built from data. Streamlit's own keyboard focus is faint on navigation links and toggles
# (a 15% tint) and plotly's chart toolbar is invisible (opacity 0) when its buttons receive focus, so a
# keyboard user cannot see where they are (WCAG 2.4.7). NHS dark blue is 12.6:1 on white, 11:1 on the sidebar.
_FOCUS_CSS = """
<style>
:focus-visible { outline: 3px solid #003087 !important; outline-offset: 2px !important; }
[role="group"][data-focus-visible="true"] { outline: 3px solid #003087; outline-offset: 2px; }
[role="group"][data-focus-visible="true"] input:focus-visible { outline: none !important; }
label:has(input:focus-visible) { outline: 3px solid #003087; outline-offset: 2px; }
.js-plotly-plot .modebar:focus-within .modebar-group { opacity: 1 !important; }
</style>
"""


def apply_focus_style() -> None:
    """Inject a strong, consistent keyboard-focus ring (call once per run from app.py; multiselect and selectbox boxes are react-aria groups)."""
    st.html(_FOCUS_CSS)


def link_to_page(path: str, label: str, icon: str | None = None) -> None:
    """A link to another page; plain text when this page runs outside the app's navigation (AppTest)."""
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.page_link(path, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        st.caption(label)
