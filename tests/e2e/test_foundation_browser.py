"""Browser: the Overview draws its chart; a CSV uploaded on the Data page is saved, listed and chosen."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import start_app, stop_app, wait_for_app

pytestmark = pytest.mark.e2e

CSV = (
    "ID,Date,Are you a...,Borough,Team,What could we do better?,Ethnicity\n"
    '1,03/02/2025,Service user,Bolton,Crisis team,"waited 14 weeks, nobody rang back",White British\n'
    '2,04/02/2025,Carer,Wigan,Inpatient ward,"discharge was rushed, my GP wasn\'t told",Prefer not to say\n'
    "3,05/02/2025,Staff,Bury,CMHT,None,\n"
    '4,not a date,Service user,Bury,CMHT,=HYPERLINK("http://example.com"),Indian\n'
)


def test_overview_shows_chart_and_numbers(page, app_url: str) -> None:
    page.goto(app_url)
    wait_for_app(page)
    assert page.get_by_role("heading", name="Overview").is_visible()
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.wait_for()
    assert chart.locator(".main-svg").count() >= 1  # plotly actually drew
    assert re.search(r"had the most answers", page.content())
    assert page.get_by_text("Answers", exact=True).first.is_visible()


def test_upload_save_list_and_choose(page, app_url: str, tmp_path) -> None:
    path = tmp_path / "spring_survey.csv"
    path.write_text(CSV, encoding="utf-8")
    page.goto(f"{app_url}/data")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.get_by_text("Validation report").wait_for(timeout=60_000)
    wait_for_app(page)
    # 03/02/2025 could be either order: the page asks, and saving waits for the answer.
    assert page.get_by_role("button", name="Save dataset").is_disabled()
    page.get_by_test_id("stRadioGroup").get_by_text("day first (31/01/2024, UK)").click()
    wait_for_app(page)
    name_box = page.get_by_label("Dataset name")
    name_box.fill("Spring survey e2e")
    name_box.press("Tab")
    page.get_by_role("button", name="Save dataset").click()
    page.get_by_text("Saved 4 answers as dataset").wait_for(timeout=60_000)
    wait_for_app(page)
    # The sidebar now has it selected, and the Overview shows its four answers.
    picker = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    assert (
        "Spring survey e2e" in (picker.text_content() or "") + picker.locator("input").input_value()
    )
    page.get_by_role("link", name="Overview").click()
    wait_for_app(page)
    # Four people: the Overview says so and shows no figure about them (the privacy rule).
    page.get_by_text("This selection holds fewer than 10 people").first.wait_for()
    assert page.locator("[data-testid='stMetricValue']").count() == 0
    # Reload: the dataset is still in the store and selectable from the sidebar.
    page.reload()
    wait_for_app(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    options = page.locator("[role='option']").all_inner_texts()
    assert any("Spring survey e2e" in o for o in options)
    assert any("Demo" in o for o in options)


def test_a_fresh_server_routes_a_deep_link_through_the_app(page) -> None:
    """The first request a new server gets is a page URL: it must still run app.py (sidebar, roles)."""
    proc, url, _ = start_app()
    try:
        page.goto(f"{url}/data?type=carer")
        wait_for_app(page)
        assert page.get_by_role("heading", name="Data", exact=True).is_visible()
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        assert "Dataset" in sidebar and "Respondent type" in sidebar
        assert "app\n" not in sidebar  # no legacy page list
        assert "type=carer" in page.url  # the filter from the link was kept
    finally:
        stop_app(proc)
