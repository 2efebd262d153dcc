"""Two app servers on one PostgreSQL store (a team behind a load balancer): a codebook edit, a theme
judgement (a correction), a plan edit and an upload made on one are seen on the other at its next
run, both show the themes the background workers stored, and no classification job ran twice.
Skipped without PostgreSQL (TEST_DATABASE_URL), failed in CI. One pair of servers for all four
edits: starting servers and working out themes is most of this test's time."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import start_app, stop_app, wait_for_app
from tests.e2e.test_check_themes_browser import _QUESTION, _text
from tests.e2e.test_plan_browser import STATUS_COL, _cell_text, _tab

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_servers():
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_DATABASE_URL is not set: PostgreSQL did not start in CI")
        pytest.skip("PostgreSQL not available here (set TEST_DATABASE_URL)")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    env = {"DATABASE_URL": url, "FEEDBACK_CLASSIFY": "background"}
    servers = []
    try:
        servers.append(start_app(env))
        servers.append(start_app(env))
        yield [s[1] for s in servers], engine
    finally:
        for proc, _url, _log in servers:
            stop_app(proc)
        engine.dispose()


def _open(page, base: str, title: str) -> None:
    page.goto(base)
    wait_for_app(page, timeout=300_000)
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True).click()
    wait_for_app(page, timeout=300_000)
    page.get_by_role("heading", name=title).first.wait_for()


def test_edits_on_one_server_are_seen_on_the_other(two_servers, browser, tmp_path) -> None:
    (one, two), engine = two_servers
    ctx_one = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx_two = browser.new_context(viewport={"width": 1400, "height": 1000})
    a, b = ctx_one.new_page(), ctx_two.new_page()
    for p in (a, b):
        p.set_default_timeout(120_000)
    # Both servers open the demo's Themes: the first job is worked out once, in the background.
    _open(a, one, "Themes")
    _open(b, two, "Themes")
    for p in (a, b):
        p.get_by_text(re.compile(r"Codebook version 1 ")).first.wait_for(timeout=300_000)

    _open(a, one, "Codebook")
    a.get_by_text("Add a theme", exact=True).click()
    wait_for_app(a)
    for label, value in (
        ("Name", "Parking at clinics two servers"),
        ("Seed phrases (one per line)", "car park\nparking space"),
        ("Your name (saved with the version)", "Server one tester"),
    ):
        box = a.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Tab")
        wait_for_app(a)
    a.get_by_role("button", name="Save as new version").click()
    a.get_by_text(re.compile(r"Saved version 2")).first.wait_for(timeout=120_000)

    # Server two, at its next run: the new version, then the themes it gives (from the store).
    _open(b, two, "Codebook")
    b.get_by_text("Version 2, saved by Server one tester").wait_for()
    _open(b, two, "Themes")
    b.get_by_text(re.compile(r"Codebook version 2 ")).first.wait_for(timeout=300_000)

    # Server one: a judgement (a correction), a plan edit and an upload; server two sees each.
    _judge_one_answer(a, one)
    target = _update_first_milestone(a, one)
    _upload(a, one, tmp_path / "two_servers.csv", "Uploaded on server one")

    _open(b, two, "Codebook")
    b.get_by_text("How often the product was right, on the answers people judged").wait_for(
        timeout=300_000
    )
    _open(b, two, "Improvement Plan")
    grid = _tab(b, "Edit").locator("[data-testid='stDataFrame']").first
    _wait_until(lambda: _cell_text(grid, 0, 0) == "M001")
    assert _cell_text(grid, STATUS_COL, 0) == target
    _open(b, two, "Data")
    table = b.locator("[data-testid='stDataFrame']").first
    _wait_until(lambda: "Uploaded on server one" in (table.text_content() or ""))

    for p in (a, b):
        assert p.locator("[data-testid='stException']").count() == 0
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT dataset_id, model_key, state, attempts FROM classify_jobs")
        ).all()
    # Codebook versions 1 and 2, the judgement's model and the upload's: each job run once only.
    assert len(rows) >= 4 and len({(r.dataset_id, r.model_key) for r in rows}) == len(rows), rows
    assert all(r.attempts <= 1 and r.state != "failed" for r in rows), rows
    ctx_one.close()
    ctx_two.close()


def _wait_until(check: Callable[[], bool], seconds: float = 30) -> None:
    """Poll `check` (grids fill their cells a moment after they are shown)."""
    deadline = time.time() + seconds
    while not check():
        assert time.time() < deadline, "not seen in time"
        time.sleep(0.3)


def _judge_one_answer(page, base: str) -> None:
    """On the Codebook page, answer every theme asked about the first answer (keys Y and N)."""
    _open(page, base, "Codebook")
    page.get_by_role("button", name="Check themes: pick answers to judge").click()
    wait_for_app(page)
    judged = page.get_by_text(re.compile(r"1 answer judged in this session"))
    while not judged.count():
        m = _text(page, _QUESTION)
        if m is None:  # saved: the themes are worked out again with it, in the background
            judged.wait_for(timeout=300_000)
            break
        page.locator("body").press("n" if m.group(2) == "suggested" else "y")
        wait_for_app(page)


def _update_first_milestone(page, base: str) -> str:
    """Change the first milestone's status with the plan's form; returns the new status."""
    _open(page, base, "Improvement Plan")
    panel = _tab(page, "Edit")
    grid = panel.locator("[data-testid='stDataFrame']").first
    _wait_until(lambda: _cell_text(grid, 0, 0) == "M001")
    target = "off track" if _cell_text(grid, STATUS_COL, 0) != "off track" else "at risk"
    form = panel.locator("[data-testid='stForm']").filter(has_text="Update milestone").first
    box = form.locator("[data-testid='stSelectbox']").filter(
        has=page.locator("label", has_text=re.compile(r"^Status$"))
    )
    box.scroll_into_view_if_needed()
    box.click()
    page.keyboard.type(target)
    page.get_by_role("option", name=target, exact=True).first.click()
    form.get_by_role("button", name="Update milestone").click()
    page.get_by_text("Saved 1 milestone(s): M001.").wait_for()
    return target


def _upload(page, base: str, path: Path, name: str) -> None:
    """Upload a small CSV of canonical columns on the Data page and save it as `name`."""
    rows = ["response_id,submitted,respondent_type,service,locality,text"]
    rows += [
        f"u{i},2025-0{1 + i % 3}-1{i % 9},service user,Crisis team,Bolton,"
        f"The staff were kind but I waited {i + 2} weeks for an appointment"
        for i in range(12)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.goto(f"{base}/data")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.get_by_text("Validation report").wait_for(timeout=60_000)
    wait_for_app(page)
    box = page.get_by_label("Dataset name")
    box.fill(name)
    box.press("Tab")
    wait_for_app(page)
    page.get_by_role("button", name="Save dataset").click()
    page.get_by_text("answers as dataset").first.wait_for(timeout=60_000)
