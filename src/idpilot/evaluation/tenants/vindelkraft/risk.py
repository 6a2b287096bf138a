"""Identity Protection at Vindelkraft: risky users with their detections, a risky app."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from idpilot.evaluation.tenants.vindelkraft._core import Record, Tenant, at, iso
from idpilot.evaluation.tenants.vindelkraft.apps import App


def _detection(
    tenant: Tenant,
    user: Record,
    event: str,
    level: str,
    when: datetime,
    *,
    sign_in: Record | None = None,
    timing: str = "realtime",
    state: str = "atRisk",
    detail: str = "none",
) -> Record:
    location = sign_in["location"] if sign_in else None
    return tenant.add(
        "riskDetections",
        {
            "@odata.type": "#microsoft.graph.riskDetection",
            "id": tenant.new_id().replace("-", "")[:32],
            "requestId": sign_in["id"] if sign_in else None,
            "correlationId": sign_in["correlationId"] if sign_in else None,
            "riskEventType": event,
            "riskState": state,
            "riskLevel": level,
            "riskDetail": detail,
            "source": "IdentityProtection",
            "detectionTimingType": timing,
            "activity": "signin" if sign_in else "user",
            "tokenIssuerType": "AzureAD",
            "ipAddress": sign_in["ipAddress"] if sign_in else None,
            "location": None
            if location is None
            else {k: location[k] for k in ("city", "state", "countryOrRegion", "geoCoordinates")},
            "activityDateTime": iso(when),
            "detectedDateTime": iso(when + timedelta(minutes=4)),
            "lastUpdatedDateTime": iso(when + timedelta(minutes=9)),
            "userId": user["id"],
            "userDisplayName": user["displayName"],
            "userPrincipalName": user["userPrincipalName"],
            "additionalInfo": json.dumps([{"Key": "userAgent", "Value": "Mozilla/5.0"}])
            if sign_in
            else "[]",
        },
    )


def _risky_user(
    tenant: Tenant, user: Record, level: str, state: str, detail: str, when: datetime
) -> Record:
    return tenant.add(
        "riskyUsers",
        {
            "id": user["id"],
            "isDeleted": False,
            "isProcessing": False,
            "riskLastUpdatedDateTime": iso(when),
            "riskLevel": level,
            "riskState": state,
            "riskDetail": detail,
            "userDisplayName": user["displayName"],
            "userPrincipalName": user["userPrincipalName"],
        },
    )


def build_risk(
    tenant: Tenant,
    paulo_signins: tuple[Record, Record],
    ingrid_approved: Record,
    apps: dict[str, App],
) -> None:
    """Risky users (one high with three corroborating detections), one risky app."""
    paulo, ingrid = tenant.user("paulo"), tenant.user("ingrid")
    tor, foreign = paulo_signins
    leaked = _detection(
        tenant, paulo, "leakedCredentials", "high", at(13, 6, 0, 0), timing="offline"
    )
    anonymous = _detection(
        tenant, paulo, "anonymizedIPAddress", "medium", at(14, 2, 13, 9), sign_in=tor
    )
    unfamiliar = _detection(
        tenant, paulo, "unfamiliarFeatures", "medium", at(15, 3, 40, 51), sign_in=foreign
    )
    risky = _risky_user(tenant, paulo, "high", "atRisk", "none", at(15, 3, 49, 0))
    tenant.scenario(
        "risky_user",
        "High-risk user: leaked credentials, then a Tor sign-in and a foreign one",
        {
            "user": paulo["displayName"],
            "user_id": paulo["id"],
            "tor_ip": tor["ipAddress"],
            "foreign_ip": foreign["ipAddress"],
            "tor_signin": tor["id"],
            "foreign_signin": foreign["id"],
        },
        {"risk_level": "high", "detections": 3},
        {
            "riskyUser": [risky["id"]],
            "riskDetection": [leaked["id"], anonymous["id"], unfamiliar["id"]],
        },
    )
    fatigue = _detection(
        tenant, ingrid, "unfamiliarFeatures", "medium", at(18, 21, 19, 33), sign_in=ingrid_approved
    )
    tenant.planted["ingrid_risky"] = _risky_user(
        tenant, ingrid, "medium", "atRisk", "none", at(18, 21, 28, 0)
    )
    tenant.planted["ingrid_detection"] = fatigue
    others = [
        u
        for u in tenant.records("users")
        if u.get("city") == "Valencia"
        and u["accountEnabled"]
        and u["id"] != tenant.user("raul")["id"]
    ][:2]
    when = datetime(2026, 10, 28, 9, 40, tzinfo=UTC)
    _detection(
        tenant,
        others[0],
        "unfamiliarFeatures",
        "low",
        when,
        timing="realtime",
        state="remediated",
        detail="userPerformedSecuredPasswordReset",
    )
    _risky_user(
        tenant,
        others[0],
        "none",
        "remediated",
        "userPerformedSecuredPasswordReset",
        when + timedelta(hours=3),
    )
    _detection(
        tenant,
        others[1],
        "unlikelyTravel",
        "medium",
        at(4, 7, 5, 0),
        timing="offline",
        state="dismissed",
        detail="adminDismissedAllRiskForUser",
    )
    _risky_user(
        tenant, others[1], "none", "dismissed", "adminDismissedAllRiskForUser", at(4, 12, 0, 0)
    )
    _risky_app(tenant, apps["procura_sync"])


def _risky_app(tenant: Tenant, app: App) -> None:
    sp = app.service_principal
    risky = tenant.add(
        "riskyServicePrincipals",
        {
            "id": sp["id"],
            "appId": app.app_id,
            "displayName": app.display_name,
            "servicePrincipalType": "Application",
            "isEnabled": True,
            "isProcessing": False,
            "riskLastUpdatedDateTime": iso(at(12, 5, 30, 0)),
            "riskLevel": "high",
            "riskState": "atRisk",
            "riskDetail": "none",
        },
    )
    detection = tenant.add(
        "servicePrincipalRiskDetections",
        {
            "id": tenant.new_id(),
            "requestId": None,
            "correlationId": None,
            "riskEventType": "leakedCredentials",
            "riskState": "atRisk",
            "riskLevel": "high",
            "riskDetail": "none",
            "source": "IdentityProtection",
            "detectionTimingType": "offline",
            "activity": "servicePrincipal",
            "tokenIssuerType": "AzureAD",
            "ipAddresses": [],
            "location": None,
            "activityDateTime": iso(at(12, 5, 0, 0)),
            "detectedDateTime": iso(at(12, 5, 30, 0)),
            "lastUpdatedDateTime": iso(at(12, 5, 30, 0)),
            "servicePrincipalId": sp["id"],
            "servicePrincipalDisplayName": app.display_name,
            "appId": app.app_id,
            "keyIds": [],
            "additionalInfo": "[]",
        },
    )
    tenant.scenario(
        "risky_workload",
        "A multi-tenant supplier app with leaked credentials and Mail.Read",
        {"app": app.display_name, "service_principal_id": sp["id"], "permission": "Mail.Read"},
        {"risk_level": "high"},
        {
            "riskyServicePrincipal": [risky["id"]],
            "servicePrincipalRiskDetection": [detection["id"]],
        },
    )
