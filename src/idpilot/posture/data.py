"""Everything the posture checks read, loaded from the store once with set-based queries.

Sign-ins are only ever aggregated in SQL (last sign-in per user and per app, legacy clients
per user), so loading is fast on a store with millions of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from idpilot.knowledge.graph_permissions import GraphPermission, match_app_role
from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.model.registry import parse_record
from idpilot.posture.tenant_settings import SETTINGS_COLLECTIONS, TenantSettings
from idpilot.security.detections.sign_in_origins import LEGACY_CLIENTS
from idpilot.security.privileged_roles import privileged_role_holders
from idpilot.store import Store
from idpilot.store.queries.posture import (
    all_applications,
    all_delegated_grants,
    all_groups,
    all_named_locations,
    all_policies,
    all_risky_service_principals,
    all_risky_users,
    all_service_principals,
    any_sign_in,
    last_sign_in_per_app,
    legacy_sign_ins_per_user,
    membership_edges,
    organization_id,
    registration_report,
    service_principal_app_roles,
    users_with_last_sign_in,
)
from idpilot.store.queries.roles import all_role_holders
from idpilot.store.queries.settings import (
    collection_objects,
    collections_present,
    unavailable_collections,
)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


_APP_OBJECT_JSON = ("passwordCredentials", "keyCredentials", "owners")
"""JSON columns of servicePrincipals and applications the checks read as lists."""


def _app_objects_by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Service principals or applications by id, their credential and owner columns parsed."""
    objects = {}
    for row in rows:
        for key in _APP_OBJECT_JSON:
            row[key] = _json(row[key])
        objects[row["id"]] = row
    return objects


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class PostureData:
    """The tenant as the posture checks see it."""

    captured: datetime
    tenant_id: str | None
    users: dict[str, dict[str, Any]]
    registrations: dict[str, dict[str, Any]]
    role_holders: list[dict[str, Any]]
    groups: dict[str, dict[str, Any]]
    members_of_group: dict[str, set[str]]
    groups_of_member: dict[str, set[str]]
    policies: list[dict[str, Any]]
    named_locations: list[dict[str, Any]]
    risky_users: list[dict[str, Any]]
    risky_service_principals: list[dict[str, Any]]
    service_principals: dict[str, dict[str, Any]]
    applications: dict[str, dict[str, Any]]
    sp_permissions: dict[str, list[tuple[GraphPermission, str]]]
    grants: list[dict[str, Any]]
    app_last_sign_in: dict[str, datetime]
    sign_ins_recorded: bool
    legacy_sign_ins: list[dict[str, Any]] = field(default_factory=list)
    """Per user, sign-ins with a legacy (basic authentication) client: attempts, successes."""
    extra: dict[str, Any] = field(default_factory=dict)
    settings: TenantSettings = field(default_factory=TenantSettings)
    """Tenant-wide settings (authorization policy, PIM, licences...) and what is missing."""
    groups_known: bool = True
    """False when the snapshot brought no `groups` file (a check on groups is `unknown`)."""
    directory_role_holders: list[dict[str, Any]] = field(default_factory=list)
    """Every (principal, directory role) pair of any role, privileged or not (CIS 1.1.4)."""
    policies_known: bool = True
    """False when the snapshot brought no `conditionalAccessPolicies` file: the policy checks
    are then `unknown`, not judged on an absence the snapshot cannot show."""

    # -- convenience ----------------------------------------------------------------------

    def user_affected(self, user_id: str, detail: str = "") -> Record:
        """The record of a user a check names (a bare id when the user is not in the snapshot)."""
        user = self.users.get(user_id)
        if user is None:
            sp = self.service_principals.get(user_id)
            if sp is not None:
                return self.sp_affected(user_id, detail)
            return Record(kind="directoryObject", id=user_id, label=user_id, detail=detail)
        return Record(
            kind="user",
            id=user_id,
            label=user["userPrincipalName"] or user["displayName"] or user_id,
            detail=detail,
            fields={
                "displayName": user["displayName"],
                "userPrincipalName": user["userPrincipalName"],
            },
        )

    def sp_affected(self, sp_id: str, detail: str = "") -> Record:
        """The record of a service principal a check names."""
        sp = self.service_principals[sp_id]
        return Record(
            kind="servicePrincipal",
            id=sp_id,
            label=sp["displayName"] or sp_id,
            detail=detail,
            fields={"displayName": sp["displayName"], "appId": sp["appId"]},
        )

    def policy_affected(self, policy: dict[str, Any], detail: str = "") -> Record:
        """The record of a Conditional Access policy a check names."""
        return Record(
            kind="conditionalAccessPolicy",
            id=policy["id"],
            label=policy["displayName"] or policy["id"],
            detail=detail,
            fields={"displayName": policy["displayName"], "state": policy["state"]},
        )

    def group_affected(self, group_id: str, detail: str = "") -> Record:
        """The record of a group a check names."""
        group = self.groups.get(group_id, {"displayName": group_id})
        return Record(
            kind="group",
            id=group_id,
            label=group["displayName"] or group_id,
            detail=detail,
            fields={"displayName": group["displayName"]},
        )

    def privileged_user_ids(self) -> set[str]:
        """Users holding a privileged role, active or eligible, directly or via a group."""
        return {h["user_id"] for h in self.role_holders if h["user_id"] in self.users}

    def enabled_policies(self) -> list[dict[str, Any]]:
        """Conditional Access policies in state 'enabled'."""
        return [p for p in self.policies if p["state"] == "enabled"]

    def days_since(self, moment: datetime | None) -> float | None:
        """Days between a moment and the snapshot time."""
        if moment is None:
            return None
        return (self.captured - moment).total_seconds() / 86400


