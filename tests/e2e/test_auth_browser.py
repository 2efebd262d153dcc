"""Browser: the whole OpenID Connect sign-in against a real local provider, for each role.

oidc-provider-mock serves a real OIDC provider on a free localhost port; the app gets an [auth] and a
[roles] table through its own secrets file (--secrets.files), so no developer secrets are touched.
A viewer must not reach upload, editing or unredacted text, even by typing the URL.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.e2e.conftest import free_port, start_app, stop_app, wait_for_app

pytestmark = pytest.mark.e2e

USERS = {
    "admin": "ada.admin@example.org",
    "editor": "ed.editor@example.org",
    "viewer": "vi.viewer@example.org",
}
# Provider accounts by subject, with the claims the provider sends in the ID token.
ACCOUNTS = {
    **{
        email: {"email": email, "email_verified": True, "name": email.split("@")[0]}
        for email in USERS.values()
    },
    # The attack: an account that claims the admin's address, which nobody verified.
    "mallory": {"email": USERS["admin"], "email_verified": False, "name": "Mallory"},
    # Microsoft Entra ID style: no email_verified; the sign-in name within a trusted tenant.
    "entra-editor": {"preferred_username": "en.editor@example.org", "tid": "tenant-1", "oid": "o1"},
}


@contextmanager
def app_with_provider(folder: Path, python: str | None = None) -> Iterator[str]:
    """An app configured for sign-in against a local mock OpenID Connect provider; yields its URL.

    `python` runs the app with another interpreter (the runtime-only venv); the provider always runs
    here, in the test process (oidc-provider-mock is a test tool, not a runtime requirement).
    """
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as server:
        issuer = f"http://localhost:{server.server_port}"
        for sub, claims in ACCOUNTS.items():
            r = httpx.put(f"{issuer}/users/{quote(sub)}", json=claims)
            assert r.status_code == 204
        port = free_port()
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            'client_id = "feedback-dashboard"\n'
            'client_secret = "test-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            "[roles]\n"
            f'admins = ["{USERS["admin"]}"]\n'
            f'editors = ["{USERS["editor"]}", "en.editor@example.org"]\n'
            'default = "viewer"\n'
            'trusted_tenants = ["tenant-1"]\n'
        )
        proc, _, log_path = start_app(
            store_dir=folder,
            port=port,
            extra_args=["--secrets.files", str(secrets_file), "--server.address", "localhost"],
            python=python,
        )
        try:
            yield f"http://localhost:{port}"
        finally:
            stop_app(proc)
        assert "Traceback" not in log_path.read_text(), log_path.read_text()[-3000:]


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app configured for sign-in against a local mock OpenID Connect provider."""
    with app_with_provider(tmp_path_factory.mktemp("oidc")) as url:
        yield url


def sign_in(page, app: str, sub: str, shown_as: str | None = None) -> None:
    """Go through the provider's form as subject `sub` and come back signed in."""
    page.goto(app)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("input[name='sub']")
    page.fill("input[name='sub']", sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app}/**")
    wait_for_app(page)
    page.get_by_text(f"Signed in as {shown_as or sub}").wait_for()


def test_nobody_gets_past_the_sign_in_screen(page, oidc_app: str) -> None:
    for path in ("", "/data", "/themes", "/improvement-plan"):
        page.goto(oidc_app + path)
        wait_for_app(page)
        assert page.get_by_role("button", name="Sign in").is_visible()
        assert page.locator("[data-testid='stPlotlyChart']").count() == 0
        assert page.locator("[data-testid='stFileUploader']").count() == 0


def test_viewer_sees_views_but_cannot_reach_upload_edit_or_unredacted_text(
    page, oidc_app: str
) -> None:
    sign_in(page, oidc_app, USERS["viewer"])
    assert page.get_by_text("(viewer)").is_visible()
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "Data" not in nav.split("\n")
    page.locator("[data-testid='stPlotlyChart']").first.wait_for()
    for path in ("/data", "/themes", "/codebook", "/improvement-plan", "/voices"):
        page.goto(oidc_app + path)
        wait_for_app(page)
        assert page.locator("[data-testid='stFileUploader']").count() == 0, path
        assert page.locator("[data-testid='stDataEditor']").count() == 0, path
        assert page.get_by_text("Show unredacted").count() == 0, path
        assert page.get_by_role("button", name="Save").count() == 0, path
    # Typing the Data page's URL does not open it.
    page.goto(oidc_app + "/data")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Data", exact=True).count() == 0


def test_editor_can_upload_but_not_see_unredacted_text(page, oidc_app: str) -> None:
    sign_in(page, oidc_app, USERS["editor"])
    assert page.get_by_text("(editor)").is_visible()
    page.goto(oidc_app + "/data")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Data", exact=True).is_visible()
    assert page.locator("[data-testid='stFileUploader']").count() == 1
    assert page.get_by_text("Delete a dataset").count() == 0  # managing datasets is for admins


def test_admin_can_manage_datasets_and_sign_out(page, oidc_app: str) -> None:
    sign_in(page, oidc_app, USERS["admin"])
    assert page.get_by_text("(admin)").is_visible()
    page.goto(oidc_app + "/data")
    wait_for_app(page)
    assert page.get_by_text("Delete a dataset").is_visible()
    page.get_by_role("button", name="Sign out").click()
    # Streamlit removes its identity cookie, then hands over to the provider's end-session page.
    page.wait_for_url(lambda url: "/data" not in url, timeout=60_000)
    page = page.context.new_page()  # same browser, same cookies
    page.goto(oidc_app + "/data")
    wait_for_app(page)
    assert page.get_by_role(
        "button", name="Sign in"
    ).is_visible()  # signed out: back to the sign-in page
    assert page.locator("[data-testid='stFileUploader']").count() == 0


def test_an_unverified_email_claim_does_not_make_an_admin(page, oidc_app: str) -> None:
    sign_in(page, oidc_app, "mallory", shown_as="Mallory")
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "(viewer)" in sidebar and "(admin)" not in sidebar
    assert "has not verified your e-mail address" in sidebar
    page.goto(oidc_app + "/data")
    wait_for_app(page)
    assert page.get_by_text("Delete a dataset").count() == 0
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    page.goto(oidc_app + "/themes")
    wait_for_app(page)
    assert page.get_by_text("Show this answer unredacted").count() == 0


def test_entra_sign_in_name_in_a_trusted_tenant_gets_its_role(page, oidc_app: str) -> None:
    sign_in(page, oidc_app, "entra-editor", shown_as="en.editor@example.org (editor)")
