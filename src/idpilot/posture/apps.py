"""Application and service principal checks: credentials, permissions, consent, ownership, use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.knowledge.graph_permissions import (
    MICROSOFT_TENANT_ID,
    PermissionTier,
    high_privilege_scopes,
)
from idpilot.model.records import Record
from idpilot.posture.base import Baseline, Outcome, check, failed_if, not_applicable
from idpilot.posture.data import PostureData, _utc
from idpilot.security.severity import Severity

MAX_SECRET_LIFETIME_DAYS = 365
"""Microsoft recommends short-lived secrets (prefer certificates or managed identities); a
secret valid for over a year outlives most rotations and leaks unnoticed."""

UNUSED_APP_DAYS = 90
"""An app with credentials and no sign-in in 90 days is a dormant foothold."""


def _credentials(obj: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for key, kind in (("passwordCredentials", "secret"), ("keyCredentials", "certificate")):
        for cred in obj.get(key) or []:
            if isinstance(cred, dict):
                found.append((kind, cred))
    return found


def _app_objects(data: PostureData) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, id, object) for applications and this tenant's service principals."""
    objs = [("application", aid, app) for aid, app in sorted(data.applications.items())]
    objs += [
        ("servicePrincipal", sid, sp)
        for sid, sp in sorted(data.service_principals.items())
        if sp.get("passwordCredentials") or sp.get("keyCredentials")
    ]
    return objs


def _affected(kind: str, obj_id: str, obj: dict[str, Any], detail: str) -> Record:
    return Record(
        kind=kind,
        id=obj_id,
        label=obj.get("displayName") or obj_id,
        detail=detail,
        fields={"displayName": obj.get("displayName"), "appId": obj.get("appId")},
    )


def _end(cred: dict[str, Any]) -> datetime | None:
    return _utc(cred.get("endDateTime"))


@check(
    "IDP-APP-001",
    "No expired secrets or certificates are left on apps",
    Severity.low,
    Baseline.microsoft,
    "Application credential hygiene: remove expired credentials",
    "Remove expired credentials so no one mistakes them for live ones; rotate to "
    "certificates or managed identities.",
)
def expired_credentials(data: PostureData) -> Outcome:
    affected = []
    for kind, obj_id, obj in _app_objects(data):
        expired = [c for _, c in _credentials(obj) if (_end(c) or data.captured) < data.captured]
        if expired:
            affected.append(_affected(kind, obj_id, obj, f"{len(expired)} expired"))
    return failed_if(affected)


@check(
    "IDP-APP-002",
    "No long-lived app secrets (over one year)",
    Severity.medium,
    Baseline.microsoft,
    "Application credential hygiene: short-lived secrets, prefer certificates or managed "
    "identities",
    "Replace the secret with one valid at most 12 months (better: a certificate or a "
    "managed identity) and set an app management policy limiting secret lifetime.",
)
def long_lived_secrets(data: PostureData) -> Outcome:
    affected = []
    for kind, obj_id, obj in _app_objects(data):
        for cred_kind, cred in _credentials(obj):
            start, end = _utc(cred.get("startDateTime")), _end(cred)
            if cred_kind != "secret" or start is None or end is None or end < data.captured:
                continue
            days = (end - start).days
            if days > MAX_SECRET_LIFETIME_DAYS:
                detail = f"secret {cred.get('displayName') or cred.get('keyId')} valid {days} days"
                affected.append(_affected(kind, obj_id, obj, detail))
    return failed_if(affected)


def _privileged_sps(data: PostureData, tier: PermissionTier | None = None) -> dict[str, list]:
    found = {}
    for sp_id, perms in data.sp_permissions.items():
        if sp_id not in data.service_principals:
            continue
        names = sorted({p.name for p, _ in perms if tier is None or p.tier is tier})
        if names:
            found[sp_id] = names
    return found


@check(
    "IDP-APP-003",
    "No service principal holds high-privilege Graph permissions without review",
    Severity.high,
    Baseline.microsoft,
    "Least privilege for applications: review apps with high-privilege Graph "
    "application permissions",
    "Review each app's need for the permission; replace with narrower permissions (for "
    "example Sites.Selected) or remove it.",
)
def high_privilege_apps(data: PostureData) -> Outcome:
    return failed_if(
        [
            data.sp_affected(sp_id, ", ".join(names))
            for sp_id, names in sorted(_privileged_sps(data).items())
        ]
    )


