"""Every request the browser makes while using the app goes to the app itself: no font, icon, image or
script from any other host (the app holds health data; an outside request tells a third party who is
looking, and when). Every page is loaded with request logging; the favicon is the app's own file."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import start_app, stop_app, wait_for_app

pytestmark = pytest.mark.e2e

PAGES = ("", "/themes", "/codebook", "/voices", "/improvement-plan", "/data")


@pytest.fixture(scope="module")
def viewer_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app for one local viewer (no Data page, no editing)."""
    proc, url, _ = start_app(
        {"FEEDBACK_LOCAL_ROLE": "viewer"}, store_dir=tmp_path_factory.mktemp("viewer")
    )
    yield url
    stop_app(proc)


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_no_page_asks_any_other_host_for_anything(
    page, role: str, request: pytest.FixtureRequest
) -> None:
    app_url = request.getfixturevalue("viewer_url" if role == "viewer" else "app_url")
    own = urlsplit(app_url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGES:
        page.goto(app_url + path)
        wait_for_app(page)
        page.locator("[data-testid='stSidebarNav']").wait_for()
    outside = sorted(
        {
            u
            for u in requested
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own
        }  # fmt: skip
    )
    assert requested, "no request was logged: the check saw nothing"
    assert any("/_stcore/" in u for u in requested)
    assert outside == [], outside


def test_the_favicon_is_the_apps_own(page, app_url: str) -> None:
    page.goto(app_url)
    wait_for_app(page)
    icons = page.locator("link[rel*='icon']")
    assert icons.count() >= 1
    for i in range(icons.count()):
        href = icons.nth(i).get_attribute("href") or ""
        assert (
            href.startswith(("data:", "/", "./"))
            or urlsplit(href).netloc == urlsplit(app_url).netloc
        ), href
    hrefs = [icons.nth(i).get_attribute("href") or "" for i in range(icons.count())]
    assert not any("material" in h.lower() or "fonts.g" in h for h in hrefs), hrefs
