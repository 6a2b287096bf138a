"""Writing Graph `directoryAudit` records, and a month of ordinary administration."""

from __future__ import annotations

from datetime import datetime, timedelta

from idpilot.evaluation.tenants.vindelkraft._core import CAPTURED, Record, Tenant, iso
from idpilot.evaluation.tenants.vindelkraft.activity import window_days
from idpilot.evaluation.tenants.vindelkraft.apps import App

CORE = "Core Directory"


def user_target(user: Record, modified: list[Record] | None = None) -> Record:
    """A User target resource."""
    return {
        "id": user["id"],
        "displayName": user["displayName"],
        "type": "User",
        "userPrincipalName": user["userPrincipalName"],
        "groupType": None,
        "modifiedProperties": modified or [],
    }


def object_target(kind: str, record: Record, modified: list[Record] | None = None) -> Record:
    """A Group, Application, ServicePrincipal, Policy or Role target resource."""
    return {
        "id": record["id"],
        "displayName": record["displayName"],
        "type": kind,
        "userPrincipalName": None,
        "groupType": (
            "unifiedGroups" if "Unified" in (record.get("groupTypes") or []) else "azureAD"
        )
        if kind == "Group"
        else None,
        "modifiedProperties": modified or [],
    }


def change(name: str, old: str | None, new: str | None) -> Record:
    """One modifiedProperty (values are JSON text, as Entra logs them)."""
    return {"displayName": name, "oldValue": old, "newValue": new}


def audit(
    tenant: Tenant,
    when: datetime,
    activity: str,
    category: str,
    targets: list[Record],
    *,
    actor: Record | None = None,
    app: App | None = None,
    service: str = CORE,
    operation: str = "Update",
    reason: str = "",
    details: list[Record] | None = None,
    actor_ip: str | None = None,
) -> Record:
    """One directoryAudit initiated by a user (with IP) or by an app."""
    initiated: Record = {"user": None, "app": None}
    if actor is not None:
        initiated["user"] = {
            "id": actor["id"],
            "displayName": actor["displayName"],
            "userPrincipalName": actor["userPrincipalName"],
            "ipAddress": actor_ip or "185.45.12.40",
        }
    if app is not None:
        initiated["app"] = {
            "appId": app.app_id,
            "displayName": app.display_name,
            "servicePrincipalId": app.service_principal["id"],
            "servicePrincipalName": None,
        }
    return tenant.add(
        "directoryAudits",
        {
            "id": f"Directory_{tenant.new_id()}",
            "category": category,
            "correlationId": tenant.new_id(),
            "result": "success",
            "resultReason": reason,
            "activityDisplayName": activity,
            "activityDateTime": iso(when),
            "loggedByService": service,
            "operationType": operation,
            "initiatedBy": initiated,
            "targetResources": targets,
            "additionalDetails": details or [],
        },
    )


def build_routine_audits(tenant: Tenant, apps: dict[str, App]) -> None:
    """Security info registrations, self-service resets and HR-driven profile updates."""
    rng = tenant.rng
    members = [u for u in tenant.records("users") if u.get("department") and u["accountEnabled"]]
    for day in window_days():
        for _ in range(rng.randrange(2, 6)):
            user = rng.choice(members)
            moment = datetime(
                day.year,
                day.month,
                day.day,
                rng.randrange(6, 17),
                rng.randrange(60),
                rng.randrange(60),
                tzinfo=CAPTURED.tzinfo,
            )
            roll = rng.random()
            if roll < 0.4:
                audit(
                    tenant,
                    moment,
                    "User registered security info",
                    "UserManagement",
                    [user_target(user)],
                    actor=user,
                    service="Authentication Methods",
                    operation="Add",
                    reason="User registered Microsoft Authenticator App with Notification and Code",
                )
            elif roll < 0.55:
                audit(
                    tenant,
                    moment,
                    "Reset password (self-service)",
                    "UserManagement",
                    [user_target(user)],
                    actor=user,
                    service="Self-service Password Management",
                    reason="Successfully completed reset.",
                )
            else:
                title = rng.choice(
                    (
                        "Senior " + (user.get("jobTitle") or "Specialist"),
                        user.get("jobTitle") or "Specialist",
                    )
                )
                audit(
                    tenant,
                    moment,
                    "Update user",
                    "UserManagement",
                    [
                        user_target(
                            user,
                            [
                                change("JobTitle", f'["{user.get("jobTitle")}"]', f'["{title}"]'),
                                change("Included Updated Properties", None, '"JobTitle"'),
                            ],
                        )
                    ],
                    app=apps["hrconnector"],
                )


def created_day(days_ago: int) -> datetime:
    """A moment `days_ago` days before the snapshot, at 09:00 UTC."""
    moment = CAPTURED - timedelta(days=days_ago)
    return moment.replace(hour=9, minute=0, second=0)
