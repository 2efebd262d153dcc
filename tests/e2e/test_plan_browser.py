"""Browser test: change a milestone's status in the plan's table, reload, see the change and its history."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e

HEADER_PX = 35  # glide-data-grid's header row height in Streamlit
ROW_PX = 35
STATUS_COL = 2  # the editor's columns: milestone_id, milestone, status, ...


def _open_plan(page, app_url: str) -> None:
    page.goto(f"{app_url}/improvement-plan")
    wait_for_app(page)
    page.get_by_role("heading", name="Improvement Plan").wait_for()
    # On a cold start Streamlit may show "Page not found" for a deep link before the page list
    # is known, then run the page anyway; close the notice so it does not cover the page.
    dialog = page.locator("[data-testid='stDialog']")
    if dialog.count():
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached", timeout=10_000)


def _tab(page, name: str):
    page.get_by_role("tab", name=name).click()
    panel = page.locator("[role='tabpanel']:visible")
    panel.wait_for()
    return panel


def _cell_text(grid, col: int, row: int) -> str:
    # The grid draws on a canvas; its accessible table holds the same text for screen readers.
    return (grid.locator(f"[data-testid='glide-cell-{col}-{row}']").text_content() or "").strip()


def _set_status(page, grid, row: int, status: str) -> None:
    """Select the row's id cell on the canvas, move to the status column, choose `status`."""
    grid.scroll_into_view_if_needed()
    box = grid.locator("canvas").first.bounding_box()
    page.mouse.click(box["x"] + 30, box["y"] + HEADER_PX + ROW_PX * row + ROW_PX / 2)
    for _ in range(STATUS_COL):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.locator("#portal .glide-select input").wait_for()
    page.keyboard.type(status)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    deadline = time.time() + 10
    while _cell_text(grid, STATUS_COL, row) != status and time.time() < deadline:
        time.sleep(0.2)
    assert _cell_text(grid, STATUS_COL, row) == status


def test_status_change_in_the_table_is_saved_with_its_history(
    page, app_url: str, app_server
) -> None:
    _open_plan(page, app_url)
    panel = _tab(page, "Edit")
    panel.get_by_label("Your name or role (recorded with every change)").fill(
        "Browser test reviewer"
    )
    panel.get_by_label("Your name or role (recorded with every change)").press("Enter")
    wait_for_app(page)
    grid = panel.locator("[data-testid='stDataFrame']").first
    assert _cell_text(grid, 0, 0) == "M001"
    before = _cell_text(grid, STATUS_COL, 0)
    target = "off track" if before != "off track" else "at risk"

    _set_status(page, grid, 0, target)

    panel.get_by_role("button", name="Save changes").click()
    wait_for_app(page)
    page.get_by_text("Saved 1 milestone(s): M001.").wait_for()

    # A fresh load (new session) reads the store: the change and its history entry are there.
    page.set_viewport_size(
        {"width": 1920, "height": 1080}
    )  # the grid draws only the columns in view
    page.reload()
    wait_for_app(page)
    panel = _tab(page, "Edit")
    grid = panel.locator("[data-testid='stDataFrame']").first
    assert _cell_text(grid, STATUS_COL, 0) == target
    panel = _tab(page, "What changed")
    changes = panel.locator("[data-testid='stDataFrame']").first
    changes.scroll_into_view_if_needed()
    text, deadline = "", time.time() + 15
    while "M001" not in text and time.time() < deadline:  # the grid fills its cells once shown
        time.sleep(0.3)
        text = changes.text_content() or ""
    assert "M001" in text
    assert f"status: {before} → {target}" in text
    # Who made it is in the history (the grid's later columns may be scrolled out of view now that
    # the demo plan's own changes, which move with today's date, share the last 30 days).
    from analysis.plan import milestone_store as plan_store
    from analysis.store import get_engine

    engine = get_engine(f"sqlite:///{app_server[1].parent / 'store.sqlite'}")
    history = plan_store.load_history(engine=engine)
    mine = history[(history["milestone_id"] == "M001") & (history["new_value"] == target)]
    assert "Browser test reviewer" in set(mine["changed_by"])


def test_table_edit_that_conflicts_with_a_newer_save_is_refused(
    page, app_url: str, app_server
) -> None:
    from analysis.plan import milestone_store as plan_store
    from analysis.store import get_engine

    _open_plan(page, app_url)
    panel = _tab(page, "Edit")
    grid = panel.locator("[data-testid='stDataFrame']").first
    assert _cell_text(grid, 0, 1) == "M002"
    _set_status(page, grid, 1, "at risk")

    # Meanwhile someone else saves M002 (straight into the app's store).
    engine = get_engine(f"sqlite:///{app_server[1].parent / 'store.sqlite'}")
    current = plan_store.load_milestones(engine).set_index("milestone_id").loc["M002"]
    plan_store.update_milestone(
        "M002",
        {"evidence": "Estates sign-off attached"},
        expected_version=int(current["version"]),
        by="Head of Estates",
        engine=engine,
    )

    panel.get_by_role("button", name="Save changes").click()
    wait_for_app(page)
    page.get_by_text("changed by Head of Estates").wait_for()
    after = plan_store.load_milestones(engine).set_index("milestone_id").loc["M002"]
    assert after["status"] == current["status"]  # not overwritten
    assert after["evidence"] == "Estates sign-off attached"
