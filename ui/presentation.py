"""Presentation mode: the deck (ui.deck) on a clean screen, sidebar, notices and editing hidden
(see ui.context.can_edit)."""

from __future__ import annotations

import streamlit as st

from ui.deeplink import PRESENT_KEY

# Static CSS written here, never built from data. The sidebar, Streamlit's header and toolbar and
# every notice outside the deck are hidden; type is larger but charts keep the deck's fixed height,
# so each step fits a 1280x720 screen whole.
_PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 3rem 1rem 3rem !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] pre,
[data-testid="stText"] { font-size: 1.25rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.4rem; padding: 0.25rem 0; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.2rem !important; line-height: 1.2; }
@media (min-width: 1800px) { html { font-size: 21px; } }
@media (min-width: 2400px) { html { font-size: 26px; } }
[data-testid="stFileUploader"], [data-testid="stForm"], [data-testid="stDataEditor"] { display: none; }
</style>
"""


def is_presenting() -> bool:
    """True when presentation mode is on."""
    return bool(st.session_state.get(PRESENT_KEY, False))


def is_presenting_requested() -> bool:
    """Presentation mode as this run will have it (before the sidebar's toggle is drawn): the
    session's switch, or on a first visit the link's `present=1`."""
    if PRESENT_KEY in st.session_state:
        return bool(st.session_state[PRESENT_KEY])
    return st.query_params.get(PRESENT_KEY) in ("1", "true")


def apply_style() -> None:
    """Inject the presentation stylesheet when presenting."""
    if is_presenting():
        st.html(_PRESENT_CSS)


def render_deck() -> None:
    """Show the presentation deck (imported late: it pulls in every page's loaders)."""
    from ui import deck

    deck.render()
