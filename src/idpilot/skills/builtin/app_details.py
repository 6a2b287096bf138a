"""Skill `app_details`: an app's owners, permissions, consents, credentials, app roles and who
holds them, and sign-ins."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import (
    audit_record,
    iso,
    resolve_reference,
)
from idpilot.skills.builtin._app_role_holders import roles_and_holders
from idpilot.skills.builtin._roles import principal_record
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.audit import events_about
from idpilot.store.queries.apps import (
    app_registrations,
    app_role_assignments_of,
    app_role_assignments_to,
    delegated_grants_of,
    first_sign_in_to_app,
    latest_sign_in_to_app,
    service_principal_details,
    sign_in_count_of_app,
    sign_in_principals_of_app,
)

NAME = "app_details"
EXPIRING_SOON = timedelta(days=30)
"""A credential ending within this is 'expiring soon' (time to rotate)."""
LONG_LIVED = timedelta(days=730)
"""Secrets valid over two years exceed Microsoft's recommended maximum lifetime."""
CONSENT_ACTIVITY = "consent to application"
USERS_SHOWN = 15
"""Accounts that signed in to the app listed one by one, most sign-ins first; the answer says
how many there are in all."""


class AppDetailsFacts(SkillFacts):
    """An app: identity, owners, permissions, consents, credentials, assignments, who signs in."""

    app: dict[str, Any]
    owners: list[dict[str, Any]]
    credentials: list[dict[str, Any]]
    app_permissions: list[dict[str, Any]]
    delegated: list[dict[str, Any]]
    assigned_to: list[dict[str, Any]]
    app_roles: dict[str, Any]
    """The app's roles by who holds them: held (each role with its users, groups and apps,
    each citing its appRoleAssignment), unheld (roles for people nobody holds), unheld_count,
    roles_held, holders (distinct users, groups and apps holding its roles)."""
    sign_ins: dict[str, Any]
    """count, first, last (the newest sign-in), principals (who signed in, at most
    `USERS_SHOWN`, each with count, successes and latest sign-in cited), principal_count."""


class AppDetailsInput(BaseModel):
    """Which application."""

    application: str = slot(Slot.application, "The app: name, appId or service principal id.")


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def app_details(store: Store, params: AppDetailsInput) -> SkillResult:
    """Describe an app: owners, application and delegated permissions, credentials, sign-ins."""
    resolution = resolve_reference(store, params.application, "servicePrincipal")
    if resolution.match is None:
        return resolution.unresolved(NAME, "application")
    sp = service_principal_details(store, resolution.match.id)
    apps = app_registrations(store, sp["appId"])
    app = apps[0] if apps else None
    result = SkillResult(skill=NAME)
    result.add_evidence(
        Record(
            kind="servicePrincipal",
            id=sp["id"],
            label=f"servicePrincipal {sp['displayName']}",
            fields={k: sp[k] for k in ("displayName", "appId", "servicePrincipalType") if sp[k]},
        )
    )
    if app:
        result.add_evidence(
            Record(
                kind="application",
                id=app["id"],
                label=f"application {app['displayName']}",
                fields={"displayName": app["displayName"], "appId": sp["appId"]},
            )
        )
    now = store.captured_at()
    owners = _owners(store, sp, app, result)
    credentials = _credentials(sp, app, now)
    app_permissions = _app_permissions(store, sp, result)
    delegated = _delegated(store, sp, result)
    assigned = _assigned_to(store, sp, result)
    app_roles = roles_and_holders(store, _json(sp["appRoles"]) or [], assigned)
    sign_ins = _sign_ins(store, sp, result)
    result.facts = AppDetailsFacts(
        app={"id": sp["id"], "appId": sp["appId"], "displayName": sp["displayName"],
             "type": sp["servicePrincipalType"], "enabled": sp["accountEnabled"],
             "application_id": app["id"] if app else None,
             "created": app["createdDateTime"] if app else None},
        owners=owners,
        credentials=credentials,
        app_permissions=app_permissions,
        delegated=delegated,
        assigned_to=assigned,
        app_roles=app_roles,
        sign_ins=sign_ins,
    )  # fmt: skip
    result.next_steps = _next_steps(result.facts, sp, app)
    result.followups = [f"What changed for {sp['displayName']} in the last 30 days?"]
    return result


