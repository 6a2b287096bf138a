"""directoryAudit records in Graph's shape (modified property values are JSON-encoded strings)."""

from __future__ import annotations

import random
from datetime import datetime

import orjson

from .ids import guid, iso

SERVICE_PREFIX = {
    "Core Directory": "Directory",
    "Conditional Access": "IPCGraph",
    "Authentication Methods": "UserManagement",
    "Self-service Group Management": "SSGM",
    "Self-service Password Management": "SSPR",
}


def encoded(value: object) -> str | None:
    """Graph's oldValue/newValue: the JSON text of the value, or null."""
    return None if value is None else orjson.dumps(value).decode()


def prop(name: str, old: object, new: object) -> dict:
    return {"displayName": name, "oldValue": encoded(old), "newValue": encoded(new)}


def by_user(user: dict, ip: str) -> dict:
    return {
        "user": {
            "id": user["id"],
            "displayName": user["displayName"],
            "userPrincipalName": user["userPrincipalName"],
            "ipAddress": ip,
        },
        "app": None,
    }


def by_app(sp: dict) -> dict:
    return {
        "user": None,
        "app": {
            "appId": sp["appId"],
            "displayName": sp["displayName"],
            "servicePrincipalId": sp["id"],
            "servicePrincipalName": sp["displayName"],
        },
    }


def target_user(user: dict, *props: dict) -> dict:
    return {
        "id": user["id"],
        "displayName": user["displayName"],
        "type": "User",
        "userPrincipalName": user["userPrincipalName"],
        "groupType": None,
        "modifiedProperties": list(props),
    }


def target(kind: str, obj_id: str, name: str | None, *props: dict, group_type=None) -> dict:
    return {
        "id": obj_id,
        "displayName": name,
        "type": kind,
        "userPrincipalName": None,
        "groupType": group_type,
        "modifiedProperties": list(props),
    }


def audit(
    rng: random.Random,
    when: datetime,
    activity: str,
    category: str,
    operation: str,
    initiated_by: dict,
    targets: list[dict],
    *,
    service: str = "Core Directory",
    details: list[dict] | None = None,
    reason: str = "",
) -> dict:
    correlation = guid(rng)
    prefix = SERVICE_PREFIX.get(service, "Directory")
    code = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5))
    return {
        "id": f"{prefix}_{correlation}_{code}_{rng.randint(10**7, 10**8 - 1)}",
        "category": category,
        "correlationId": correlation,
        "result": "success",
        "resultReason": reason,
        "activityDisplayName": activity,
        "activityDateTime": iso(when),
        "loggedByService": service,
        "operationType": operation,
        "initiatedBy": initiated_by,
        "targetResources": targets,
        "additionalDetails": details or [],
    }


def key_description(credential: dict, kind: str = "Password") -> str:
    return (
        f"[KeyIdentifier={credential['keyId']},KeyType={kind},KeyUsage=Verify,"
        f"DisplayName={credential['displayName']}]"
    )
