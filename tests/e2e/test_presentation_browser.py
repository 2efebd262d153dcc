"""Presentation mode in a real browser: every step of the deck fits whole at meeting-room sizes,
the sidebar and notices are gone, and the arrow keys and links move between steps. (The pages outside
presentation mode: test_fit_browser.py.)"""

from __future__ import annotations

import re

import pytest

from tests.e2e.chart_fit import labels_on_screen
from tests.e2e.conftest import wait_for_app

SIZES = [(1280, 720), (1366, 768), (1920, 1080), (2560, 1440)]
STEPS = {
    1: "Headline figures",
    2: "Top themes and their change",
    3: "In their words",
    4: "Who is missing",
    5: "Improvement Plan progress",
}


def _open(page, url: str, step: int) -> None:
    page.goto(f"{url}/?present=1&step={step}")
    wait_for_app(page)
    page.get_by_role("heading", name=STEPS[step]).wait_for()
    if step in (2, 4, 5):
        page.locator(".main-svg").first.wait_for()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_step_fits_whole_with_nothing_else_on_screen(browser, app_url, width, height) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        for step, title in STEPS.items():
            _open(page, app_url, step)
            assert not page.locator("[data-testid='stSidebar']").is_visible()
            notice = page.get_by_text("No identity provider")
            assert all(not notice.nth(i).is_visible() for i in range(notice.count()))
            heading = page.get_by_role("heading", name=title).bounding_box()
            assert heading and heading["y"] >= 0 and heading["y"] + heading["height"] <= height
            found = labels_on_screen(page)
            assert not found["bad"], (width, height, step, found["bad"])
            if step in (2, 4, 5):
                assert found["n"] > 0, "the step's chart was drawn"
    finally:
        context.close()


def test_arrow_keys_and_buttons_move_through_the_deck(page, app_url) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, app_url, 1)
    page.keyboard.press("ArrowRight")
    page.get_by_role("heading", name=STEPS[2]).wait_for()
    wait_for_app(page)
    assert re.search(r"[?&]step=2\b", page.url)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("heading", name=STEPS[3]).wait_for()
    page.keyboard.press("ArrowLeft")
    page.get_by_role("heading", name=STEPS[2]).wait_for()
    wait_for_app(page)
    # The address is the step's link: opened afresh, it reopens the same step.
    link = page.url
    assert "present=1" in link
    page.goto(link)
    wait_for_app(page)
    page.get_by_role("heading", name=STEPS[2]).wait_for()
    page.get_by_role("button", name="Leave presentation").click()
    wait_for_app(page)
    assert page.locator("[data-testid='stSidebar']").is_visible()