def _owners(store: Store, sp: dict, app: dict | None, result: SkillResult) -> list[dict]:
    found: dict[str, dict] = {}
    for source, record in (("servicePrincipal", sp), ("application", app)):
        for owner in _json(record["owners"]) if record and record.get("owners") else []:
            if not isinstance(owner, dict) or not owner.get("id"):
                continue
            kind = (owner.get("@odata.type") or "#microsoft.graph.user").rsplit(".", 1)[-1]
            entry = found.setdefault(
                owner["id"],
                {"id": owner["id"], "displayName": owner.get("displayName"),
                 "userPrincipalName": owner.get("userPrincipalName"), "type": kind, "of": []},
            )  # fmt: skip
            entry["of"].append(source)
    for owner in found.values():
        result.add_evidence(principal_record(owner))
    return sorted(found.values(), key=lambda o: o["displayName"] or o["id"])


def _credentials(sp: dict, app: dict | None, now: datetime) -> list[dict]:
    found = []
    for holder, record in (("application", app), ("servicePrincipal", sp)):
        if not record:
            continue
        for kind, column in (("secret", "passwordCredentials"), ("certificate", "keyCredentials")):
            for cred in _json(record.get(column)) or []:
                start = _time(cred.get("startDateTime"))
                end = _time(cred.get("endDateTime"))
                status = "unknown"
                if end is not None:
                    status = (
                        "expired" if end <= now
                        else "expiring" if end - now <= EXPIRING_SOON
                        else "valid"
                    )  # fmt: skip
                found.append({
                    "holder": holder, "holder_id": record["id"], "kind": kind,
                    "keyId": cred.get("keyId"), "name": cred.get("displayName"),
                    "start": start, "end": end, "status": status,
                    "long_lived": bool(start and end and end - start > LONG_LIVED),
                })  # fmt: skip
    return sorted(found, key=lambda c: (c["end"] is None, c["end"] or now))


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _app_permissions(store: Store, sp: dict, result: SkillResult) -> list[dict]:
    rows = app_role_assignments_of(store, sp["id"])
    found = []
    for row in rows:
        role = _app_role(row.pop("appRoles"), row["appRoleId"])
        permission = role.get("value") or role.get("displayName") or row["appRoleId"]
        result.add_evidence(
            Record(
                kind="appRoleAssignment",
                id=row["id"],
                label=f"application permission {permission} on {row['resource']}",
                fields={
                    "appRoleId": row["appRoleId"],
                    "resourceId": row["resourceId"],
                    "resource": row["resource"],
                    "permission": permission,
                    "createdDateTime": iso(row["createdDateTime"]),
                },
            )
        )
        found.append({**row, "permission": permission, "description": role.get("displayName")})
    return found


def _app_role(app_roles: Any, role_id: str | None) -> dict:
    for role in _json(app_roles) or []:
        if isinstance(role, dict) and role.get("id") == role_id:
            return role
    return {}


def _delegated(store: Store, sp: dict, result: SkillResult) -> list[dict]:
    rows = delegated_grants_of(store, sp["id"])
    consents, _ = events_about(store, [sp["id"]])
    consents = [e for e in consents if e.activity.lower().startswith(CONSENT_ACTIVITY)]
    for event in consents:
        result.add_evidence(audit_record(event))
    found = []
    for row in rows:
        result.add_evidence(
            Record(
                kind="oAuth2PermissionGrant",
                id=row["id"],
                label=f"delegated grant {row['scope']} on {row['resource']}",
                fields={k: v for k, v in row.items() if v is not None},
            )
        )
        consent = next((e for e in consents if _consent_matches(e, row)), None)
        found.append({
            **row,
            "scopes": (row["scope"] or "").split(),
            "all_users": row["consentType"] == "AllPrincipals",
            "consent": None if consent is None else {
                "id": consent.id, "when": consent.when,
                "by": consent.actor_upn or consent.actor_name or consent.actor_id,
            },
        })  # fmt: skip
    return found


def _consent_matches(event: Any, grant: dict) -> bool:
    details = " ".join(c.new or "" for t in event.targets for c in t.changes)
    return grant["id"] in details or (
        (grant["consentType"] == "AllPrincipals") == ("AllPrincipals" in details)
        and (grant["scope"] or "") in details
    )