@check(
    "IDP-APP-004",
    "No app from another tenant holds high-privilege permissions",
    Severity.critical,
    Baseline.microsoft,
    "Third-party applications: review multi-tenant apps granted high-privilege permissions",
    "Confirm the publisher and need; revoke the permissions or delete the service principal "
    "if the vendor relationship is not current.",
)
def foreign_privileged_apps(data: PostureData) -> Outcome:
    if data.tenant_id is None:
        return not_applicable("the tenant id is unknown (no manifest or organization record)")
    affected = []
    for sp_id, names in sorted(_privileged_sps(data).items()):
        owner = data.service_principals[sp_id].get("appOwnerOrganizationId")
        if owner and owner not in (data.tenant_id, MICROSOFT_TENANT_ID):
            affected.append(data.sp_affected(sp_id, ", ".join(names)))
    return failed_if(affected)


@check(
    "IDP-APP-005",
    "Every app registration has an owner",
    Severity.low,
    Baseline.microsoft,
    "Application governance: assign owners to every app registration",
    "Assign at least two owners (people who answer for the app) to each registration.",
)
def apps_without_owners(data: PostureData) -> Outcome:
    apps = [(aid, app) for aid, app in sorted(data.applications.items())]
    if not apps or all(app["owners"] is None for _, app in apps):
        return not_applicable("the snapshot does not include app owners")
    return failed_if(
        [_affected("application", aid, app, "no owner") for aid, app in apps if not app["owners"]]
    )


@check(
    "IDP-APP-006",
    "No app with credentials has gone unused for 90 days",
    Severity.medium,
    Baseline.microsoft,
    "Application governance: remove unused applications",
    "Confirm with the owner; remove the credentials or delete the app registration.",
)
def unused_apps(data: PostureData) -> Outcome:
    if not data.sign_ins_recorded:
        return not_applicable("no sign-ins in the snapshot")
    affected = []
    for aid, app in sorted(data.applications.items()):
        if not _credentials(app):
            continue
        created = data.days_since(_utc(app.get("createdDateTime")))
        if created is not None and created <= UNUSED_APP_DAYS:
            continue
        last = data.days_since(data.app_last_sign_in.get(app["appId"]))
        if last is None or last > UNUSED_APP_DAYS:
            affected.append(_affected("application", aid, app, "no sign-in in 90 days"))
    return failed_if(affected)


def _risky_grants(data: PostureData, consent_type: str) -> list[Record]:
    affected = []
    for grant in data.grants:
        if grant["consentType"] != consent_type:
            continue
        perms = high_privilege_scopes(grant["scope"])
        if not perms:
            continue
        client = data.service_principals.get(grant["clientId"])
        label = client["displayName"] if client else grant["clientId"]
        affected.append(
            Record(
                kind="oAuth2PermissionGrant",
                id=grant["id"],
                label=f"grant to {label}",
                detail=", ".join(p.name for p in perms),
                fields={
                    "clientId": grant["clientId"],
                    "scope": grant["scope"],
                    "consentType": consent_type,
                    "principalId": grant["principalId"],
                },
            )
        )
    return affected


@check(
    "IDP-APP-007",
    "Users have not consented to high-risk permissions",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.5.2v1 Only administrators SHALL be allowed to consent to applications (CIS 5.1.5.1)",
    "Revoke the grants, set user consent to 'Do not allow' (or verified publishers, low "
    "impact only) and enable the admin consent workflow.",
    controls=(),
)
def user_consent_high_risk(data: PostureData) -> Outcome:
    return failed_if(_risky_grants(data, "Principal"))


@check(
    "IDP-APP-008",
    "Tenant-wide delegated grants of high-risk permissions are reviewed",
    Severity.medium,
    Baseline.microsoft,
    "Application consent: review tenant-wide (admin) consent to high-privilege delegated "
    "permissions",
    "Review each tenant-wide grant; narrow its scopes or revoke it.",
)
def admin_consent_high_risk(data: PostureData) -> Outcome:
    return failed_if(_risky_grants(data, "AllPrincipals"))
