"""Browser: uploads made for the no-false-reassurance states. A file with no demographic columns says
representation cannot be assessed (never that no group is under-represented); a file whose every
ethnicity group is under the small-group threshold says each is hidden, with no confident title.

The app runs on its own store, so the uploads never reach the other browser tests' datasets.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.e2e.conftest import start_app, stop_app, wait_for_app

pytestmark = pytest.mark.e2e

PEOPLE = 60  # enough for the file as a whole (threshold 10), so nothing is withheld outright
TEXTS = (
    "The staff listened to me and I felt safe on the ward.",
    "I waited months for a first appointment.",
    "Nobody rang me back after I was discharged.",
    "My care coordinator was kind and helpful.",
)
# Eight of the demo benchmark's nine ethnicity groups: 60 people across them is 7 or 8 each, all under
# 10; the ninth ("Other ethnic group") has nobody, so its ratio is 0 over a hidden base and must not
# make an "in line with the population" title on its own.
ETHNICITIES = (
    "White British", "White other", "Asian or Asian British - Pakistani",
    "Asian or Asian British - Indian", "Asian or Asian British - Bangladeshi",
    "Black or Black British - African", "Black or Black British - Caribbean", "Mixed or multiple",
)  # fmt: skip
TITLES = "() => [...document.querySelectorAll('.gtitle')].map((e) => e.textContent)"


def _survey(path: Path, *, ethnicity: bool) -> Path:
    """60 answers from 60 people in two Greater Manchester boroughs (so the demo benchmark fits)."""
    head = ["response_id", "respondent_id", "submitted", "round", "respondent_type", "service",
            "locality", "text"] + (["ethnicity"] if ethnicity else [])  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(head)
        for i in range(PEOPLE):
            row = [f"r{i}", f"p{i}", f"2025-{i % 6 + 1:02d}-10", "2025 Q1" if i < 30 else "2025 Q2",
                   "service user", "Community", ("Bolton", "Bury")[i % 2], f"{TEXTS[i % 4]} ({i})"]  # fmt: skip
            out.writerow(row + ([ETHNICITIES[i % len(ETHNICITIES)]] if ethnicity else []))
    return path


@pytest.fixture(scope="module")
def own_app() -> Iterator[str]:
    proc, url, _log = start_app()
    yield url
    stop_app(proc)


def _upload(page, url: str, path: Path, name: str) -> None:
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        str(path)
    )
    page.get_by_text("Validation report").wait_for(timeout=60_000)
    wait_for_app(page)
    box = page.get_by_label("Dataset name")
    box.fill(name)
    box.press("Tab")
    page.get_by_role("button", name="Save dataset").click()
    page.get_by_text("answers as dataset").first.wait_for(timeout=60_000)
    wait_for_app(page)


def _voices(page, tab: str, **params: str) -> tuple[str, list[str]]:
    """The Voices page's text and chart titles with `tab` open, for the dataset just saved."""
    page.get_by_role("link", name="Voices").click()
    wait_for_app(page)
    base, _, query = page.url.partition("?")
    page.goto(f"{base}?{query}&{urlencode({'tab': tab, **params})}")
    wait_for_app(page)
    page.get_by_role("heading", name="Voices").first.wait_for()
    return page.locator("[data-testid='stMain']").inner_text(), page.evaluate(TITLES)


def test_a_file_with_no_demographic_columns_cannot_assess_representation(
    page, own_app, tmp_path
) -> None:
    _upload(page, own_app, _survey(tmp_path / "no_demographics.csv", ethnicity=False), "No groups")
    text, titles = _voices(page, "Against the population", voices_pop_by="ethnicity")
    assert "Dataset: No groups" in text
    assert (
        "This file has no age band, gender, ethnicity, disability, sexual orientation, religion data: "
        "representation cannot be assessed." in text
    )
    assert "No group is clearly under-represented" not in text
    assert "too few people" not in text.lower()
    assert not any("ethnicity" in t.lower() for t in titles), titles  # no chart of "Not recorded"
    text, titles = _voices(page, "Who took part", voices_who_by="ethnicity")
    assert "This file has no ethnicity data: representation cannot be assessed." in text
    assert not any(t.startswith("Largest group") for t in titles), titles


def test_a_file_whose_every_group_is_small_says_each_is_hidden(page, own_app, tmp_path) -> None:
    _upload(page, own_app, _survey(tmp_path / "all_small.csv", ethnicity=True), "All small")
    hidden = "Every ethnicity group is hidden: each has too few people to show safely"
    text, titles = _voices(page, "Who took part", voices_who_by="ethnicity")
    assert "Dataset: All small" in text
    assert hidden in titles, titles
    assert not any(t.startswith("Largest group") for t in titles), titles
    text, titles = _voices(page, "Against the population", voices_pop_by="ethnicity")
    assert hidden in titles, titles
    assert not any("in line" in t or "under-represented" in t for t in titles), titles
