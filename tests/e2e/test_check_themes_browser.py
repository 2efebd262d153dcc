"""Browser test of "Check themes": ten answers judged with the keyboard alone change their themes."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e

_QUESTION = re.compile(r"Does this answer raise “(.+)”\? \((suggested|not suggested)")
_PROGRESS = re.compile(r"Answer (\d+) of (\d+)")


def _text(page, pattern: re.Pattern[str]) -> re.Match[str] | None:
    for value in page.locator("[data-testid='stText']").all_inner_texts():
        if m := pattern.search(value):
            return m
    return None


def test_ten_answers_judged_with_the_keyboard_change_their_themes(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebarNav']").get_by_role(
        "link", name="Codebook", exact=True
    ).click()
    wait_for_app(page)
    page.get_by_role("button", name="Check themes: pick answers to judge").click()
    wait_for_app(page)
    for answer in range(1, 11):
        assert _text(page, _PROGRESS).group(1) == str(answer)
        yes, no = set(), set()
        # Each theme: the opposite of the product's suggestion, so every answer's themes change.
        while (m := _text(page, _QUESTION)) and _text(page, _PROGRESS).group(1) == str(answer):
            label, suggested = m.group(1), m.group(2) == "suggested"
            page.locator("body").press("n" if suggested else "y")
            (no if suggested else yes).add(label)
            wait_for_app(page)
        now = _text(page, re.compile(r"The answer judged last now raises: (.*)")).group(1)
        raised = {t.strip() for t in now.split(",")}
        assert yes <= raised, (yes, now)
        assert not no & raised, (no, now)
    assert "10 answers judged" in page.locator("[data-testid='stAlert']").first.inner_text()
    # Each theme's precision and recall on the judged answers is shown.
    page.get_by_text("How often the product was right").wait_for()
