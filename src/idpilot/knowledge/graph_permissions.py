"""High-privilege Microsoft Graph permissions: names, app role ids, and why each is dangerous.

A maintained, versioned list. Application permissions (app roles) are matched by `appRoleId`
when the resource is Microsoft Graph, else by the resource service principal's `appRoles` value;
delegated permissions (oauth2PermissionGrants `scope`) are matched by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CATALOG_VERSION = "2025.1"
"""Bumped whenever a permission is added, removed or re-tiered."""

MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
MICROSOFT_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
"""appOwnerOrganizationId of Microsoft's own first-party applications."""


class PermissionTier(StrEnum):
    """How much a permission lets an app do, worst first."""

    critical = "critical"  # a path to Global Administrator or to the whole tenant's control
    high = "high"  # reads or writes sensitive data across the whole tenant


@dataclass(frozen=True)
class GraphPermission:
    """A Microsoft Graph permission worth flagging."""

    name: str
    app_role_id: str | None
    tier: PermissionTier
    why: str


_C, _H = PermissionTier.critical, PermissionTier.high

HIGH_PRIVILEGE_PERMISSIONS: tuple[GraphPermission, ...] = (
    GraphPermission("RoleManagement.ReadWrite.Directory", "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
                    _C, "Can assign any directory role, including Global Administrator, to "
                    "any principal, itself included."),
    GraphPermission("AppRoleAssignment.ReadWrite.All", "06b708a9-e830-4db3-a914-8e69da51d44f",
                    _C, "Can grant itself or any app any application permission, without "
                    "admin consent: a path to every other permission here."),
    GraphPermission("Application.ReadWrite.All", "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
                    _C, "Can add credentials to any application or service principal and act "
                    "as it, inheriting its permissions."),
    GraphPermission("Directory.ReadWrite.All", "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
                    _C, "Can change users, groups and most directory objects tenant-wide."),
    GraphPermission("UserAuthenticationMethod.ReadWrite.All",
                    "50483e42-d915-4231-9639-7fdb7fd190e5", _C,
                    "Can add authentication methods (such as a Temporary Access Pass) to any "
                    "user, administrators included, and sign in as them."),
    GraphPermission("Policy.ReadWrite.ConditionalAccess", "01c0a623-fc9b-48e9-b794-0756f8e8f067",
                    _C, "Can disable or weaken every Conditional Access policy."),
    GraphPermission("User.ReadWrite.All", "741f803b-c850-494e-b5df-cde7c675a1ca", _C,
                    "Can change any user's profile, disable accounts and change sign-in names."),
    GraphPermission("Group.ReadWrite.All", "62a82d76-70ea-41e2-9197-370581804d09", _C,
                    "Can change membership of any group, including groups that grant access "
                    "to apps, data and (non role-assignable) privileges."),
    GraphPermission("GroupMember.ReadWrite.All", "dbaae8cf-10b5-4b86-a4a1-f871c94c6695", _C,
                    "Can add any principal to any group that grants access."),
    GraphPermission("Application.ReadWrite.OwnedBy", "18a4783c-866b-4cc7-a460-3d5e5662c884",
                    _H, "Can add credentials to the applications it owns."),
    GraphPermission("Mail.ReadWrite", "e2a3a72e-5f79-4c64-b1b1-878b674786c9", _H,
                    "Can read, change and delete mail in every mailbox."),
    GraphPermission("Mail.Read", "810c84a8-4a9e-49e6-bf7d-12d183f40d01", _H,
                    "Can read mail in every mailbox of the organisation."),
    GraphPermission("Mail.Send", "b633e1c5-b582-4048-a93e-9f11b44c7e96", _H,
                    "Can send mail as any user (internal phishing)."),
    GraphPermission("Files.ReadWrite.All", "75359482-378d-4052-8f01-80520e7db3cd", _H,
                    "Can read, change and delete every file in OneDrive and SharePoint."),
    GraphPermission("Files.Read.All", "01d4889c-1287-42c6-ac1f-5d1e02578ef6", _H,
                    "Can read every file in OneDrive and SharePoint."),
    GraphPermission("Sites.ReadWrite.All", "9492366f-7969-46a4-8d15-ed1a20078fff", _H,
                    "Can read and change items in every SharePoint site."),
    GraphPermission("Sites.FullControl.All", "a82116e5-55eb-4c41-a434-62fe8a61c773", _H,
                    "Full control of every SharePoint site."),
)  # fmt: skip

_BY_ID = {p.app_role_id: p for p in HIGH_PRIVILEGE_PERMISSIONS if p.app_role_id}
_BY_NAME = {p.name.lower(): p for p in HIGH_PRIVILEGE_PERMISSIONS}


def permission_by_name(name: str | None) -> GraphPermission | None:
    """The catalogued permission of this name (case-insensitive), or None."""
    return _BY_NAME.get((name or "").strip().lower())


def match_app_role(
    resource_app_id: str | None, app_role_id: str | None, role_value: str | None = None
) -> GraphPermission | None:
    """The high-privilege permission an app role assignment grants, or None.

    On Microsoft Graph the app role id decides (falling back to the value); on any other
    resource only the role's value (its name as the resource's `appRoles` publish it) can.
    """
    if resource_app_id == MICROSOFT_GRAPH_APP_ID and app_role_id in _BY_ID:
        return _BY_ID[app_role_id]
    return permission_by_name(role_value)


def high_privilege_scopes(scope: str | None) -> list[GraphPermission]:
    """The catalogued permissions among a space-separated delegated `scope` string."""
    found = [permission_by_name(word) for word in (scope or "").split()]
    return [p for p in found if p is not None]
