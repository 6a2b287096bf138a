"""Identity Protection records: risk detections, risky users, risky workload identities."""

from __future__ import annotations

import random

from .ids import hex_id

USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


def risk_detection(
    rng: random.Random,
    user: dict,
    event_type: str,
    level: str,
    *,
    activity_time: str,
    detected_time: str,
    timing: str,
    sign_in: dict | None = None,
    state: str = "atRisk",
    detail: str = "none",
    source: str = "IdentityProtection",
) -> dict:
    """A riskDetection; `sign_in` ties it to the signIn (requestId = sign-in id)."""
    return {
        "@odata.type": "#microsoft.graph.riskDetection",
        "id": hex_id(rng),
        "requestId": sign_in["id"] if sign_in else None,
        "correlationId": sign_in["correlationId"] if sign_in else None,
        "riskEventType": event_type,
        "riskState": state,
        "riskLevel": level,
        "riskDetail": detail,
        "source": source,
        "detectionTimingType": timing,
        "activity": "signin" if sign_in else "user",
        "tokenIssuerType": "AzureAD",
        "ipAddress": sign_in["ipAddress"] if sign_in else None,
        "location": sign_in["location"] if sign_in else None,
        "activityDateTime": activity_time,
        "detectedDateTime": detected_time,
        "lastUpdatedDateTime": detected_time,
        "userId": user["id"],
        "userDisplayName": user["displayName"],
        "userPrincipalName": user["userPrincipalName"],
        "additionalInfo": f'[{{"Key":"userAgent","Value":"{USER_AGENT}"}}]' if sign_in else "[]",
    }


def risky_user(user: dict, level: str, state: str, detail: str, updated: str) -> dict:
    return {
        "@odata.type": "#microsoft.graph.riskyUser",
        "id": user["id"],
        "isDeleted": False,
        "isProcessing": False,
        "riskLastUpdatedDateTime": updated,
        "riskLevel": level,
        "riskState": state,
        "riskDetail": detail,
        "userDisplayName": user["displayName"],
        "userPrincipalName": user["userPrincipalName"],
    }


def risky_service_principal(sp: dict, level: str, state: str, updated: str) -> dict:
    return {
        "id": sp["id"],
        "isEnabled": sp["accountEnabled"],
        "isProcessing": False,
        "riskLastUpdatedDateTime": updated,
        "riskLevel": level,
        "riskState": state,
        "riskDetail": "none",
        "displayName": sp["displayName"],
        "appId": sp["appId"],
        "servicePrincipalType": sp["servicePrincipalType"],
    }


def service_principal_risk_detection(
    rng: random.Random,
    sp: dict,
    event_type: str,
    level: str,
    *,
    activity_time: str,
    detected_time: str,
    key_ids: list[str],
    ip: str | None = None,
    location: dict | None = None,
    timing: str = "offline",
) -> dict:
    return {
        "id": hex_id(rng),
        "requestId": None,
        "correlationId": None,
        "riskEventType": event_type,
        "riskState": "atRisk",
        "riskLevel": level,
        "riskDetail": "none",
        "source": "IdentityProtection",
        "detectionTimingType": timing,
        "activity": "servicePrincipal",
        "tokenIssuerType": "AzureAD",
        "ipAddress": ip,
        "location": location,
        "activityDateTime": activity_time,
        "detectedDateTime": detected_time,
        "lastUpdatedDateTime": detected_time,
        "servicePrincipalId": sp["id"],
        "servicePrincipalDisplayName": sp["displayName"],
        "appId": sp["appId"],
        "keyIds": key_ids,
        "additionalInfo": '[{"Key":"alertUrl","Value":"https://github.com/contoso-dev/legacy-sync"}]',
    }
