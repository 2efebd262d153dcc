"""Presentation mode: large type, one finding per screen, editing hidden (see ui.context.can_edit)."""

from __future__ import annotations

import streamlit as st

from ui.deeplink import PRESENT_KEY

# Static CSS written here, never built from data.
_PRESENT_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.6rem; }
[data-testid="stMainBlockContainer"] h2, [data-testid="stMainBlockContainer"] h3 { font-size: 2rem; }
[data-testid="stMetricValue"] { font-size: 3rem; }
[data-testid="stPlotlyChart"] { min-height: 78vh; }
[data-testid="stFileUploader"], [data-testid="stForm"], [data-testid="stDataEditor"] { display: none; }
</style>
"""


def is_presenting() -> bool:
    """True when presentation mode is on."""
    return bool(st.session_state.get(PRESENT_KEY, False))


def apply_style() -> None:
    """Inject the presentation stylesheet when presenting."""
    if is_presenting():
        st.html(_PRESENT_CSS)
