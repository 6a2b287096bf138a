"""Evidence records for Conditional Access answers: policies, named locations, sign-ins."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from idpilot.ca_analysis.tenant_policies import TenantPolicies, policy_evidence_fields
from idpilot.conditional_access.locations import CompiledLocation
from idpilot.conditional_access.result import ConditionCheck, ObjectRef
from idpilot.knowledge.countries import fold
from idpilot.model.records import Record
from idpilot.skills.base import SkillResult
from idpilot.store import Store
from idpilot.store.ca_names import role_definitions_by_template, service_principals_by_app_id
from idpilot.store.directory import objects_by_id


def plain(value: Any) -> Any:
    """JSON-friendly value (timestamps as ISO text)."""
    return value.isoformat() if isinstance(value, datetime) else value


def cite_policy(result: SkillResult, tenant: TenantPolicies, policy_id: str) -> str:
    """Add a policy as evidence and return its id."""
    policy = tenant.policy(policy_id) or {"id": policy_id, "displayName": policy_id}
    record = result.add_evidence(
        Record(
            kind="conditionalAccessPolicy",
            id=str(policy["id"]),
            label=f"Conditional Access policy {policy.get('displayName') or policy['id']}",
            fields=policy_evidence_fields(policy),
        )
    )
    return record.id


def cite_named_location(
    result: SkillResult, tenant: TenantPolicies, location_id: str, sample: str | None = None
) -> str:
    """Add a named location as evidence (with the sample address an answer uses from it)."""
    location = tenant.named_location(location_id) or {"id": location_id}
    fields = {
        k: location.get(k)
        for k in ("displayName", "isTrusted", "ipRanges", "countriesAndRegions")
        if location.get(k) is not None
    }
    if sample:
        fields["sampleAddress"] = sample
    record = result.add_evidence(
        Record(
            kind="namedLocation",
            id=str(location["id"]),
            label=f"named location {location.get('displayName') or location['id']}",
            fields=fields,
        )
    )
    return record.id


def cite_user(result: SkillResult, user: dict[str, Any]) -> str:
    """Add a user row as evidence."""
    name = user.get("displayName") or user["id"]
    upn = user.get("userPrincipalName")
    record = result.add_evidence(
        Record(
            kind="user",
            id=user["id"],
            label=f"user {name} ({upn})" if upn else f"user {name}",
            fields={
                k: plain(user.get(k))
                for k in ("displayName", "userPrincipalName", "userType", "accountEnabled")
                if user.get(k) is not None
            },
        )
    )
    return record.id


def cite_service_principal(result: SkillResult, sp: dict[str, Any]) -> str:
    """Add a service principal row as evidence."""
    record = result.add_evidence(
        Record(
            kind="servicePrincipal",
            id=sp["id"],
            label=f"application {sp.get('displayName') or sp['appId']}",
            fields={"displayName": sp.get("displayName"), "appId": sp.get("appId")},
        )
    )
    return record.id


SIGN_IN_FIELDS = (
    "createdDateTime", "userDisplayName", "userPrincipalName", "appDisplayName", "appId",
    "ipAddress", "clientAppUsed", "correlationId", "errorCode", "conditionalAccessStatus",
    "country", "city", "operatingSystem", "isCompliant", "failureReason",
)  # fmt: skip


def cite_sign_in(result: SkillResult, row: dict[str, Any]) -> str:
    """Add a sign-in (a row with at least id, createdDateTime, appDisplayName) as evidence."""
    when = row.get("createdDateTime")
    shown = when.strftime("%Y-%m-%d %H:%M") if isinstance(when, datetime) else str(when)
    record = result.add_evidence(
        Record(
            kind="signIn",
            id=row["id"],
            label=f"sign-in {shown} to {row.get('appDisplayName') or row.get('appId')}",
            fields={k: plain(row[k]) for k in SIGN_IN_FIELDS if row.get(k) is not None},
        )
    )
    return record.id


def trusted_sample(tenant: TenantPolicies) -> tuple[str, str] | None:
    """(named location id, an address inside it) for the first trusted IP named location."""
    trusted = [location for location in tenant.ip_locations() if location.trusted]
    return _first_sample(tenant, trusted)


_OUTSIDE_CANDIDATES = ("203.0.113.10", "198.51.100.10", "192.0.2.10", "2001:db8::10")
"""Documentation addresses (RFC 5737, RFC 3849): never a real network's, so an address here
stands for "somewhere no named location covers"."""


def outside_sample(tenant: TenantPolicies) -> str | None:
    """An address that no IP named location of the tenant covers (a home network, a hotel), or
    None when every candidate is covered."""
    for candidate in _OUTSIDE_CANDIDATES:
        address = ipaddress.ip_address(candidate)
        covered = any(
            version == address.version and first <= int(address) <= last
            for location in tenant.ip_locations()
            for version, first, last in location.ranges
        )
        if not covered:
            return candidate
    return None


def site_sample(tenant: TenantPolicies, city: str) -> tuple[str, str] | None:
    """(named location id, an address inside it) for the IP named location named after a
    city ("Malmö HQ" for Malmö), matched without case or accents; trusted ones first."""
    key = fold(city)
    named = [loc for loc in tenant.ip_locations() if key in fold(loc.display_name).split()]
    return _first_sample(tenant, named)


def _first_sample(
    tenant: TenantPolicies, locations: list[CompiledLocation]
) -> tuple[str, str] | None:
    """(id, an address inside it) of the first location with a range, by display name."""
    for location in sorted(locations, key=lambda loc: (not loc.trusted, loc.display_name)):
        if not location.ranges:
            continue
        version, first, last = location.ranges[0]
        value = first + 1 if last > first else first
        address = ipaddress.IPv4Address(value) if version == 4 else ipaddress.IPv6Address(value)
        raw = tenant.named_location(location.id)
        return (str(raw["id"]) if raw else location.id), str(address)
    return None


class ReasonObjects:
    """Names the objects condition reasons refer to, and cites each one as evidence.

    A reason such as "user is a member of included group {0}" carries the group's kind and id;
    the answer writes the group's display name and cites the group record, never its raw id.
    """

    def __init__(self, store: Store, tenant: TenantPolicies, result: SkillResult) -> None:
        self._store = store
        self._tenant = tenant
        self._result = result
        self._cache: dict[tuple[str, str], tuple[str, str | None]] = {}

    def prepare(self, checks: Iterable[ConditionCheck]) -> None:
        """Look up every object these checks name, a few queries in all."""
        wanted: dict[str, set[str]] = {}
        for check in checks:
            for ref in check.refs:
                if (ref.kind, ref.id) not in self._cache:
                    wanted.setdefault(ref.kind, set()).add(ref.id)
        principals = sorted(wanted.get("user", set()) | wanted.get("group", set()))
        objects = {k.lower(): v for k, v in objects_by_id(self._store, principals).items()}
        roles = role_definitions_by_template(self._store, sorted(wanted.get("directoryRole", ())))
        apps = service_principals_by_app_id(self._store, sorted(wanted.get("application", ())))
        for kind, ids in wanted.items():
            for object_id in ids:
                self._cache[(kind, object_id)] = self._cite(kind, object_id, objects, roles, apps)

    def name(self, ref: ObjectRef) -> str:
        """The display name of the object (its id only when the snapshot does not hold it)."""
        return self._cache.get((ref.kind, ref.id), (ref.id, None))[0]

    def cites(self, check: ConditionCheck) -> list[str]:
        """Evidence references (kind:id) of the objects a check names."""
        refs = (self._cache.get((ref.kind, ref.id), ("", None))[1] for ref in check.refs)
        return list(dict.fromkeys(r for r in refs if r))

    def _cite(
        self,
        kind: str,
        object_id: str,
        objects: dict[str, dict[str, Any]],
        roles: dict[str, dict[str, Any]],
        apps: dict[str, dict[str, Any]],
    ) -> tuple[str, str | None]:
        key = object_id.lower()
        result = self._result
        if kind in ("user", "group") and key in objects:
            row = objects[key]
            name = row.get("displayName") or row["id"]
            if kind == "user":
                return name, f"user:{cite_user(result, row)}"
            record = result.add_evidence(
                Record(
                    kind="group", id=row["id"], label=f"group {name}", fields={"displayName": name}
                )
            )
            return name, f"group:{record.id}"
        if kind == "directoryRole" and key in roles:
            row = roles[key]
            record = result.add_evidence(
                Record(
                    kind="unifiedRoleDefinition",
                    id=row["id"],
                    label=f"role {row['displayName']}",
                    fields={"displayName": row["displayName"], "templateId": row["templateId"]},
                )
            )
            return row["displayName"], f"unifiedRoleDefinition:{record.id}"
        if kind == "application" and key in apps:
            row = apps[key]
            return row["displayName"] or row["appId"], (
                f"servicePrincipal:{cite_service_principal(result, row)}"
            )
        if kind == "namedLocation" and self._tenant.named_location(object_id):
            location = self._tenant.named_location(object_id) or {}
            cited = cite_named_location(result, self._tenant, object_id)
            return location.get("displayName") or object_id, f"namedLocation:{cited}"
        return object_id, None