def _assigned_to(store: Store, sp: dict, result: SkillResult) -> list[dict]:
    rows = app_role_assignments_to(store, sp["id"])
    found = []
    for row in rows:
        role = _app_role(sp["appRoles"], row["appRoleId"])
        name = role.get("value") or role.get("displayName") or "default access"
        result.add_evidence(
            Record(
                kind="appRoleAssignment",
                id=row["id"],
                label=f"app role {name} assigned to {row['principalDisplayName']}",
                fields={k: v for k, v in row.items() if v is not None},
            )
        )
        found.append({**row, "role": name})
    return found


def _sign_ins(store: Store, sp: dict, result: SkillResult) -> dict:
    """How many sign-ins the app has, since when, the newest, and who signed in (cited)."""
    count = sign_in_count_of_app(store, sp["appId"])
    last = latest_sign_in_to_app(store, sp["appId"])
    if last:
        result.add_evidence(
            Record(
                kind="signIn",
                id=last["id"],
                label=f"sign-in {last['createdDateTime']:%Y-%m-%d %H:%M} to {sp['displayName']}",
                fields={k: iso(v) for k, v in last.items() if v is not None},
            )
        )
    principals = sign_in_principals_of_app(store, sp["appId"], USERS_SHOWN) if count else []
    for row in principals:
        result.add_evidence(
            Record(
                kind="signIn",
                id=row["latest_id"],
                label=f"latest sign-in of {row['upn'] or row['name']} to {sp['displayName']}",
                fields={
                    "userPrincipalName": row["upn"],
                    "userDisplayName": row["name"],
                    "appDisplayName": sp["displayName"],
                    "createdDateTime": iso(row["latest"]),
                },
            )
        )
    return {
        "count": count,
        "first": first_sign_in_to_app(store, sp["appId"]) if count else None,
        "last": last,
        "principals": principals,
        "principal_count": principals[0]["principals"] if principals else 0,
    }


def _next_steps(facts: AppDetailsFacts, sp: dict, app: dict | None) -> list[NextStep]:
    steps = []
    holder = app["id"] if app else sp["id"]
    expired = [c for c in facts.credentials if c["status"] == "expired"]
    expiring = [c for c in facts.credentials if c["status"] == "expiring"]
    long_lived = [c for c in facts.credentials if c["long_lived"]]
    if expiring:
        steps.append(NextStep(action="Rotate the credential(s) expiring within 30 days.",
                              evidence_ids=[holder]))  # fmt: skip
    if expired:
        steps.append(NextStep(action="Remove expired credentials.", evidence_ids=[holder]))
    if long_lived:
        steps.append(NextStep(action="Replace credentials valid for more than two years with "
                              "shorter-lived ones (or a managed identity / certificate).",
                              evidence_ids=[holder]))  # fmt: skip
    if not facts.owners:
        steps.append(NextStep(action="Assign an owner who is accountable for this app.",
                              evidence_ids=[sp["id"]]))  # fmt: skip
    broad = [g["id"] for g in facts.delegated if g["all_users"]]
    if broad:
        steps.append(NextStep(action="Review the tenant-wide (admin) consent: confirm every "
                              "delegated scope is still needed.", evidence_ids=broad))  # fmt: skip
    return steps


def register(registry: SkillRegistry) -> None:
    """Register `app_details`."""
    registry.add(
        define_skill(
            app_details,
            name=NAME,
            describes="servicePrincipal",
            facts=AppDetailsFacts,
            reads=(
                Collection.service_principals,
                Collection.applications,
                Collection.app_role_assignments,
                Collection.groups,
                Collection.oauth2_permission_grants,
                Collection.sign_ins,
            ),
            keywords={
                "app": 1.0,
                "application": 1.0,
                "service principal": 2.5,
                "permissions": 2.5,
                "api permissions": 3.5,
                "consent": 3.0,
                "consented": 3.0,
                "secrets": 3.0,
                "secret": 2.5,
                "certificates": 2.5,
                "credentials": 3.0,
                "expire": 2.0,
                "expiring": 2.5,
                "app owners": 3.0,
                "enterprise app": 3.0,
                "app registration": 3.0,
                "what can": 1.5,
                "graph permissions": 3.5,
            },
        )
    )
