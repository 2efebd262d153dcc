"""Roles and what each may do. Pure: the app side (ui/auth.py) finds who is signed in.

Roles come from configuration ([roles] in .streamlit/secrets.toml beside the [auth] provider):

    [roles]
    admins = ["lead@nhs.net"]
    editors = ["analyst@nhs.net", "@forum-team.nhs.net"]   # an entry starting with @ is a whole domain
    default = "viewer"                                     # everyone else who can sign in
    trusted_tenants = ["<Entra ID tenant id>"]             # optional: see verified_identity()

Anyone not listed gets the default, which can never be more than "viewer" unless set explicitly.
A role is only ever given for a VERIFIED identity (verified_identity): an e-mail claim the provider
has not verified is a string anyone can type into their profile at some providers, so it matches no
entry and its holder gets the default role.
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
            "view_store_location",  # the store's file path or database host in error messages
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
    trusted_tenants: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_mapping(cls, config: Mapping | None) -> RoleMap:
        """Build from the [roles] table (missing table: everyone is a viewer)."""
        config = dict(config or {})
        unknown = set(config) - {"admins", "editors", "default", "trusted_tenants"}
        if unknown:
            raise RolesConfigError(f"unknown keys in [roles]: {', '.join(sorted(unknown))}")

        def entries(key: str) -> frozenset[str]:
            value = config.get(key, [])
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise RolesConfigError(
                    f"[roles] {key} must be a list of e-mail addresses, @domains or oid:<id>"
                )
            return frozenset(v.strip().lower() for v in value if v.strip())

        default = str(config.get("default", "viewer")).strip().lower()
        if default not in ROLES:
            raise RolesConfigError(f"[roles] default must be one of {', '.join(ROLES)}")
        return cls(
            admins=entries("admins"),
            editors=entries("editors"),
            default=default,
            trusted_tenants=entries("trusted_tenants"),
        )

    def role_for(self, email: str | None, oid: str | None = None) -> str:
        """The role of a VERIFIED identity; the default when unlisted or when there is none.

        Pass only what verified_identity() returned: this method trusts what it is given. Someone the
        provider let sign in without a verified identity is "everyone else": the default role.
        """
        if not email and not oid:
            return self.default
        email = (email or "").strip().lower()
        domain = "@" + email.rsplit("@", 1)[-1] if "@" in email else None
        object_id = f"oid:{oid.strip().lower()}" if oid else None
        for role, members in (("admin", self.admins), ("editor", self.editors)):
            if (email and email in members) or (domain and domain in members):
                return role
            if object_id and object_id in members:
                return role
        return self.default

    def verified_identity(self, claims: Mapping) -> Identity:
        """Who the provider vouches for, from the ID token's claims (see Identity for the rules)."""
        email = _text(claims.get("email"))
        tenant = _text(claims.get("tid")).lower()
        if self.trusted_tenants and tenant in self.trusted_tenants:
            # Microsoft Entra ID sends no email_verified; its preferred_username (the sign-in name)
            # and oid are set by the tenant's own administrators, so within a trusted tenant they
            # identify the person. The email claim there is editable by users, so it is not used.
            upn = _text(claims.get("preferred_username"))
            oid = _text(claims.get("oid")) or None
            if "@" in upn or oid:
                return Identity(email=upn.lower() or None, oid=oid, claimed=email or upn)
        if email and claims.get("email_verified") is True:
            return Identity(email=email.lower(), oid=None, claimed=email)
        return Identity(email=None, oid=None, claimed=email or upn_or_sub(claims))


@dataclass(frozen=True)
class Identity:
    """What a role may be based on: a verified e-mail (or Entra sign-in name) and/or Entra object id.

    Trusted, in this order: (1) in a tenant listed in trusted_tenants, the Entra ID claims
    preferred_username and oid; (2) anywhere, `email` when the provider sends email_verified = true
    (a JSON true, not the string "true"). Nothing else: not an unverified email, not `name`, not
    whole-domain matches on unverified addresses. `claimed` is what the person appears as, for display.
    """

    email: str | None
    oid: str | None
    claimed: str

    @property
    def verified(self) -> bool:
        """True when a role may be based on this identity."""
        return bool(self.email or self.oid)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def upn_or_sub(claims: Mapping) -> str:
    """A label for someone with no verified identity: their sign-in name, else the provider's subject."""
    return _text(claims.get("preferred_username")) or f"subject {_text(claims.get('sub'))}"


def allowed(role: str, permission: str) -> bool:
    """True when `role` may do `permission` (unknown roles may do nothing)."""
    return permission in PERMISSIONS.get(role, frozenset())
