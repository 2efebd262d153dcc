"""Sign-in on the app side: roles from verified identities only, and edits recorded as the signed-in
identity (never a typed name) when sign-in is on. AppTest runs app.py with an [auth] table and a user."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.core.roles import RoleMap
from analysis.plan import milestone_store as plan_store
from analysis.store import get_engine
from tests.apptest_tabs import open_tab
from ui import auth

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "feedback-dashboard",
    "client_secret": "test-secret",
    "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
}
ROLES = {"admins": ["ada.admin@example.org"], "editors": ["ed.editor@example.org"]}
FORGED = "Chief Executive"


def signed_in_app(claims: dict) -> AppTest:
    """app.py with sign-in configured and `claims` as the signed-in user's ID token."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.secrets["roles"] = ROLES
    at.user = {"is_logged_in": True, **claims}
    return at


def _sidebar_text(at: AppTest) -> str:
    # md_safe escapes punctuation and puts an invisible zero-width space after "@" (no mailto link).
    return (
        " ".join(str(c.value) for c in at.sidebar.caption).replace("\\", "").replace("\u200b", "")
    )


def test_an_unverified_email_gets_the_default_role_and_a_notice(fresh_store: str) -> None:
    at = signed_in_app(
        {"sub": "mallory", "email": "ada.admin@example.org", "email_verified": False}
    ).run()
    assert not at.exception, at.exception
    assert at.session_state["role"] == "viewer"
    assert "(admin)" not in _sidebar_text(at)
    assert any("not verified your e-mail" in w.value for w in at.sidebar.warning)


def test_a_verified_email_gets_its_role(fresh_store: str) -> None:
    at = signed_in_app(
        {"sub": "ada", "email": "ada.admin@example.org", "email_verified": True}
    ).run()
    assert not at.exception, at.exception
    assert at.session_state["role"] == "admin"
    assert "Signed in as ada.admin@example.org (admin)" in _sidebar_text(at)
    assert not at.sidebar.warning


def test_user_from_claims_records_who_the_provider_vouches_for() -> None:
    roles = RoleMap.from_mapping({**ROLES, "trusted_tenants": ["tenant-1"]})
    mallory = auth.user_from_claims(
        {"sub": "mallory", "email": "ada.admin@example.org", "email_verified": False}, roles
    )
    assert (mallory.role, mallory.verified, mallory.email) == ("viewer", False, None)
    assert mallory.identity == "unverified ada.admin@example.org (subject mallory)"
    entra = auth.user_from_claims(
        {
            "sub": "s",
            "tid": "tenant-1",
            "oid": "o-1",
            "preferred_username": "Ed.Editor@example.org",
        },
        roles,
    )
    assert (entra.role, entra.identity) == ("editor", "ed.editor@example.org")


def test_plan_edits_record_the_signed_in_identity_not_a_typed_name(fresh_store: str) -> None:
    at = signed_in_app(
        {"sub": "ed", "email": "ed.editor@example.org", "email_verified": True}
    ).run()
    at.switch_page("app_pages/improvement_plan.py").run()
    # A name typed (or planted) in any field the page once used for "who" changes nothing.
    at.session_state["plan_who"] = FORGED
    at.session_state[auth.KEY_TYPED] = FORGED
    open_tab(at, "plan_tab", "Edit")
    assert not at.exception, at.exception
    assert not [t for t in at.text_input if t.key in ("plan_who", auth.KEY_NAME_INPUT)]
    at.selectbox(key="plan_form_milestone").set_value("M003").run()
    at.selectbox(key="plan_form_status_M003_0").set_value("complete")
    at.button(key="FormSubmitter:plan_update_M003_0-Update milestone").click().run()
    assert not at.exception, at.exception
    history = plan_store.load_history("M003", engine=get_engine(fresh_store))
    assert set(history.tail(1)["changed_by"]) == {"ed.editor@example.org"}


def test_codebook_saves_record_the_signed_in_identity(fresh_store: str) -> None:
    at = signed_in_app(
        {"sub": "ed", "email": "ed.editor@example.org", "email_verified": True}
    ).run()
    at.session_state["th_who"] = FORGED
    at.session_state[auth.KEY_TYPED] = FORGED
    at.switch_page("app_pages/codebook.py").run()
    assert not at.exception, at.exception
    assert not [t for t in at.text_input if t.key in ("th_who", auth.KEY_NAME_INPUT)]
    assert any(
        "recorded as ed.editor@example.org" in c.value.replace("\\", "").replace("\u200b", "")
        for c in at.caption
    )


@pytest.mark.parametrize(
    "typed, recorded", [("  Sam   Analyst ", "Sam Analyst"), ("", "local user")]
)
def test_without_sign_in_the_local_user_may_type_a_name(
    fresh_store: str, typed: str, recorded: str
) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page("app_pages/improvement_plan.py").run()
    open_tab(at, "plan_tab", "Edit")
    at.text_input(key=auth.KEY_NAME_INPUT).set_value(typed)
    at.selectbox(key="plan_form_milestone").set_value("M003").run()
    at.selectbox(key="plan_form_status_M003_0").set_value("complete")
    at.button(key="FormSubmitter:plan_update_M003_0-Update milestone").click().run()
    assert not at.exception, at.exception
    history = plan_store.load_history("M003", engine=get_engine(fresh_store))
    assert set(history.tail(1)["changed_by"]) == {recorded}
