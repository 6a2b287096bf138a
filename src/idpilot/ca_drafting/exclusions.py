"""The accounts a drafted policy must leave out: break-glass and service accounts.

Break-glass accounts are found as `ca_analysis.coverage` finds them (an emergency-looking name,
or a Global Administrator excluded from most policies); when the tenant keeps them in a group
(an emergency-looking group name), the group is excluded and any account outside it by itself.
Service accounts: a group named for them, and users whose name, UPN or job title says so.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.store import Store
from idpilot.store.queries.groups import groups_named_like
from idpilot.store.queries.users import SERVICE_ACCOUNT_USER_WORDS, users_named_like

BREAK_GLASS_GROUP_NAMES = r"break.?glass|emergency"
SERVICE_ACCOUNT_GROUP_NAMES = r"service.?accounts?|\bsvc\b"


class ExclusionReason(StrEnum):
    """Why an account is kept out of a drafted policy."""

    break_glass = "breakGlass"
    service_account = "serviceAccount"


class ExcludedObject(BaseModel):
    """A user or group a draft excludes (or should), and why."""

    kind: str
    """`user` or `group`."""
    id: str
    display_name: str
    reason: ExclusionReason


def break_glass_objects(store: Store, tenant: TenantPolicies) -> list[ExcludedObject]:
    """The break-glass group(s), then break-glass accounts that are in none of them."""
    from idpilot.ca_analysis.coverage import break_glass_accounts

    return _groups_then_users_outside(
        tenant,
        groups_named_like(store, BREAK_GLASS_GROUP_NAMES),
        break_glass_accounts(store, tenant),
        ExclusionReason.break_glass,
    )


def service_account_objects(store: Store, tenant: TenantPolicies) -> list[ExcludedObject]:
    """Service-account groups, then service accounts that are in none of them."""
    return _groups_then_users_outside(
        tenant,
        groups_named_like(store, SERVICE_ACCOUNT_GROUP_NAMES),
        users_named_like(store, SERVICE_ACCOUNT_USER_WORDS),
        ExclusionReason.service_account,
    )


def _groups_then_users_outside(
    tenant: TenantPolicies,
    groups: list[dict[str, Any]],
    users: list[dict[str, Any]],
    reason: ExclusionReason,
) -> list[ExcludedObject]:
    """The groups excluded for `reason`, then the users that are in none of them (a user in
    one is already left out through its group)."""
    excluded_groups = [
        ExcludedObject(kind="group", id=g["id"], display_name=g["displayName"], reason=reason)
        for g in groups
    ]
    group_ids = {g.id.lower() for g in excluded_groups}
    excluded_users = [
        ExcludedObject(
            kind="user",
            id=user["id"],
            display_name=user.get("displayName") or user["id"],
            reason=reason,
        )
        for user in users
        if not {g.lower() for g in tenant.directory.group_ids_of(user["id"])} & group_ids
    ]
    return excluded_groups + excluded_users
