"""Roles and what each may do. Pure: the app side (ui/auth.py) finds who is signed in.

Roles come from configuration ([roles] in .streamlit/secrets.toml beside the [auth] provider):

    [roles]
    admins = ["lead@nhs.net"]
    editors = ["analyst@nhs.net", "@forum-team.nhs.net"]   # an entry starting with @ is a whole domain
    default = "viewer"                                     # everyone else who can sign in

Anyone not listed gets the default, which can never be more than "viewer" unless set explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis.core.errors import InputError

ROLES = ("viewer", "editor", "admin")
LOCAL_USER = "local user"  # who did it, when no identity provider is configured
MAX_NAME_CHARS = 200


def editor_name(who: object) -> str:
    """The name saved with an edit: whitespace collapsed, at most 200 characters, the local user if blank."""
    return " ".join(str(who or "").split())[:MAX_NAME_CHARS] or LOCAL_USER


PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"view", "download_pack"}),
    "editor": frozenset(
        {
            "view",
            "download_pack",
            "upload",
            "edit_codebook",
            "correct",
            "edit_plan",
            "edit_engagement",
        }
    ),
    "admin": frozenset(
        {
            "view",
            "download_pack",
            "upload",
            "edit_codebook",
            "correct",
            "edit_plan",
            "edit_engagement",
            "manage_datasets",
            "view_unredacted",
        }
    ),
}


class RolesConfigError(InputError):
    """The [roles] configuration is malformed; the message says how."""


@dataclass(frozen=True)
class RoleMap:
    """Who has which role: exact e-mail addresses and whole domains ("@trust.nhs.uk")."""

    admins: frozenset[str] = field(default_factory=frozenset)
    editors: frozenset[str] = field(default_factory=frozenset)
    default: str = "viewer"

    @classmethod
    def from_mapping(cls, config: Mapping | None) -> RoleMap:
        """Build from the [roles] table (missing table: everyone is a viewer)."""
        config = dict(config or {})
        unknown = set(config) - {"admins", "editors", "default"}
        if unknown:
            raise RolesConfigError(f"unknown keys in [roles]: {', '.join(sorted(unknown))}")

        def entries(key: str) -> frozenset[str]:
            value = config.get(key, [])
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise RolesConfigError(
                    f"[roles] {key} must be a list of e-mail addresses or @domains"
                )
            return frozenset(v.strip().lower() for v in value if v.strip())

        default = str(config.get("default", "viewer")).strip().lower()
        if default not in ROLES:
            raise RolesConfigError(f"[roles] default must be one of {', '.join(ROLES)}")
        return cls(admins=entries("admins"), editors=entries("editors"), default=default)

    def role_for(self, email: str | None) -> str:
        """The role of a signed-in e-mail address (the default when unlisted; viewer when unknown)."""
        if not email:
            return "viewer"
        email = email.strip().lower()
        domain = "@" + email.rsplit("@", 1)[-1] if "@" in email else None
        for role, members in (("admin", self.admins), ("editor", self.editors)):
            if email in members or (domain and domain in members):
                return role
        return self.default


def allowed(role: str, permission: str) -> bool:
    """True when `role` may do `permission` (unknown roles may do nothing)."""
    return permission in PERMISSIONS.get(role, frozenset())
