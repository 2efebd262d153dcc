"""Who is using the app: OpenID Connect sign-in through st.login, or one local user when none is set up."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st

from analysis.core import settings
from analysis.core.errors import InputError
from analysis.core.roles import LOCAL_USER, ROLES, RoleMap, RolesConfigError, allowed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class User:
    """The person using this session and their role."""

    name: str
    email: str | None
    role: str
    local: bool


def auth_configured() -> bool:
    """True when an identity provider is configured ([auth] in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all is the normal local case
        return False


def _local_user() -> User:
    try:
        role = str(settings.value("FEEDBACK_LOCAL_ROLE"))
    except InputError as exc:
        log.warning("%s The local user is a viewer.", exc)
        role = "viewer"
    return User(name=LOCAL_USER, email=None, role=role if role in ROLES else "viewer", local=True)


def sign_in_page() -> None:
    """The only page anyone sees before signing in."""
    st.title("Sign in")
    st.write(
        "This dashboard holds special-category health data. Sign in with your organisation account to continue."
    )
    st.button("Sign in", type="primary", on_click=st.login, key="sign_in")


def current_user() -> User | None:
    """The signed-in user, the local user when no identity provider is set up, or None (must sign in)."""
    if not auth_configured():
        user = _local_user()
    else:
        if not st.user.is_logged_in:
            st.session_state.pop("role", None)
            return None
        try:
            roles = RoleMap.from_mapping(st.secrets.get("roles"))
        except RolesConfigError as exc:
            log.error("roles configuration: %s", exc)
            st.error(
                f"The roles configuration is invalid ({exc}); everyone is a viewer until it is fixed."
            )
            roles = RoleMap()
        email = st.user.get("email")
        user = User(
            name=str(st.user.get("name") or email or "signed-in user"),
            email=email,
            role=roles.role_for(email),
            local=False,
        )
    st.session_state["role"] = user.role
    st.session_state["user"] = user.email or user.name
    return user


def render_user_box(user: User) -> None:
    """Who is signed in and with which role; says so plainly when running for one local user."""
    if user.local:
        st.sidebar.caption(
            f"No identity provider is configured: running for one local user ({user.role}). "
            "See the README to set up sign-in."
        )
    else:
        st.sidebar.caption(f"Signed in as {user.email or user.name} ({user.role})")
        st.sidebar.button("Sign out", on_click=st.logout, key="sign_out")


def may(permission: str) -> bool:
    """True when the current session's role allows `permission`."""
    return allowed(st.session_state.get("role", "viewer"), permission)
