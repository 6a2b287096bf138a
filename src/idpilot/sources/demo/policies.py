"""Conditional Access policies and named locations, including the planted misconfigurations."""

from __future__ import annotations

import random

from .geo import BLOCKED_COUNTRIES, OFFICE_BY_NAME
from .ids import days_before, guid, iso
from .roles import (
    APP_ADMIN,
    AUTH_ADMIN,
    BILLING_ADMIN,
    CA_ADMIN,
    CLOUD_APP_ADMIN,
    EXCHANGE_ADMIN,
    GLOBAL_ADMIN,
    HELPDESK_ADMIN,
    INTUNE_ADMIN,
    PRIVILEGED_AUTH_ADMIN,
    PRIVILEGED_ROLE_ADMIN,
    SECURITY_ADMIN,
    SHAREPOINT_ADMIN,
    USER_ADMIN,
)
from .tenant import Tenant

ADMIN_ROLES = [
    GLOBAL_ADMIN,
    PRIVILEGED_ROLE_ADMIN,
    SECURITY_ADMIN,
    USER_ADMIN,
    EXCHANGE_ADMIN,
    SHAREPOINT_ADMIN,
    CA_ADMIN,
    APP_ADMIN,
    CLOUD_APP_ADMIN,
    HELPDESK_ADMIN,
    AUTH_ADMIN,
    PRIVILEGED_AUTH_ADMIN,
    INTUNE_ADMIN,
    BILLING_ADMIN,
]


def _ip_location(rng: random.Random, name: str, cidrs: list[str], trusted: bool) -> dict:
    created = days_before(rng.uniform(700, 1200))
    return {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        "id": guid(rng),
        "displayName": name,
        "modifiedDateTime": iso(days_before(rng.uniform(100, 600))),
        "createdDateTime": iso(created),
        "isTrusted": trusted,
        "ipRanges": [
            {"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": cidr} for cidr in cidrs
        ],
    }


def build_named_locations(rng: random.Random, tenant: Tenant) -> None:
    seattle = OFFICE_BY_NAME["Seattle HQ"].egress
    paris = OFFICE_BY_NAME["Paris office"].egress
    locations = {
        "seattle_hq": _ip_location(rng, "Seattle HQ", [f"{p}.0/24" for p in seattle], True),
        "paris_office": _ip_location(rng, "Paris office", [f"{p}.0/24" for p in paris], True),
        "blocked_countries": {
            "@odata.type": "#microsoft.graph.countryNamedLocation",
            "id": guid(rng),
            "displayName": "Blocked countries",
            "modifiedDateTime": iso(days_before(210)),
            "createdDateTime": iso(days_before(900)),
            "countriesAndRegions": list(BLOCKED_COUNTRIES),
            "includeUnknownCountriesAndRegions": False,
            "countryLookupMethod": "clientIpAddress",
        },
    }
    for key, location in locations.items():
        tenant.named_locations.append(location)
        tenant.locations_by_key[key] = location


def _users(
    include_users=None,
    exclude_users=None,
    include_groups=None,
    exclude_groups=None,
    include_roles=None,
    exclude_roles=None,
) -> dict:
    return {
        "includeUsers": include_users or [],
        "excludeUsers": exclude_users or [],
        "includeGroups": include_groups or [],
        "excludeGroups": exclude_groups or [],
        "includeRoles": include_roles or [],
        "excludeRoles": exclude_roles or [],
    }


def _grant(operator: str, *controls: str) -> dict:
    return {
        "operator": operator,
        "builtInControls": list(controls),
        "customAuthenticationFactors": [],
        "termsOfUse": [],
        "authenticationStrength": None,
    }


def _policy(
    rng: random.Random,
    name: str,
    state: str,
    users: dict,
    *,
    apps: list[str] | None = None,
    client_apps: list[str] | None = None,
    platforms: dict | None = None,
    locations: dict | None = None,
    sign_in_risk: list[str] | None = None,
    user_risk: list[str] | None = None,
    grant: dict | None = None,
    session: dict | None = None,
) -> dict:
    created = days_before(rng.uniform(200, 900))
    return {
        "id": guid(rng),
        "templateId": None,
        "displayName": name,
        "createdDateTime": iso(created),
        "modifiedDateTime": iso(days_before(rng.uniform(40, 190))),
        "state": state,
        "conditions": {
            "userRiskLevels": user_risk or [],
            "signInRiskLevels": sign_in_risk or [],
            "clientAppTypes": client_apps or ["all"],
            "servicePrincipalRiskLevels": [],
            "platforms": platforms,
            "locations": locations,
            "devices": None,
            "clientApplications": None,
            "applications": {
                "includeApplications": apps or ["All"],
                "excludeApplications": [],
                "includeUserActions": [],
                "includeAuthenticationContextClassReferences": [],
                "applicationFilter": None,
            },
            "users": users,
        },
        "grantControls": grant,
        "sessionControls": session,
    }


