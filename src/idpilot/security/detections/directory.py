"""Detections over directory audits: roles outside PIM, risky consents, credentials, MFA changes.

Audits are filtered by activity in SQL; only the matching few are shaped in Python.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from idpilot.knowledge.graph_permissions import (
    MICROSOFT_GRAPH_APP_ID,
    GraphPermission,
    PermissionTier,
    high_privilege_scopes,
    match_app_role,
)
from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.security.detections.base import (
    DetectionType,
    Finding,
    actor_of,
    audit_evidence,
    modified_properties,
)
from idpilot.security.privileged_roles import (
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_TEMPLATES,
    is_privileged_role,
)
from idpilot.security.severity import Severity
from idpilot.store import Store
from idpilot.store.queries.apps import (
    app_id_of_service_principal,
    app_roles_held_by,
    service_principal_identity,
    service_principal_of_application,
)
from idpilot.store.queries.audits import (
    audits_with_activities,
    role_management_count_before,
    security_info_from_new_places,
)
from idpilot.store.queries.roles import active_role_ids_of, role_template_of

DIRECT_ROLE_ASSIGNMENT = "Add member to role"
"""A permanent, active assignment made outside PIM (PIM logs its own activity names)."""

PIM_ACTORS = frozenset({"ms-pim", "ms-pim-fairfax", "azure ad pim", "mspim"})
"""Service principals PIM itself uses to write role assignments on activation."""

CONSENT_ACTIVITIES = ("Consent to application", "Add app role assignment to service principal")
CREDENTIAL_ACTIVITIES = (
    "Add service principal credentials",
    "Update application – Certificates and secrets management",
    "Update application - Certificates and secrets management",
)
SECURITY_INFO_ACTIVITIES = (
    "User registered security info",
    "User changed default security info",
    "User deleted security info",
)
NEW_LOCATION_LOOKBACK = timedelta(days=30)
"""How far back a user's successful sign-ins define their known IPs and countries."""

# A change from an IP that no sign-in ever came from has no known location: it is skipped,
# since only the sign-in logs place an IP in a country.
NEW_LOCATION_GRACE = timedelta(hours=24)
"""Sign-ins this close before the change do not count as history: an attacker signs in from
their own IP right before registering a method, which must not make that IP 'known'."""

_PERMISSION_WORD = re.compile(r"[A-Za-z]+(?:\.[A-Za-z]+)+")


