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
