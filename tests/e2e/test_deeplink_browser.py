"""Browser: a view's URL, opened in a fresh browser context, reproduces that view; presentation mode."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e


def _choose(page, label: str, option: str) -> None:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(
        has_text=label
    )
    # A rerun that starts as the box is clicked redraws the sidebar and closes its list; like a person,
    # open it again (three tries: a list that never opens still fails the test).
    for attempt in range(3):
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            wait_for_app(page)
    page.keyboard.press("Escape")
    wait_for_app(page)


def test_copied_link_reopens_the_same_view_in_a_new_browser(browser, app_url: str) -> None:
    first = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = first.new_page()
    page.goto(f"{app_url}/voices")
    wait_for_app(page)
    _choose(page, "Respondent type", "carer")
    _choose(page, "Locality", "Bolton")
    link = page.url
    caption_before = page.get_by_text("respondent type: carer").first.inner_text()
    first.close()
    assert "/voices?" in link and "type=carer" in link and "locality=Bolton" in link

    second = browser.new_context(viewport={"width": 1400, "height": 1000})
    other = second.new_page()
    other.goto(link)
    wait_for_app(other)
    assert other.get_by_role("heading", name="Voices").first.is_visible()
    assert other.get_by_text("respondent type: carer").first.inner_text() == caption_before
    # The sidebar can still be drawing when the page's own content is there: wait for the chips (30 s at
    # most) rather than read them once (a single read failed now and then, on a run that was still going).
    boxes = other.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
    expect(boxes.filter(has_text="Respondent type")).to_contain_text("carer")
    expect(boxes.filter(has_text="Locality")).to_contain_text("Bolton")
    second.close()


def test_the_default_page_has_a_working_deep_link_too(page, app_url: str) -> None:
    page.goto(f"{app_url}/?type=staff")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Overview").is_visible()
    assert page.get_by_text("respondent type: staff").first.is_visible()


def test_presentation_mode_from_a_link_enlarges_type_and_hides_uploads(page, app_url: str) -> None:
    page.goto(f"{app_url}/data?present=1")
    wait_for_app(page)
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    # The deck's headline figures are drawn large (Streamlit's own metric value is 36 px).
    page.locator("[data-testid='stMetricValue']").first.wait_for()
    size = page.evaluate(
        "() => getComputedStyle(document.querySelector(\"[data-testid='stMetricValue']\")).fontSize"
    )
    assert float(size.removesuffix("px")) >= 48
    assert "present=1" in page.url
