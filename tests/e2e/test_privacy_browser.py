"""Browser, as a viewer: a 3-person locality and its complement show no figure; search runs on redacted
text; no uploaded value (locality, service, dataset name holding URLs) becomes a link anywhere."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, start_app, stop_app, wait_for_app
from tests.privacy_fixtures import LOCALITIES, NHS_NUMBER, SURNAME, URL_LOCALITY, URL_NAME

pytestmark = pytest.mark.e2e

PAGES = ("", "themes", "codebook", "voices", "improvement-plan")
REFUSAL = "nothing is shown to protect their privacy"


def _seed_store(store_dir: Path) -> tuple[int, int]:
    """Save the attack dataset and the URL-valued one in a fresh store (a separate process)."""
    code = (
        "from tests.privacy_fixtures import save_attack_dataset, URL_NAME\n"
        "a = save_attack_dataset('Attack test')\n"
        "b = save_attack_dataset(URL_NAME, url_values=True)\n"
        "print(a, b)\n"
    )
    env = {"FEEDBACK_DB_PATH": str(store_dir / "store.sqlite"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    first, second = out.stdout.split()[-2:]
    return int(first), int(second)


@pytest.fixture(scope="module")
def viewer_app() -> tuple[str, int, int]:
    store_dir = Path(tempfile.mkdtemp(prefix="feedback-privacy-e2e-"))
    attack, urls = _seed_store(store_dir)
    proc, url, _log = start_app({"FEEDBACK_LOCAL_ROLE": "viewer"}, store_dir)
    yield url, attack, urls
    stop_app(proc)


def _query(ds: int, localities: list[str], **extra: str) -> str:
    parts = [f"ds={ds}"] + [f"locality={quote(loc, safe='')}" for loc in localities]
    parts += [f"{k}={quote(v, safe='')}" for k, v in extra.items()]
    return "?" + "&".join(parts)


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


@pytest.mark.parametrize(
    "localities",
    [["Tinytown"], [loc for loc in LOCALITIES if loc != "Tinytown"]],
    ids=["tinytown", "all-but-tinytown"],
)
def test_a_withheld_selection_shows_no_figure_on_any_page(page, viewer_app, localities) -> None:
    url, attack, _urls = viewer_app
    for path in PAGES:
        extra = {"tab": "You said, we did"} if path == "improvement-plan" else {}
        page.goto(f"{url}/{path}{_query(attack, localities, **extra)}")
        wait_for_app(page)
        text = _main_text(page)
        assert REFUSAL in text, (path, text[:500])
        assert page.locator("[data-testid='stMetric']").count() == 0, path
        assert page.locator("[data-testid='stMain'] .js-plotly-plot").count() == 0, path
        assert "answers chosen" not in text and "answers from" not in text
        for figure in ("73", "146", " 6 answers", "3 people"):
            assert figure not in text, (path, figure)
        if path in ("", "themes", "voices"):
            assert page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").count() == 0
        # The selection really is the one asked for (the link was not ignored).
        boxes = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
        expect(boxes.filter(has_text="Locality")).to_contain_text(localities[-1])


def test_an_allowed_selection_shows_its_figures(page, viewer_app) -> None:
    url, attack, _urls = viewer_app
    page.goto(f"{url}/{_query(attack, ['Bigtown', 'Midtown'])}")
    wait_for_app(page)
    expect(page.locator("[data-testid='stMetric']")).to_have_count(4)
    expect(page.locator("[data-testid='stMain']")).to_contain_text("122")


@pytest.mark.parametrize("query", [f'"{NHS_NUMBER}"', "07700", SURNAME])
def test_a_viewer_search_finds_nothing_in_personal_data(page, viewer_app, query: str) -> None:
    url, attack, _urls = viewer_app
    page.goto(f"{url}/themes{_query(attack, [], tab='Search')}")
    wait_for_app(page)
    box = page.get_by_label("Search answers", exact=True).and_(page.locator("input"))
    box.fill(query)
    box.press("Enter")
    wait_for_app(page)
    text = _main_text(page)
    assert "No answers in this selection" in text, text[-600:]
    assert "unredacted" not in text
    assert page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").count() == 0
    box.fill("kind")
    box.press("Enter")
    wait_for_app(page)
    # The same search box does find ordinary words (the table can draw a moment after the run ends).
    expect(page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").first).to_be_visible()


def _no_evil_links(page, where: str, in_app: bool = True) -> None:
    if in_app:
        # The values are on screen, as text (the sidebar can draw a moment after the page's content).
        expect(page.locator("[data-testid='stSidebar']")).to_contain_text("evil.example")
    else:
        assert "evil" in page.content(), where
    assert page.locator('a[href*="evil"]').count() == 0, where
    assert page.locator("svg a").count() == 0, where


def test_no_uploaded_value_becomes_a_link_anywhere(page, viewer_app, tmp_path: Path) -> None:
    url, _attack, urls = viewer_app
    views = [
        ("", {}),
        ("themes", {"tab": "Themes"}),
        ("themes", {"tab": "Trend"}),
        ("themes", {"tab": "Compare groups", "by": "locality"}),
        ("themes", {"tab": "Themes together"}),
        ("codebook", {}),
        ("voices", {"tab": "Who took part", "voices_who_by": "locality"}),
        ("voices", {"tab": "Over rounds", "voices_rounds_by": "locality"}),
        ("voices", {"tab": "Intersections"}),
        ("voices", {"tab": "What they raise"}),
        ("improvement-plan", {"tab": "You said, we did"}),
    ]
    for path, extra in views:
        page.goto(f"{url}/{path}{_query(urls, [URL_LOCALITY, 'Midtown'], **extra)}")
        wait_for_app(page)
        _no_evil_links(page, f"{path} {extra}")
        assert REFUSAL not in _main_text(page), path
    # The sidebar's options, drawn when a list is opened.
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(
        has_text="Service"
    ).click()
    assert page.get_by_role("option").count() >= 1
    _no_evil_links(page, "sidebar options")
    page.keyboard.press("Escape")
    # The meeting pack, downloaded and opened.
    page.goto(f"{url}/{_query(urls, [URL_LOCALITY, 'Midtown'])}")
    wait_for_app(page)
    page.get_by_role("button", name="Prepare meeting pack").click()
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download meeting pack (HTML)").click()
    pack = tmp_path / "pack.html"
    info.value.save_as(pack)
    doc = pack.read_text(encoding="utf-8")
    assert "evil" in doc and not re.search(r"<a\s[^>]*evil", doc, re.IGNORECASE)
    page.goto(pack.as_uri())
    _no_evil_links(page, "meeting pack", in_app=False)
    assert URL_NAME.split()[0] in page.locator("h1").inner_text()
