"""Two app servers on one PostgreSQL store (a team behind a load balancer): a codebook edit saved on
one is seen on the other at its next run, both show the themes the background workers stored, and
no classification job ran twice. Skipped without PostgreSQL (TEST_DATABASE_URL), failed in CI."""

from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import start_app, stop_app, wait_for_app

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


def test_an_edit_on_one_server_is_seen_on_the_other(two_servers, browser) -> None:
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
    for p in (a, b):
        assert p.locator("[data-testid='stException']").count() == 0
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT state, attempts FROM classify_jobs")).all()
    assert len(rows) == 2 and all(r.state == "done" and r.attempts == 1 for r in rows), rows
    ctx_one.close()
    ctx_two.close()
