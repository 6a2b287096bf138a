"""Evidence records for Conditional Access answers: policies, named locations, sign-ins."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any

from idpilot.skills.base import EvidenceRecord, SkillResult
from idpilot.skills.ca.tenant_policies import TenantPolicies, policy_evidence_fields


def plain(value: Any) -> Any:
    """JSON-friendly value (timestamps as ISO text)."""
    return value.isoformat() if isinstance(value, datetime) else value


def cite_policy(result: SkillResult, tenant: TenantPolicies, policy_id: str) -> str:
    """Add a policy as evidence and return its id."""
    policy = tenant.policy(policy_id) or {"id": policy_id, "displayName": policy_id}
    record = result.add_evidence(
        EvidenceRecord(
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
        EvidenceRecord(
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
        EvidenceRecord(
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
        EvidenceRecord(
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
        EvidenceRecord(
            kind="signIn",
            id=row["id"],
            label=f"sign-in {shown} to {row.get('appDisplayName') or row.get('appId')}",
            fields={k: plain(row[k]) for k in SIGN_IN_FIELDS if row.get(k) is not None},
        )
    )
    return record.id


def trusted_sample(tenant: TenantPolicies) -> tuple[str, str] | None:
    """(named location id, an address inside it) for the first trusted IP named location."""
    for location in sorted(tenant.ip_locations(), key=lambda loc: loc.display_name):
        if not location.trusted or not location.ranges:
            continue
        version, first, last = location.ranges[0]
        value = first + 1 if last > first else first
        address = ipaddress.IPv4Address(value) if version == 4 else ipaddress.IPv6Address(value)
        raw = tenant.named_location(location.id)
        return (str(raw["id"]) if raw else location.id), str(address)
    return None