def _audits(store: Store, window: TimeWindow, activities: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = audits_with_activities(store, window.start, window.end, list(activities))
    for row in rows:
        for key in ("initiatedBy", "targetResources"):
            if isinstance(row[key], str):
                import json

                row[key] = json.loads(row[key])
    return rows


def _targets(row: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in row.get("targetResources") or [] if isinstance(t, dict)]


def _target_type(target: dict[str, Any]) -> str:
    return str(target.get("type") or target.get("Type") or "")


def _role_of(store: Store, row: dict[str, Any]) -> tuple[str | None, str | None]:
    """(template id, display name) of the role an audit names."""
    template = name = object_id = None
    for target in _targets(row):
        props = modified_properties(target)
        template = template or props.get("Role.TemplateId")
        name = name or props.get("Role.DisplayName")
        object_id = object_id or props.get("Role.ObjectID")
        if _target_type(target) == "Role":
            object_id = object_id or target.get("id")
            name = name or target.get("displayName")
    if template is None and object_id:
        template = role_template_of(store, object_id) or (
            object_id if object_id in PRIVILEGED_ROLE_TEMPLATES else None
        )
    return template, name or PRIVILEGED_ROLE_TEMPLATES.get(template or "")


def role_outside_pim(store: Store, window: TimeWindow) -> list[Finding]:
    """Privileged roles assigned as permanent active members instead of through PIM."""
    findings = []
    for row in _audits(store, window, (DIRECT_ROLE_ASSIGNMENT,)):
        actor = actor_of(row["initiatedBy"])
        if str(actor.get("displayName") or "").lower() in PIM_ACTORS:
            continue
        if str(row.get("loggedByService") or "").upper() == "PIM":
            continue
        template, role = _role_of(store, row)
        if not (is_privileged_role(template) or is_privileged_role(role)):
            continue
        member = next((t for t in _targets(row) if _target_type(t) != "Role"), {})
        previous = role_management_count_before(store, row["activityDateTime"], actor.get("id"))
        findings.append(
            Finding(
                detection=DetectionType.role_outside_pim,
                severity=Severity.critical if template == GLOBAL_ADMINISTRATOR else Severity.high,
                subject_kind="user",
                subject_id=member.get("id"),
                subject_label=member.get("userPrincipalName") or member.get("displayName") or "",
                first_seen=row["activityDateTime"],
                last_seen=row["activityDateTime"],
                facts={
                    "role": role,
                    "role_template_id": template,
                    "member": {
                        k: member.get(k) for k in ("id", "displayName", "userPrincipalName")
                    },
                    "actor": actor,
                    "actor_previous_role_changes": int(previous or 0),
                },
                evidence=[audit_evidence(row, actor)],
                response="Ask the actor to justify the assignment; if unplanned, remove it and "
                "investigate the actor's account. Grant privileged roles only as PIM-eligible "
                "assignments with approval and MFA on activation.",
            )
        )
    return findings


def _granted_permissions(store: Store, row: dict[str, Any]) -> list[GraphPermission]:
    found: dict[str, GraphPermission] = {}
    for target in _targets(row):
        props = modified_properties(target)
        if row["activityDisplayName"] == "Consent to application":
            text = " ".join(str(v) for v in props.values())
            for word in _PERMISSION_WORD.findall(text):
                for perm in high_privilege_scopes(word):
                    found[perm.name] = perm
            continue
        if "AppRole.Id" not in props and "AppRole.Value" not in props:
            continue
        resource_app = app_id_of_service_principal(store, target.get("id"))
        perm = match_app_role(
            resource_app or MICROSOFT_GRAPH_APP_ID,
            props.get("AppRole.Id"),
            props.get("AppRole.Value"),
        )
        if perm is not None:
            found[perm.name] = perm
    return sorted(found.values(), key=lambda p: (p.tier != PermissionTier.critical, p.name))


def _client_of(row: dict[str, Any]) -> dict[str, Any]:
    for target in _targets(row):
        props = modified_properties(target)
        if props.get("ServicePrincipal.ObjectID"):
            return {"id": props["ServicePrincipal.ObjectID"],
                    "displayName": props.get("ServicePrincipal.DisplayName")}  # fmt: skip
    clients = [t for t in _targets(row) if _target_type(t) == "ServicePrincipal"]
    client = clients[-1] if clients else {}
    return {"id": client.get("id"), "displayName": client.get("displayName")}


def high_privilege_consent(store: Store, window: TimeWindow) -> list[Finding]:
    """Consent or app role grants that give an app high-privilege Microsoft Graph permissions."""
    findings = []
    for row in _audits(store, window, CONSENT_ACTIVITIES):
        permissions = _granted_permissions(store, row)
        if not permissions:
            continue
        actor = actor_of(row["initiatedBy"])
        client = _client_of(row)
        critical = any(p.tier is PermissionTier.critical for p in permissions)
        findings.append(
            Finding(
                detection=DetectionType.high_privilege_consent,
                severity=Severity.critical if critical else Severity.high,
                subject_kind="servicePrincipal",
                subject_id=client.get("id"),
                subject_label=client.get("displayName") or str(client.get("id")),
                first_seen=row["activityDateTime"],
                last_seen=row["activityDateTime"],
                facts={
                    "activity": row["activityDisplayName"],
                    "permissions": [
                        {"name": p.name, "tier": p.tier, "why": p.why} for p in permissions
                    ],
                    "actor": actor,
                    "client": client,
                },
                evidence=[audit_evidence(row, actor), *_sp_evidence(store, client.get("id"))],
                response="Confirm the app needs these permissions; if not, remove the grant or "
                "consent and review what the app did with them. Require admin consent workflow "
                "for high-privilege permissions.",
            )
        )
    return findings


def _sp_evidence(store: Store, sp_id: str | None) -> list[Record]:
    if not sp_id:
        return []
    rows = service_principal_identity(store, sp_id)
    return [
        Record(
            kind="servicePrincipal",
            id=r["id"],
            label=f"service principal {r['displayName']}",
            fields={k: v for k, v in r.items() if v is not None},
        )
        for r in rows
    ]


def _credential_principal(store: Store, row: dict[str, Any]) -> str | None:
    for target in _targets(row):
        kind = _target_type(target)
        if kind == "ServicePrincipal" and target.get("id"):
            return target["id"]
        if kind == "Application" and target.get("id"):
            return service_principal_of_application(store, target["id"])
    return None


def sp_permissions(store: Store, sp_id: str) -> list[GraphPermission]:
    """High-privilege app permissions a service principal holds (by its app role assignments)."""
    rows = app_roles_held_by(store, sp_id)
    found = {}
    for row in rows:
        perm = match_app_role(row["resource_app"], row["appRoleId"], row["role_value"])
        if perm is not None:
            found[perm.name] = perm
    return list(found.values())


def privileged_credential(store: Store, window: TimeWindow) -> list[Finding]:
    """New secrets or certificates on a service principal that holds high privileges."""
    findings = []
    for row in _audits(store, window, CREDENTIAL_ACTIVITIES):
        sp_id = _credential_principal(store, row)
        if sp_id is None:
            continue
        permissions = sp_permissions(store, sp_id)
        roles = active_role_ids_of(store, sp_id)
        privileged_roles = [
            r["roleDefinitionId"] for r in roles if is_privileged_role(r["roleDefinitionId"])
        ]
        if not permissions and not privileged_roles:
            continue
        actor = actor_of(row["initiatedBy"])
        evidence = [audit_evidence(row, actor), *_sp_evidence(store, sp_id)]
        label = evidence[-1].fields.get("displayName") if len(evidence) > 1 else sp_id
        critical = any(p.tier is PermissionTier.critical for p in permissions) or privileged_roles
        findings.append(
            Finding(
                detection=DetectionType.privileged_credential,
                severity=Severity.critical if critical else Severity.high,
                subject_kind="servicePrincipal",
                subject_id=sp_id,
                subject_label=str(label),
                first_seen=row["activityDateTime"],
                last_seen=row["activityDateTime"],
                facts={
                    "activity": row["activityDisplayName"],
                    "permissions": [p.name for p in permissions],
                    "privileged_roles": [
                        PRIVILEGED_ROLE_TEMPLATES.get(r, r) for r in privileged_roles
                    ],
                    "actor": actor,
                },
                evidence=evidence,
                response="Verify with the app's owner that the credential was expected; if not, "
                "remove it, review the app's sign-ins since, and rotate its other credentials.",
            )
        )
    return findings


def security_info_new_location(store: Store, window: TimeWindow) -> list[Finding]:
    """Security info registered, changed or deleted from an IP and country new for the user."""
    rows = security_info_from_new_places(
        store, window.start, window.end, list(SECURITY_INFO_ACTIVITIES),
        grace=NEW_LOCATION_GRACE, lookback=NEW_LOCATION_LOOKBACK,
    )  # fmt: skip
    flagged = {row[0]: row for row in rows}
    findings = []
    for row in _audits(store, window, SECURITY_INFO_ACTIVITIES):
        if row["id"] not in flagged:
            continue
        _, uid, ip, country, prior, _, _ = flagged[row["id"]]
        actor = actor_of(row["initiatedBy"])
        findings.append(
            Finding(
                detection=DetectionType.security_info_new_location,
                severity=Severity.high,
                subject_kind="user",
                subject_id=uid,
                subject_label=actor.get("userPrincipalName") or uid,
                first_seen=row["activityDateTime"],
                last_seen=row["activityDateTime"],
                facts={
                    "activity": row["activityDisplayName"],
                    "ip": ip,
                    "country": country,
                    "prior_sign_ins": prior,
                },
                evidence=[audit_evidence(row, actor)],
                response="Confirm with the user that they changed their security info; if not, "
                "remove the new method, revoke sessions and reset the password. Protect "
                "security-info registration with a Conditional Access policy (trusted "
                "locations or a Temporary Access Pass).",
            )
        )
    return findings
