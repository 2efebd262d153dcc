"""Who is using the app: OpenID Connect sign-in through st.login, or one local user when none is set up.

Roles come only from a verified identity (analysis.core.roles.RoleMap.verified_identity). Every edit
records editor_name(): the signed-in identity when sign-in is on (nothing typed can change it), or,
with no identity provider, the name the one local user typed (name_input).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from analysis.core import roles as roles_mod
from analysis.core import settings
from analysis.core.errors import InputError, StoreError
from analysis.core.roles import LOCAL_USER, ROLES, RoleMap, RolesConfigError, allowed
from ui.widgets import md_safe

log = logging.getLogger(__name__)

KEY_USER = "_auth_user"  # the User of this session (a frozen dataclass of strings)
KEY_TYPED = "_editor_typed_name"  # what the local user typed, kept across pages
KEY_NAME_INPUT = "editor_name_input"
# What the local role can do, said beside it (the README's Settings table says how to change it).
_LOCAL_ROLE_NOTES = {
    "editor": " An editor uploads and edits the codebook, plan and log; deleting datasets and reading "
    "unredacted answers need `FEEDBACK_LOCAL_ROLE=admin`.",
    "viewer": " A viewer can read but not change anything.",
}


@dataclass(frozen=True)
class User:
    """The person using this session and their role.

    identity is what edits and the access log record: a verified e-mail or Entra sign-in name,
    "oid:<object id>", or for an unverified account "unverified <claimed> (subject <sub>)".
    """

    name: str
    email: str | None
    role: str
    local: bool
    identity: str = LOCAL_USER
    verified: bool = True


def auth_configured() -> bool:
    """True when an identity provider is configured ([auth] in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all is the normal local case
        return False


def local_role() -> str:
    """The local user's role (FEEDBACK_LOCAL_ROLE; editor by default, viewer when the value is unusable)."""
    try:
        role = str(settings.value("FEEDBACK_LOCAL_ROLE"))
    except InputError as exc:
        log.warning("%s The local user is a viewer.", exc)
        role = "viewer"
    return role if role in ROLES else "viewer"


def sign_in_page() -> None:
    """The only page anyone sees before signing in."""
    st.title("Sign in")
    st.write(
        "This dashboard holds special-category health data. Sign in with your organisation account to continue."
    )
    st.button("Sign in", type="primary", on_click=st.login, key="sign_in")


def _role_map() -> RoleMap:
    try:
        return RoleMap.from_mapping(st.secrets.get("roles"))
    except RolesConfigError as exc:
        log.error("roles configuration: %s", exc)
        st.error(
            f"The roles configuration is invalid ({md_safe(exc)}); everyone is a viewer until it is fixed."
        )
        return RoleMap()


def user_from_claims(claims: Mapping, role_map: RoleMap) -> User:
    """The User for an ID token's claims: the role from the verified identity only."""
    ident = role_map.verified_identity(claims)
    role = role_map.role_for(ident.email, ident.oid)
    if ident.verified:
        identity = ident.email or f"oid:{ident.oid}"
    else:
        sub = str(claims.get("sub") or "").strip()
        named = sub and not ident.claimed.startswith("subject ")  # else the subject is the label
        identity = f"unverified {ident.claimed}" + (f" (subject {sub})" if named else "")
    name = str(claims.get("name") or ident.email or ident.claimed or "signed-in user")
    return User(
        name=name,
        email=ident.email,
        role=role,
        local=False,
        identity=roles_mod.editor_name(identity),
        verified=ident.verified,
    )


def current_user() -> User | None:
    """The signed-in user, the local user when no identity provider is set up, or None (must sign in)."""
    if not auth_configured():
        user = User(name=LOCAL_USER, email=None, role=local_role(), local=True)
    else:
        if not st.user.is_logged_in:
            for key in ("role", "user", KEY_USER):
                st.session_state.pop(key, None)
            return None
        user = user_from_claims(st.user.to_dict(), _role_map())
    st.session_state["role"] = user.role
    st.session_state["user"] = user.identity
    st.session_state[KEY_USER] = user
    return user


def render_user_box(user: User) -> None:
    """Who is signed in and with which role; says so plainly when running for one local user."""
    if user.local:
        st.sidebar.caption(
            f"No identity provider is configured: running for one local user ({user.role})."
            f"{_LOCAL_ROLE_NOTES.get(user.role, '')} See the README to set up sign-in."
        )
        return
    if user.verified:
        st.sidebar.caption(f"Signed in as {md_safe(user.identity)} ({user.role})")
    else:
        st.sidebar.caption(f"Signed in as {md_safe(user.name)} ({user.role})")
        st.sidebar.warning(
            "Your identity provider has not verified your e-mail address, so it cannot give you a role "
            f"here: you have the default role ({user.role}). Ask your administrator to verify your "
            "account, then sign out and in again."
        )
    st.sidebar.button("Sign out", on_click=st.logout, key="sign_out")


def may(permission: str) -> bool:
    """True when the current session's role allows `permission`."""
    return allowed(st.session_state.get("role", "viewer"), permission)


def problem_text(exc: Exception) -> str:
    """An error's message for this session: admins also see where the store is (a path or host)."""
    if isinstance(exc, StoreError) and exc.where and may("view_store_location"):
        return exc.operator_message()
    return str(exc)


def _signed_in_user() -> User | None:
    user = st.session_state.get(KEY_USER)
    return user if isinstance(user, User) and not user.local else None


def editor_name() -> str:
    """The name saved with an edit, an upload, a deletion or an access-log entry.

    With sign-in on it is the signed-in identity and nothing typed can change it. With no identity
    provider it is what the one local user typed in name_input (or "local user").
    """
    user = _signed_in_user()
    if user is not None:
        return user.identity
    if auth_configured():
        # Sign-in is on but this run has no user (a page run outside app.py): never a typed name.
        return roles_mod.editor_name(None)
    typed = st.session_state.get(KEY_NAME_INPUT, st.session_state.get(KEY_TYPED))
    return roles_mod.editor_name(typed)


def _remember_typed_name() -> None:
    st.session_state[KEY_TYPED] = st.session_state.get(KEY_NAME_INPUT, "")


def name_input(label: str = "Your name (recorded with your changes)") -> None:
    """A name field for the local user only; when signed in, a caption says whose name is recorded."""
    user = _signed_in_user()
    if user is not None:
        st.caption(f"Changes are recorded as {md_safe(user.identity)}.")
        return
    if auth_configured():
        return
    # The widget's own state is dropped when a page without it runs; the typed name is kept apart.
    if KEY_NAME_INPUT not in st.session_state:
        st.session_state[KEY_NAME_INPUT] = st.session_state.get(KEY_TYPED, "")
    st.text_input(label, key=KEY_NAME_INPUT, on_change=_remember_typed_name, placeholder=LOCAL_USER)
