"""Writing one Graph v1.0 `signIn` record: the attempt, its device, place and CA results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from idpilot.evaluation.tenants.vindelkraft._core import Record, Tenant, iso
from idpilot.evaluation.tenants.vindelkraft.apps import App
from idpilot.evaluation.tenants.vindelkraft.groups import transitive_groups
from idpilot.evaluation.tenants.vindelkraft.recorder import Context, record
from idpilot.evaluation.tenants.vindelkraft.roles import active_role_ids

FAILURE_REASONS = {
    50126: "Error validating credentials due to invalid username or password.",
    50053: "The account is locked, you've tried to sign in too many times with an incorrect "
    "user ID or password.",
    50057: "The user account is disabled.",
    53003: "Access has been blocked by Conditional Access policies. The access policy does not "
    "allow token issuance.",
    53000: "Device is not in required device state: compliant. Conditional Access policy "
    "requires a compliant device, and the device is not compliant. The user must enroll their "
    "device with an approved MDM provider like Intune.",
    500121: "Authentication failed during strong authentication request.",
}
PRIMARY_FAILURES = {50126, 50053, 50057, 50055}
CLIENT_USED = {
    "browser": "Browser",
    "mobileAppsAndDesktopClients": "Mobile Apps and Desktop clients",
    "exchangeActiveSync": "Exchange ActiveSync",
    "other": "IMAP4",
}
RESOURCES = {
    "exchange": ("Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000"),
    "sharepoint": ("Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000"),
    "teams": ("Microsoft Teams Services", "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"),
    "portal": ("Windows Azure Service Management API", "797f4846-ba00-4fd7-ba43-dac1f8f63013"),
    "officehome": ("Microsoft Graph", "00000003-0000-0000-c000-000000000000"),
}
DIRECTORY_RESOURCE = ("Windows Azure Active Directory", "00000002-0000-0000-c000-000000000000")


@dataclass(frozen=True)
class Place:
    """Where an IP address puts a sign-in."""

    ip: str
    city: str
    state: str
    country: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Device:
    """A device as deviceDetail describes it (empty id for an unregistered device)."""

    device_id: str
    name: str | None
    os: str
    browser: str
    compliant: bool
    managed: bool
    trust: str | None
    platform: str


@dataclass
class Env:
    """Everything a sign-in needs to be recorded: policies, locations, apps, memberships."""

    tenant: Tenant
    policies: list[Record]
    locations: list[Record]
    apps: dict[str, App]
    _groups: dict[str, set[str]] = field(default_factory=dict)

    def groups_of(self, user: Record) -> set[str]:
        """Transitive group ids of a user (cached)."""
        if user["id"] not in self._groups:
            self._groups[user["id"]] = transitive_groups(self.tenant, user["id"])
        return self._groups[user["id"]]


def sign_in(
    env: Env,
    user: Record,
    app_key: str,
    when: datetime,
    place: Place,
    device: Device,
    *,
    client: str = "browser",
    primary_error: int | None = None,
    will_do_mfa: bool = True,
    risk: str = "none",
    risk_events: list[str] | None = None,
    correlation_id: str | None = None,
) -> Record:
    """Record one interactive sign-in as Entra would, and add it to the tenant."""
    tenant = env.tenant
    app = env.apps[app_key]
    groups = env.groups_of(user)
    ctx = Context(
        user=user,
        group_ids=groups,
        role_ids=active_role_ids(tenant, user["id"], groups),
        app_id=app.app_id,
        client=client,
        platform=device.platform,
        ip=place.ip,
        country=place.country,
        compliant=device.compliant,
        hybrid_joined=device.trust == "Hybrid Azure AD joined",
        risk=risk,
        will_do_mfa=will_do_mfa,
        primary_failed=primary_error is not None,
        phishing_resistant=False,
    )
    outcome = record(env.policies, ctx, env.locations)
    code = primary_error or 0
    details = None
    if primary_error is None:
        if outcome.blocked:
            code = 53003
        elif outcome.device_failed:
            code = 53000
        elif outcome.mfa_required and not outcome.mfa_done:
            code = 500121
            details = "MFA denied; user declined the authentication"
        elif outcome.mfa_done:
            details = "MFA requirement satisfied by claim in the token"
    resource = RESOURCES.get(app_key, DIRECTORY_RESOURCE)
    events = risk_events or []
    record_: Record = {
        "id": tenant.new_id(),
        "createdDateTime": iso(when),
        "userDisplayName": user["displayName"],
        "userPrincipalName": user["userPrincipalName"],
        "userId": user["id"],
        "appId": app.app_id,
        "appDisplayName": app.display_name,
        "ipAddress": place.ip,
        "clientAppUsed": CLIENT_USED[client],
        "correlationId": correlation_id or tenant.new_id(),
        "conditionalAccessStatus": outcome.status,
        "isInteractive": True,
        "riskDetail": "none",
        "riskLevelAggregated": risk if events else "none",
        "riskLevelDuringSignIn": risk,
        "riskState": "atRisk" if events else "none",
        "riskEventTypes": events,
        "riskEventTypes_v2": events,
        "resourceDisplayName": resource[0],
        "resourceId": resource[1],
        "status": {
            "errorCode": code,
            "failureReason": FAILURE_REASONS.get(code, "Other.") if code else None,
            "additionalDetails": details,
        },
        "deviceDetail": {
            "deviceId": device.device_id,
            "displayName": device.name,
            "operatingSystem": device.os,
            "browser": device.browser,
            "isCompliant": device.compliant,
            "isManaged": device.managed,
            "trustType": device.trust,
        },
        "location": {
            "city": place.city,
            "state": place.state,
            "countryOrRegion": place.country,
            "geoCoordinates": {
                "altitude": None,
                "latitude": place.latitude,
                "longitude": place.longitude,
            },
        },
        "appliedConditionalAccessPolicies": outcome.applied,
    }
    return tenant.add("signIns", record_)
