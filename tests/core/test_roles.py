"""Roles from configuration and what each role may do."""

from __future__ import annotations

import pytest

from analysis.core.roles import RoleMap, RolesConfigError, allowed


def test_roles_by_address_and_domain() -> None:
    roles = RoleMap.from_mapping(
        {"admins": ["Lead@NHS.net"], "editors": ["@forum.nhs.net", "analyst@nhs.net"]}
    )
    assert roles.role_for("lead@nhs.net") == "admin"
    assert roles.role_for("someone@forum.nhs.net") == "editor"
    assert roles.role_for("analyst@nhs.net") == "editor"
    assert roles.role_for("stranger@example.org") == "viewer"
    assert roles.role_for(None) == "viewer"
    assert roles.role_for("evil@forum.nhs.net.example.org") == "viewer"  # domains match exactly


def test_permissions_grow_with_role() -> None:
    assert allowed("viewer", "download_pack") and not allowed("viewer", "upload")
    assert not allowed("viewer", "view_unredacted") and not allowed("viewer", "edit_plan")
    assert allowed("editor", "upload") and allowed("editor", "edit_codebook")
    assert not allowed("editor", "view_unredacted") and not allowed("editor", "manage_datasets")
    assert allowed("admin", "view_unredacted") and allowed("admin", "manage_datasets")
    assert not allowed("nobody", "view")


@pytest.mark.parametrize(
    "config, message",
    [
        ({"admins": "lead@nhs.net"}, "must be a list"),
        ({"default": "superuser"}, "default must be one of"),
        ({"owners": []}, "unknown keys"),
    ],
)
def test_malformed_roles_are_refused_clearly(config: dict, message: str) -> None:
    with pytest.raises(RolesConfigError, match=message):
        RoleMap.from_mapping(config)


ROLE_CONFIG = {
    "admins": ["ada.admin@example.org", "oid:0000-admin"],
    "editors": ["@forum.nhs.net"],
    "trusted_tenants": ["Tenant-1"],
}


@pytest.mark.parametrize(
    "claims, role",
    [
        # The attack: a provider account that merely claims the admin's address.
        ({"sub": "mallory", "email": "ada.admin@example.org", "email_verified": False}, "viewer"),
        ({"sub": "mallory", "email": "ada.admin@example.org"}, "viewer"),  # no claim: not verified
        ({"sub": "m", "email": "ada.admin@example.org", "email_verified": "true"}, "viewer"),
        (
            {"sub": "m", "email": "anyone@forum.nhs.net", "email_verified": False},
            "viewer",
        ),  # domain
        ({"sub": "ada", "email": "Ada.Admin@example.org", "email_verified": True}, "admin"),
        ({"sub": "e", "email": "someone@forum.nhs.net", "email_verified": True}, "editor"),
        # Entra ID: preferred_username / oid count only inside a trusted tenant.
        ({"sub": "s", "tid": "tenant-1", "preferred_username": "ada.admin@example.org"}, "admin"),
        ({"sub": "s", "tid": "tenant-1", "oid": "0000-ADMIN"}, "admin"),
        ({"sub": "s", "tid": "tenant-2", "preferred_username": "ada.admin@example.org"}, "viewer"),
        ({"sub": "s", "tid": "tenant-2", "oid": "0000-admin"}, "viewer"),
        ({"sub": "s", "preferred_username": "ada.admin@example.org"}, "viewer"),
        # Inside the tenant the editable email claim is not what counts.
        (
            {
                "sub": "s",
                "tid": "tenant-1",
                "preferred_username": "x@other.org",
                "email": "ada.admin@example.org",
                "email_verified": True,
            },
            "viewer",
        ),  # fmt: skip
    ],
)
def test_roles_come_from_a_verified_identity_only(claims: dict, role: str) -> None:
    roles = RoleMap.from_mapping(ROLE_CONFIG)
    ident = roles.verified_identity(claims)
    assert roles.role_for(ident.email, ident.oid) == role


def test_an_unverified_identity_gets_the_configured_default() -> None:
    roles = RoleMap.from_mapping({**ROLE_CONFIG, "default": "editor"})
    ident = roles.verified_identity({"sub": "m", "email": "x@example.org", "email_verified": False})
    assert not ident.verified and ident.claimed == "x@example.org"
    assert roles.role_for(ident.email, ident.oid) == "editor"
    assert roles.verified_identity({"sub": "abc"}).claimed == "subject abc"
