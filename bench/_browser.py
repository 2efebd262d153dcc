"""Browser helpers for the benches (sync Playwright): time a rerun from the user's action to idle."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench._common import IDLE_SELECTOR, STATE_OBSERVER_JS

_PROBE = """() => [window.__rel.runs, window.__rel.state, window.__rel.idleAt, window.__rel.actionAt,
  document.querySelectorAll("[data-testid='stSpinner']").length,
  document.querySelectorAll("[data-testid='stException']").length, performance.now()]"""


def install_observer(context) -> None:  # noqa: ANN001
    """Record run-state changes in every page of this browser context."""
    context.add_init_script(STATE_OBSERVER_JS)


def timed_rerun(
    page, action: Callable[[], None], timeout: float = 600.0, settle: float = 0.4
) -> float:  # noqa: ANN001
    """Do `action` and return seconds from the user's input to the app being idle again.

    Idle = a run started after the action, the script state is notRunning, no spinner, and it stays
    so for `settle` seconds (a follow-up rerun, e.g. a link being rewritten, counts as part of it).
    """
    before = page.evaluate("() => window.__rel.runs")
    t0_js = page.evaluate("() => performance.now()")
    action()
    deadline = time.monotonic() + timeout
    started_wait = time.monotonic()
    while time.monotonic() < deadline:
        runs, state, idle_at, action_at, spinners, _exc, _now = page.evaluate(_PROBE)
        ran = runs > before or (time.monotonic() - started_wait > 3 and runs == before)
        if (
            ran
            and state == "notRunning"
            and spinners == 0
            and page.locator(IDLE_SELECTOR).count()
        ):
            time.sleep(settle)
            runs2, state2, idle2, *_ = page.evaluate(_PROBE)
            if runs2 == runs and state2 == "notRunning":
                start = action_at if action_at >= t0_js else t0_js
                return max(idle2 - start, 0.0) / 1000 if runs > before else 0.0
        time.sleep(0.03)
    raise TimeoutError("the app did not become idle")


def exceptions_on_page(page) -> int:  # noqa: ANN001
    """How many Streamlit exception boxes are on the page."""
    return page.locator("[data-testid='stException']").count()


def nav_link(page, base_url: str, path: str):  # noqa: ANN001, ANN201
    """The sidebar navigation link to a page ('' = Overview)."""
    return page.locator(f"[data-testid='stSidebarNav'] a[href='{base_url}/{path}']")


def multiselect_input(page, label: str):  # noqa: ANN001, ANN201
    """The text input of a sidebar multiselect, by its label."""
    return page.locator(f"[data-testid='stSidebar'] input[aria-label='{label}']")


def add_option(page, label: str, value: str) -> None:  # noqa: ANN001
    """Choose `value` in the sidebar multiselect `label` (type it, Enter)."""
    box = multiselect_input(page, label)
    box.click()
    box.fill(value)
    box.press("Enter")


def remove_last_option(page, label: str) -> None:  # noqa: ANN001
    """Remove the last chosen value of the sidebar multiselect `label` (Backspace in the empty box)."""
    box = multiselect_input(page, label)
    box.click()
    box.fill("")
    box.press("Backspace")
