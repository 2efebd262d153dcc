"""Open a page's tab in AppTest: pages run only the open tab (ui.widgets.render_tabs)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Choose the tab `label` of the tabs keyed `key` (as a click on it does) and rerun the page."""
    at.session_state[key] = label
    return at.run()