def load_posture_data(store: Store) -> PostureData:
    """Read what the checks need from the store."""
    users = {}
    for row in users_with_last_sign_in(store):
        row["last_sign_in"] = _utc(row["last_sign_in"])
        row["createdDateTime"] = _utc(row["createdDateTime"])
        row["assignedLicenses"] = _json(row["assignedLicenses"]) or []
        users[row["id"]] = row
    registrations = {
        row["id"]: {**row, "methodsRegistered": _json(row["methodsRegistered"]) or []}
        for row in registration_report(store)
    }
    groups = {row["id"]: row for row in all_groups(store)}
    members_of_group: dict[str, set[str]] = {}
    groups_of_member: dict[str, set[str]] = {}
    for group_id, member_id in membership_edges(store):
        members_of_group.setdefault(group_id, set()).add(member_id)
        groups_of_member.setdefault(member_id, set()).add(group_id)
    policies = []
    for row in all_policies(store):
        for key in ("conditions", "grantControls", "sessionControls"):
            row[key] = _json(row[key]) or {}
        policies.append(row)
    named_locations = [
        {**row, "ipRanges": _json(row["ipRanges"]) or []} for row in all_named_locations(store)
    ]
    sps = _app_objects_by_id(all_service_principals(store))
    apps = _app_objects_by_id(all_applications(store))
    sp_permissions: dict[str, list[tuple[GraphPermission, str]]] = {}
    for row in service_principal_app_roles(store):
        perm = match_app_role(row["resource_app"], row["appRoleId"], row["role_value"])
        if perm is not None:
            sp_permissions.setdefault(row["principalId"], []).append((perm, row["assignment_id"]))
    app_last = {app_id: _utc(last) for app_id, last in last_sign_in_per_app(store)}
    org = organization_id(store)
    return PostureData(
        captured=store.captured_at(),
        tenant_id=store.info("tenantId") or org,
        users=users,
        registrations=registrations,
        role_holders=privileged_role_holders(store),
        directory_role_holders=all_role_holders(store),
        groups=groups,
        members_of_group=members_of_group,
        groups_of_member=groups_of_member,
        policies=policies,
        named_locations=named_locations,
        risky_users=all_risky_users(store),
        risky_service_principals=all_risky_service_principals(store),
        service_principals=sps,
        applications=apps,
        sp_permissions=sp_permissions,
        grants=all_delegated_grants(store),
        app_last_sign_in={k: v for k, v in app_last.items() if v is not None},
        sign_ins_recorded=any_sign_in(store),
        legacy_sign_ins=legacy_sign_ins_per_user(store, list(LEGACY_CLIENTS)),
        settings=load_tenant_settings(store),
        policies_known=bool(collections_present(store, [Collection.conditional_access_policies])),
        groups_known=bool(collections_present(store, [Collection.groups])),
    )


def load_tenant_settings(store: Store) -> TenantSettings:
    """The settings collections the snapshot brought, typed."""
    present = collections_present(store, SETTINGS_COLLECTIONS)
    return TenantSettings(
        present=present,
        records={c: [parse_record(c, o) for o in collection_objects(store, c)] for c in present},
        unavailable=unavailable_collections(store),
    )