def build_policies(rng: random.Random, tenant: Tenant) -> None:
    """Thirteen policies; each planted flaw is described in scenarios.json.

    User risk: a Graph signIn (v1.0 or beta) records no user risk level (riskLevelAggregated
    is the aggregated *sign-in* risk), so `context_from_sign_in` leaves user risk unknown and the
    engine treats a userRiskLevels policy as possibly applying (missing fact `user_risk`): an
    enabled CA021 would demand a password change on every sign-in. The generator does not invent
    a non-Graph property; CA021 is disabled instead, so every sign-in records `notEnabled`, which
    is what both Entra and the engine give, and it is why Bob (high user risk after the leak)
    signs in unchallenged (fact `userRiskPolicyState` of the leaked_credentials scenario).
    """
    g = tenant.groups_by_key
    p = tenant.personas
    loc = tenant.locations_by_key
    breakglass = g["breakglass_exclusion"]["id"]
    finance_app = tenant.apps["finance_portal"]["appId"]
    no_session = None
    specs = {
        "mfa_all_users": _policy(
            rng,
            "CA001: Require MFA for all users",
            "enabled",
            _users(["All"], exclude_groups=[breakglass, g["service_account_exclusion"]["id"]]),
            grant=_grant("OR", "mfa"),
        ),
        "mfa_admins": _policy(
            rng,
            "CA002: Require MFA for administrators",
            "enabled",
            _users(include_roles=ADMIN_ROLES, exclude_groups=[breakglass]),
            grant=_grant("OR", "mfa"),
        ),
        "block_legacy_auth": _policy(
            rng,
            "CA003: Block legacy authentication",
            "enabled",
            # Planted: only breakglass01 is excluded; breakglass02 is not.
            _users(["All"], exclude_users=[p["breakglass01"]["id"]]),
            client_apps=["exchangeActiveSync", "other"],
            grant=_grant("OR", "block"),
        ),
        "finance_compliant_device": _policy(
            rng,
            "CA010: Finance Portal - require compliant device",
            "enabled",
            _users(include_groups=[g["finance_all"]["id"]]),
            apps=[finance_app],
            grant=_grant("OR", "compliantDevice"),
        ),
        "finance_block_untrusted": _policy(
            rng,
            "CA011: Finance Portal - block outside trusted locations",
            "enabled",
            _users(include_groups=[g["finance_all"]["id"]]),
            apps=[finance_app],
            locations={"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
            grant=_grant("OR", "block"),
        ),
        "block_high_sign_in_risk": _policy(
            rng,
            "CA020: Block high sign-in risk",
            "enabled",
            _users(["All"], exclude_groups=[breakglass]),
            sign_in_risk=["high"],
            grant=_grant("OR", "block"),
        ),
        "high_user_risk_password_change": _policy(
            rng,
            "CA021: Require password change for high user risk",
            # Disabled (notEnabled on every sign-in): a Graph signIn records no user risk, so
            # the engine cannot decide userRiskLevels from the logs (see build_policies).
            "disabled",
            _users(["All"], exclude_groups=[breakglass]),
            user_risk=["high"],
            grant=_grant("AND", "mfa", "passwordChange"),
            session={
                "applicationEnforcedRestrictions": None,
                "cloudAppSecurity": None,
                "persistentBrowser": None,
                "signInFrequency": {
                    "value": None,
                    "type": None,
                    "authenticationType": "primaryAndSecondaryAuthentication",
                    "frequencyInterval": "everyTime",
                    "isEnabled": True,
                },
            },
        ),
        "block_countries": _policy(
            rng,
            "CA030: Block access from untrusted countries",
            "enabled",
            _users(["All"], exclude_groups=[breakglass]),
            locations={
                "includeLocations": [loc["blocked_countries"]["id"]],
                "excludeLocations": [],
            },
            grant=_grant("OR", "block"),
        ),
        "admin_sign_in_frequency": _policy(
            rng,
            "CA040: Admin sign-in frequency 4 hours",
            "enabled",
            _users(include_roles=ADMIN_ROLES, exclude_groups=[breakglass]),
            grant=no_session,
            session={
                "applicationEnforcedRestrictions": None,
                "cloudAppSecurity": None,
                "persistentBrowser": {"mode": "never", "isEnabled": True},
                "signInFrequency": {
                    "value": 4,
                    "type": "hours",
                    "authenticationType": "primaryAndSecondaryAuthentication",
                    "frequencyInterval": "timeBased",
                    "isEnabled": True,
                },
            },
        ),
        "report_only_block_untrusted": _policy(
            rng,
            "CA050: Block access outside corporate network (report-only)",
            "enabledForReportingButNotEnforced",
            _users(["All"], exclude_groups=[breakglass]),
            locations={"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
            grant=_grant("OR", "block"),
        ),
        "disabled_guest_block": _policy(
            rng,
            "CA060: Block guests from Azure management (pilot)",
            "disabled",
            _users(["GuestsOrExternalUsers"]),
            apps=[tenant.apps["azure_management"]["appId"]],
            grant=_grant("OR", "block"),
        ),
        "never_applies": _policy(
            rng,
            "CA070: Require compliant device for contractors",
            "enabled",
            # Planted: the same group is included and excluded, so the policy can never apply.
            _users(
                include_groups=[g["contractors"]["id"]], exclude_groups=[g["contractors"]["id"]]
            ),
            grant=_grant("OR", "compliantDevice"),
        ),
        "azure_management_mfa": _policy(
            rng,
            "CA080: Require MFA for Azure management",
            "enabled",
            _users(["All"], exclude_groups=[breakglass]),
            apps=[tenant.apps["azure_management"]["appId"]],
            grant=_grant("OR", "mfa"),
        ),
    }
    for key, policy in specs.items():
        tenant.policies.append(policy)
        tenant.policies_by_key[key] = policy
