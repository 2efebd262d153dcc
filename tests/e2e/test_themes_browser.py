"""Browser tests of the Themes and Codebook pages in a real `streamlit run` (Debian chromium)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]

IMG = "<img src=x onerror=alert(1)>"
MD_IMG = "![x](http://127.0.0.1:9/x.png)"
_ORDINARY = [
    "waited 14 weeks, nobody rang back",
    "staff were kind and listened",
    "my medication was changed without telling me",
    "discharge was rushed",
    "could not get through on the phone",
    "the crisis team never came",
    "food on the ward was cold",
    "my carer was not involved",
    "appointments kept being cancelled",
    "the nurse was lovely",
    "the garden was lovely",
]
# 24 people: a search must match, and leave out, at least 10 people's answers to list any (the privacy
# rule), so each hostile answer opens a group of 12 answers sharing a marker word. Its headers are
# far from the foundation test's export, whose mapping must not be recalled from this one's.
HOSTILE_CSV = "Ref,Date,Are you a...,Area,Service,What could we do better?\n" + "".join(
    f'{i},0{1 + i % 9}/02/2025,Service user,Bolton,Crisis team,"{text}"\n'
    for i, text in enumerate(
        [f"{IMG} staff were rude on the ward alpha"]
        + [f"{t} alpha" for t in _ORDINARY]
        + [f"{MD_IMG} the waiting list was too long beta"]
        + [f"{t} beta" for t in _ORDINARY]
    )
)


def _planted_records() -> list[tuple[str, str, str]]:
    spec = importlib.util.spec_from_file_location(
        "gen_demo", ROOT / "scripts" / "generate_demo_responses.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.planted_pii_records()


def _goto(page, app_url: str, title: str) -> None:
    """Open a page through the app's navigation (the router runs first: sidebar, sign-in, filters)."""
    page.goto(app_url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", name=title).first.wait_for()


def _open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def _search(page, query: str) -> None:
    _open_tab(page, "Search")
    box = page.get_by_role("textbox", name="Search answers")
    box.fill(query)
    box.press("Enter")
    wait_for_app(page)


def _choose(page, label: str, option: str) -> None:
    box = (
        page.locator("[data-testid='stSelectbox']")
        .filter(has=page.locator("label", has_text=re.compile(rf"^{re.escape(label)}$")))
        .first
    )
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_for_app(page)


def _texts(page) -> str:
    return "\n".join(page.locator("[data-testid='stText']").all_inner_texts())


def test_choose_a_theme_and_read_its_answers(app_url: str, page) -> None:
    _goto(page, app_url, "Themes")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    _choose(page, "Theme", "Medication")
    page.get_by_text(re.compile(r"^[\d,]+ answers")).first.wait_for()
    full = _texts(page)
    assert "Themes: " in full and "Medication" in full
    assert "«" in full  # the words that raised the theme, marked as plain text
    assert page.locator("[data-testid='stException']").count() == 0


def test_planted_personal_data_never_reaches_the_page(app_url: str, page) -> None:
    records = _planted_records()
    planted = [value for _, _, value in records]
    surnames = sorted(
        {v.split()[-1] for _, kind, v in records if kind in ("doctor", "nurse", "coordinator")}
    )
    _goto(page, app_url, "Themes")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    # Search reads the redacted text: a surname typed in finds nothing, its placeholder finds the
    # answers that held a name, and neither shows the planted value.
    _search(page, " OR ".join(surnames[:12]))
    assert "[NAME]" not in _texts(page)
    assert not any(name in _texts(page) for name in surnames[:12])
    _search(page, "NAME")
    page.get_by_text(re.compile(r"^[\d,]+ answers")).first.wait_for()
    assert "[NAME]" in _texts(page)
    dom = page.content()
    for value in planted:
        assert value not in dom, f"planted personal data reached the page: {value[:3]}…"
    _search(page, "EMAIL OR PHONE")
    page.get_by_text(re.compile(r"^[\d,]+ answers")).first.wait_for()
    dom = page.content()
    assert "[EMAIL]" in dom or "[PHONE]" in dom
    for value in planted:
        assert value not in dom, f"planted personal data reached the page: {value[:3]}…"


def test_hostile_answer_shows_as_text_and_fetches_nothing(app_url: str, page, tmp_path) -> None:
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    path = tmp_path / "hostile.csv"
    path.write_text(HOSTILE_CSV, encoding="utf-8")
    _goto(page, app_url, "Data")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.get_by_text("Validation report").wait_for(timeout=60_000)
    wait_for_app(page)
    page.get_by_test_id("stRadioGroup").get_by_text(
        "day first (31/01/2024, UK)"
    ).click()  # 01/02/2025 could be either order
    wait_for_app(page)
    name_box = page.get_by_label("Dataset name")
    name_box.fill("Hostile answers e2e")
    name_box.press("Tab")
    page.get_by_role("button", name="Save dataset").click()
    page.get_by_text("Saved 24 answers as dataset").wait_for(timeout=60_000)
    wait_for_app(page)
    page.locator("[data-testid='stSidebarNav']").get_by_role(
        "link", name="Themes", exact=True
    ).click()
    wait_for_app(page)
    page.get_by_role("heading", name="Themes").first.wait_for()
    page.get_by_text("24 answers chosen by the sidebar filters.").wait_for()
    for query, literal in (("alpha", IMG), ("beta", MD_IMG)):
        _search(page, query)
        page.get_by_text(re.compile(r"^[\d,]+ answers")).first.wait_for()
        assert literal in _texts(page)  # shown as the characters typed
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("img[src*='127.0.0.1:9']").count() == 0
    assert page.locator("[data-testid='stMain'] img").count() == 0
    page.wait_for_timeout(500)
    assert not [u for u in requests if "127.0.0.1:9/" in u or u.endswith("/x")]
    assert not dialogs


def test_a_codebook_edit_survives_a_reload(app_url: str, page) -> None:
    _goto(page, app_url, "Codebook")
    page.get_by_text("Add a theme", exact=True).click()
    wait_for_app(page)
    name = page.get_by_label("Name", exact=True)
    name.fill("Parking at clinics e2e")
    name.press("Tab")
    seeds = page.get_by_label("Seed phrases (one per line)")
    seeds.fill("car park\nparking space")
    seeds.press("Tab")
    who = page.get_by_label("Your name (saved with the version)")
    who.fill("E2E tester")
    who.press("Tab")
    wait_for_app(page)
    page.get_by_role("button", name="Save as new version").click()
    page.get_by_text(re.compile(r"Saved version \d+")).first.wait_for(timeout=120_000)
    wait_for_app(page)
    version = re.search(
        r"Saved version (\d+)", page.locator("[data-testid='stAlert']").first.inner_text()
    ).group(1)
    page.reload()
    wait_for_app(page)
    page.get_by_text(f"Version {version}, saved by E2E tester").wait_for()
    _choose(page, "View a version", version)
    page.locator("[data-testid='stSidebarNav']").get_by_role(
        "link", name="Themes", exact=True
    ).click()
    wait_for_app(page)
    page.get_by_text(re.compile(rf"Codebook version {version} ")).first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
