"""Shared widgets: a chart with its numbers, safe download buttons."""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.core.words import plain_columns
from analysis.findings.overview import headline_labels

_TAG = re.compile(r"<[^>]*>")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chart_alt_text(fig: go.Figure) -> str:
    """The figure's title as plain text (plotly titles may hold <br> and escaped entities), for screen readers."""
    title = fig.layout.title.text or ""
    # Tags become spaces (e.g. "<br>"), then entities are decoded once: the result is only ever used as an
    # aria attribute, which the front end escapes, never rendered as HTML or Markdown.
    text = html.unescape(_TAG.sub(" ", title))
    return " ".join(text.split()) or "Chart"


# GFM's literal autolinks ("http://...", "https://...", "www.x.y", "name@host.tld"), which Streamlit's
# Markdown applies to the text AFTER backslash escapes are resolved, so escaping alone does not stop
# them. An invisible zero-width space right after the trigger ("http", "www", "@") breaks the pattern
# (and text matching in browsers' tools, e.g. Playwright's, ignores it as people's eyes do).
_AUTOLINK_TRIGGER = re.compile(r"(?i:www(?=\W)|http(?=s?\W)|ftp(?=\W)|mailto(?=\W))|@")
ZERO_WIDTH_SPACE = "\u200b"


def md_safe(text: object) -> str:
    """Text for st.error/st.info/st.caption (which render Markdown): every ASCII punctuation mark is
    backslash-escaped and every autolink trigger broken by an invisible zero-width space, so names and values
    from uploads show literally and can never become a link, an image or HTML."""
    broken = _AUTOLINK_TRIGGER.sub(lambda m: m.group(0) + ZERO_WIDTH_SPACE, str(text))
    return "".join("\\" + ch if ch in string.punctuation else ch for ch in broken)


def chart_with_table(
    fig: go.Figure,
    table: pd.DataFrame,
    key: str,
    caption: str | None = None,
    table_label: str = "The numbers",
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
        st.dataframe(
            plain_columns(table),
            hide_index=True,
            key=f"table_{key}",
            alt=f"Table of the numbers in the chart: {alt}",
        )


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


def headline_metrics(figures: dict[str, int], people: str = "Respondents") -> None:
    """The headline figures as four metrics in a row ("Unknown", with a note, where nothing was
    recorded)."""
    for col, (label, value, note) in zip(st.columns(4), headline_labels(figures, people)):
        col.metric(label, value, help=note)


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


def download_later(
    label: str,
    make: Callable[[], bytes],
    file_name: str,
    mime: str,
    key: str,
    where=None,  # noqa: ANN001
) -> None:
    """A download button whose file is built only when it is clicked.

    Streamlit runs `make` in its own thread at the click (it must not call Streamlit), so a filter change
    never pays for building files nobody asked for; the click does not rerun the page. `make` closes over
    what is on screen now, so the file matches the view the button was shown with.
    """
    (where or st).download_button(
        label, make, file_name=file_name, mime=mime, key=key, on_click="ignore"
    )


def render_tabs(key: str, sections: Sequence[tuple[str, Callable[[], None]]]) -> None:
    """Tabs that run only the open one: switching tabs reruns the page, so a filter change redraws one
    tab, not all of them. The open tab is part of the page's link (?tab=<label>)."""
    from ui import (
        deeplink,  # deeplink imports nothing from here, but keep widgets light
    )

    labels = [label for label, _render in sections]
    deeplink.bind_value("tab", key, labels)
    for tab, (_label, render) in zip(
        st.tabs(labels, key=key, on_change="rerun"), sections, strict=True
    ):
        if tab.open:
            with tab:
                render()
