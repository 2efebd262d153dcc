"""Browser test of "Check themes": ten answers judged with the keyboard alone change their themes, and
one key agrees with the product on the questions left."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import start_app, stop_app, wait_for_app

pytestmark = pytest.mark.e2e

_QUESTION = re.compile(r"Does this answer raise “(.+)”\? \((suggested|not suggested)")
_PROGRESS = re.compile(r"Answer (\d+) of (\d+)")


def _text(page, pattern: re.Pattern[str]) -> re.Match[str] | None:
    for value in page.locator("[data-testid='stText']").all_inner_texts():
        if m := pattern.search(value):
            return m
    return None


def _open_check_themes(page, app_url: str) -> None:
    """Open the Codebook page from the sidebar and pick answers to judge."""
    page.goto(app_url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebarNav']").get_by_role(
        "link", name="Codebook", exact=True
    ).click()
    wait_for_app(page)
    page.get_by_role("button", name="Check themes: pick answers to judge").click()
    wait_for_app(page)


def _judge_answers(page, app_url: str, n: int) -> None:
    """Open Check themes and judge `n` answers with the keyboard, each theme against the product's
    suggestion; after each answer, its themes are exactly the judged ones."""
    _open_check_themes(page, app_url)
    for answer in range(1, n + 1):
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
    assert f"{n} answers judged" in page.locator("[data-testid='stAlert']").first.inner_text()


def test_ten_answers_judged_with_the_keyboard_change_their_themes(page, app_url):
    _judge_answers(page, app_url, 10)
    # Each theme's precision and recall on the judged answers is shown.
    page.get_by_text("How often the product was right").wait_for()


_LEFT = re.compile(r"The product's answers to the questions left: (.*)")


def test_one_key_agrees_with_the_product_on_the_questions_left(page, app_url):
    """Each answer: the first theme judged against the suggestion with Y or N, then A for the rest;
    the answer's themes are then the one said by hand and the product's answers for the others."""
    _open_check_themes(page, app_url)
    for answer in range(1, 4):
        assert _text(page, _PROGRESS).group(1) == str(answer)
        first, suggested = (m := _text(page, _QUESTION)).group(1), m.group(2) == "suggested"
        page.locator("body").press("n" if suggested else "y")
        wait_for_app(page)
        rest = _text(page, _LEFT)
        yes = set() if suggested else {first}
        no = {first} if suggested else set()
        if rest is not None and _text(page, _PROGRESS).group(1) == str(answer):
            for part in rest.group(1).split("; "):
                said, label = re.match(r"(yes|no) to “(.+)”", part).groups()
                (yes if said == "yes" else no).add(label)
            page.locator("body").press("a")  # one key for every question left
            wait_for_app(page)
        now = _text(page, re.compile(r"The answer judged last now raises: (.*)")).group(1)
        raised = {t.strip() for t in now.split(",")}
        assert yes <= raised, (yes, now)
        assert not no & raised, (no, now)
    assert "3 answers judged" in page.locator("[data-testid='stAlert']").first.inner_text()


def test_with_background_classification_judging_goes_on_while_the_model_learns(page, tmp_path):
    """As `make run` serves: each judgement makes a background job; the view stays (the judged answer
    as judged, the rest on their last themes) and says the model is learning."""
    proc, url, _log = start_app(store_dir=tmp_path, env_extra={"FEEDBACK_CLASSIFY": "background"})
    try:
        page.goto(f"{url}/codebook")
        # The first classification of the demo data, by the worker the app starts.
        page.get_by_role("button", name="Check themes: pick answers to judge").wait_for(
            timeout=180_000
        )
        _judge_answers(page, url, 3)
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        stop_app(proc)
