"""Browser helpers for the benches (sync Playwright): time a rerun from the user's action to idle."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench._common import PROBE_JS, STATE_OBSERVER_JS, rerun_outcome


def install_observer(context) -> None:
    """Record websocket messages and run-state changes in every page of this browser context."""
    context.add_init_script(STATE_OBSERVER_JS)


def timed_rerun(page, action: Callable[[], None], timeout: float = 600.0) -> float | None:
    """Do `action`; seconds from the user's input to the end of the rerun it caused, or None if none came.

    See bench._common.rerun_outcome for what counts as the end (and as no rerun at all).
    """
    msgs_before = page.evaluate("() => window.__rel.msgs")
    t0 = page.evaluate("() => performance.now()")
    action()
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        state, seconds = rerun_outcome(
            msgs_before, t0, page.evaluate(PROBE_JS), time.monotonic() - started
        )
        if state != "wait":
            return seconds
        time.sleep(0.03)
    raise TimeoutError("the app did not become idle")


def exceptions_on_page(page) -> int:
    """How many Streamlit exception boxes are on the page."""
    return page.locator("[data-testid='stException']").count()


def nav_link(page, base_url: str, path: str):
    """The sidebar navigation link to a page ('' = Overview)."""
    return page.locator(f"[data-testid='stSidebarNav'] a[href='{base_url}/{path}']")


def multiselect_input(page, label: str):
    """The text input of a sidebar multiselect, by its label."""
    return page.locator(f"[data-testid='stSidebar'] input[aria-label='{label}']")


def add_option(page, label: str, value: str) -> None:
    """Choose `value` in the sidebar multiselect `label` (type it, Enter)."""
    box = multiselect_input(page, label)
    box.click()
    box.fill(value)
    box.press("Enter")


def remove_last_option(page, label: str) -> None:
    """Remove the last chosen value of the sidebar multiselect `label` (Backspace in the empty box)."""
    box = multiselect_input(page, label)
    box.click()
    box.fill("")
    box.press("Backspace")
