"""Browser tests of the Voices page in a real `streamlit run` (Debian chromium via Playwright)."""

from __future__ import annotations

import re
import urllib.parse

import pandas as pd
import pytest

from analysis.core import config
from analysis.core.filters import Filters, apply_filters
from analysis.core.schema import conform_responses
from analysis.voices.participation import count_people
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e


def _small_filter() -> tuple[str, str, int]:
    """A (locality, service) pair of the demo data that selects 1 to 9 people."""
    df = conform_responses(
        pd.read_csv(config.DEMO_RESPONSES, dtype=str, keep_default_na=False).replace("", pd.NA)
    )
    best = None
    for (loc, svc), _ in df.groupby(["locality", "service"]):
        n = count_people(apply_filters(df, Filters(localities=(loc,), services=(svc,))))
        if 1 <= n < config.SUPPRESSION_THRESHOLD and (best is None or n > best[2]):
            best = (loc, svc, n)
    assert best is not None, "the demo data has no small locality x service combination"
    return best


def _open_voices(page, app_url: str, query: str = "") -> None:
    """Open the Voices page by its URL (deep links go through app.py's router)."""
    page.goto(f"{app_url}/voices{'?' + query if query else ''}")
    wait_for_app(page)
    page.get_by_role("heading", name="Voices").first.wait_for()


def _open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_voices_page_on_demo_data(app_url: str, page) -> None:
    _open_voices(page, app_url)
    page.locator("[data-testid='stPlotlyChart']").first.wait_for()
    assert page.get_by_text("Largest group by").count() >= 1 or page.locator(".gtitle").count() >= 1
    _open_tab(page, "Against the population")
    page.get_by_text(
        re.compile(r"Furthest below their population share|No group is clearly")
    ).first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0


def test_filter_selecting_few_people_shows_notice_and_no_numbers(app_url: str, page) -> None:
    locality, service, n = _small_filter()
    query = urllib.parse.urlencode({"locality": locality, "service": service})
    _open_voices(page, app_url, query)
    page.get_by_text(
        f"This selection holds fewer than {config.SUPPRESSION_THRESHOLD} people"
    ).first.wait_for()
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "Furthest below" not in body and "Largest group by" not in body
    assert config.SUPPRESSED_MARK not in body
    # The first tab holds the notice and nothing else: no chart, no table.
    first_tab = page.locator("[data-baseweb='tab-panel']").first
    assert first_tab.locator("[data-testid='stPlotlyChart']").count() == 0
    assert first_tab.locator("[data-testid='stDataFrame']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert n < config.SUPPRESSION_THRESHOLD


def _summary(page) -> tuple[int, int]:
    text = page.get_by_text(re.compile(r"^\d+ activities from")).first.inner_text()
    m = re.match(r"(\d+) activities from .* involved ([\d,]+) participants", text)
    assert m, text
    return int(m.group(1)), int(m.group(2).replace(",", ""))


def test_engagement_entry_added_in_the_form_survives_a_reload(app_url: str, page) -> None:
    _open_voices(page, app_url)
    _open_tab(page, "Engagement log")
    before, parts_before = _summary(page)
    form = page.locator("[data-testid='stForm']")
    form.get_by_label("Title").fill("Browser test café <b>not bold</b>")
    form.get_by_label("Participants").fill("12")
    form.get_by_label("With lived experience").fill("7")
    form.get_by_label("Locality").fill("Bury")
    form.get_by_role("button", name="Add activity").click()
    wait_for_app(page)
    page.get_by_text(re.compile(r"Added activity ENG-\d+")).first.wait_for()
    page.reload()
    wait_for_app(page)
    _open_tab(page, "Engagement log")
    after, parts_after = _summary(page)
    assert after == before + 1
    assert parts_after == parts_before + 12
