"""Vindelkraft's named locations and Conditional Access policies, as Graph returns them."""

from __future__ import annotations

from datetime import timedelta

from idpilot.evaluation.tenants.vindelkraft._core import CAPTURED, Record, Tenant, at, iso
from idpilot.evaluation.tenants.vindelkraft.apps import App
from idpilot.evaluation.tenants.vindelkraft.roles import ADMIN_ROLES_IN_POLICY, role_id

OFFICE_RANGES = {
    "Malmö": ("Malmö HQ", "185.45.12.0/24"),
    "München": ("München Werk Freimann", "91.198.40.0/25"),
    "Kraków": ("Kraków Zabłocie office", "153.19.66.0/26"),
    "Bergen": ("Bergen office", "195.204.30.0/27"),
    "São Paulo": ("São Paulo office", "200.155.77.0/27"),
    "Valencia": ("Valencia plant", "62.82.14.0/26"),
}
OPERATING_COUNTRIES = ["SE", "DE", "PL", "BR", "NO", "ES"]
PHISHING_RESISTANT_STRENGTH = "00000000-0000-0000-0000-000000000004"


def build_named_locations(tenant: Tenant) -> dict[str, Record]:
    """Trusted office IP ranges, a country list and an untrusted partner VPN range."""
    created = CAPTURED - timedelta(days=700)
    found: dict[str, Record] = {}
    for city, (name, cidr) in OFFICE_RANGES.items():
        found[city] = tenant.add(
            "namedLocations",
            {
                "@odata.type": "#microsoft.graph.ipNamedLocation",
                "id": tenant.new_id(),
                "displayName": name,
                "createdDateTime": iso(created),
                "modifiedDateTime": iso(created),
                "isTrusted": True,
                "ipRanges": [
                    {"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": cidr}
                ],
            },
        )
    found["countries"] = tenant.add(
        "namedLocations",
        {
            "@odata.type": "#microsoft.graph.countryNamedLocation",
            "id": tenant.new_id(),
            "displayName": "Operating countries",
            "createdDateTime": iso(created),
            "modifiedDateTime": iso(CAPTURED - timedelta(days=90)),
            "countriesAndRegions": OPERATING_COUNTRIES,
            "includeUnknownCountriesAndRegions": False,
            "countryLookupMethod": "clientIpAddress",
        },
    )
    found["partner_vpn"] = tenant.add(
        "namedLocations",
        {
            "@odata.type": "#microsoft.graph.ipNamedLocation",
            "id": tenant.new_id(),
            "displayName": "Partner VPN (Iberwind)",
            "createdDateTime": iso(created),
            "modifiedDateTime": iso(created),
            "isTrusted": False,
            "ipRanges": [
                {"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "198.51.100.0/24"}
            ],
        },
    )
    return found


def _conditions(users: Record, applications: Record, **other: object) -> Record:
    conditions: Record = {
        "userRiskLevels": [],
        "signInRiskLevels": [],
        "clientAppTypes": ["all"],
        "platforms": None,
        "locations": None,
        "times": None,
        "deviceStates": None,
        "devices": None,
        "clientApplications": None,
        "applications": {
            "includeApplications": [],
            "excludeApplications": [],
            "includeUserActions": [],
            "includeAuthenticationContextClassReferences": [],
            **applications,
        },
        "users": {
            "includeUsers": [],
            "excludeUsers": [],
            "includeGroups": [],
            "excludeGroups": [],
            "includeRoles": [],
            "excludeRoles": [],
            **users,
        },
    }
    conditions.update(other)
    return conditions


def _grant(operator: str, controls: list[str], strength: str | None = None) -> Record:
    grant: Record = {
        "operator": operator,
        "builtInControls": controls,
        "customAuthenticationFactors": [],
        "termsOfUse": [],
        "authenticationStrength": None,
    }
    if strength:
        grant["authenticationStrength"] = {
            "id": strength,
            "displayName": "Phishing-resistant MFA",
            "description": "Phishing-resistant, Passwordless methods for the strongest "
            "authentication, such as a FIDO2 security key",
            "policyType": "builtIn",
            "requirementsSatisfied": "mfa",
            "allowedCombinations": [
                "windowsHelloForBusiness",
                "fido2",
                "x509CertificateMultiFactor",
            ],
        }
    return grant


def _policy(
    tenant: Tenant,
    key: str,
    name: str,
    state: str,
    conditions: Record,
    grant: Record | None,
    session: Record | None = None,
    created_days: int = 400,
    modified_days: int | None = None,
) -> Record:
    policy = tenant.add(
        "conditionalAccessPolicies",
        {
            "id": tenant.new_id(),
            "templateId": None,
            "displayName": name,
            "createdDateTime": iso(CAPTURED - timedelta(days=created_days)),
            "modifiedDateTime": iso(CAPTURED - timedelta(days=modified_days))
            if modified_days is not None
            else None,
            "state": state,
            "conditions": conditions,
            "grantControls": grant,
            "sessionControls": session,
        },
    )
    tenant.planted[f"policy:{key}"] = policy
    return policy


def build_policies(
    tenant: Tenant, groups: dict[str, Record], apps: dict[str, App], locations: dict[str, Record]
) -> dict[str, Record]:
    """Eleven policies: role-targeted, location, device, risk, report-only and disabled ones."""
    bg = [tenant.user("breakglass01")["id"], tenant.user("breakglass02")["id"]]
    p: dict[str, Record] = {}
    p["admins_mfa"] = _policy(
        tenant,
        "admins_mfa",
        "VK-01 Admin roles: require MFA",
        "enabled",
        _conditions(
            {"includeRoles": [role_id(r) for r in ADMIN_ROLES_IN_POLICY], "excludeUsers": bg},
            {"includeApplications": ["All"]},
        ),
        _grant("OR", ["mfa"]),
        created_days=800,
    )
    p["mfa_untrusted"] = _policy(
        tenant,
        "mfa_untrusted",
        "VK-02 All users: MFA outside trusted offices",
        "enabled",
        _conditions(
            {
                "includeUsers": ["All"],
                "excludeUsers": bg,
                "excludeGroups": [groups["ca_service"]["id"]],
            },
            {"includeApplications": ["All"]},
            locations={"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
        ),
        _grant("OR", ["mfa"]),
        created_days=760,
        modified_days=14,
    )
    p["legacy_block"] = _policy(
        tenant,
        "legacy_block",
        "VK-03 Block legacy authentication",
        "enabled",
        _conditions(
            {"includeUsers": ["All"], "excludeUsers": bg},
            {"includeApplications": ["All"]},
            clientAppTypes=["exchangeActiveSync", "other"],
        ),
        _grant("OR", ["block"]),
        created_days=700,
    )
    p["finance_device"] = _policy(
        tenant,
        "finance_device",
        "VK-04 Finance apps: compliant or hybrid-joined device",
        "enabled",
        _conditions(
            {"includeGroups": [groups["finance_apps"]["id"]], "excludeUsers": bg},
            {"includeApplications": [apps["kvitto"].app_id, apps["lonn"].app_id]},
            devices={
                "deviceFilter": {
                    "mode": "exclude",
                    "rule": 'device.extensionAttribute1 -eq "FinanceKiosk"',
                }
            },
        ),
        _grant("OR", ["compliantDevice", "domainJoinedDevice"]),
        created_days=500,
    )
    p["country_block"] = _policy(
        tenant,
        "country_block",
        "VK-05 Block sign-ins outside operating countries",
        "enabled",
        _conditions(
            {
                "includeUsers": ["All"],
                "excludeUsers": [bg[0]],
                "excludeGroups": [groups["ca_travel"]["id"]],
            },
            {"includeApplications": ["All"]},
            locations={
                "includeLocations": ["All"],
                "excludeLocations": [locations["countries"]["id"]],
            },
        ),
        _grant("OR", ["block"]),
        created_days=600,
        modified_days=90,
    )
    p["guests_mfa"] = _policy(
        tenant,
        "guests_mfa",
        "VK-06 Guests and external users: MFA",
        "enabled",
        _conditions({"includeUsers": ["GuestsOrExternalUsers"]}, {"includeApplications": ["All"]}),
        _grant("OR", ["mfa"]),
        created_days=550,
    )
    p["risk_mfa"] = _policy(
        tenant,
        "risk_mfa",
        "VK-07 Medium or high sign-in risk: MFA (report-only)",
        "enabledForReportingButNotEnforced",
        _conditions(
            {"includeUsers": ["All"], "excludeUsers": bg},
            {"includeApplications": ["All"]},
            signInRiskLevels=["high", "medium"],
        ),
        _grant("OR", ["mfa"]),
        created_days=17,
        modified_days=17,
    )
    p["mobile_frequency"] = _policy(
        tenant,
        "mobile_frequency",
        "VK-08 SharePoint in mobile browsers: sign in every 8 hours",
        "enabledForReportingButNotEnforced",
        _conditions(
            {"includeUsers": ["All"], "excludeUsers": bg},
            {"includeApplications": [apps["sharepoint"].app_id]},
            clientAppTypes=["browser"],
            platforms={"includePlatforms": ["android", "iOS"], "excludePlatforms": []},
        ),
        None,
        {
            "applicationEnforcedRestrictions": None,
            "cloudAppSecurity": None,
            "persistentBrowser": None,
            "disableResilienceDefaults": None,
            "signInFrequency": {
                "value": 8,
                "type": "hours",
                "authenticationType": "primaryAndSecondaryAuthentication",
                "frequencyInterval": "timeBased",
                "isEnabled": True,
            },
        },
        created_days=200,
    )
    p["field_tablets"] = _policy(
        tenant,
        "field_tablets",
        "VK-09 Field tablets: require compliant device (pilot)",
        "disabled",
        _conditions(
            {"includeGroups": [groups["field_all"]["id"]]},
            {"includeApplications": [apps["hydra"].app_id]},
            devices={
                "deviceFilter": {"mode": "include", "rule": 'device.model -startsWith "Galaxy Tab"'}
            },
        ),
        _grant("OR", ["compliantDevice"]),
        created_days=120,
    )
    p["ga_phishing_resistant"] = _policy(
        tenant,
        "ga_phishing_resistant",
        "VK-10 Global Administrators: phishing-resistant MFA",
        "enabledForReportingButNotEnforced",
        _conditions(
            {"includeRoles": [role_id("Global Administrator")], "excludeUsers": bg},
            {"includeApplications": ["All"]},
        ),
        _grant("OR", [], PHISHING_RESISTANT_STRENGTH),
        created_days=60,
    )
    p["user_risk"] = _policy(
        tenant,
        "user_risk",
        "VK-11 High user risk: secure password change",
        "disabled",
        _conditions(
            {"includeUsers": ["All"], "excludeUsers": bg},
            {"includeApplications": ["All"]},
            userRiskLevels=["high"],
        ),
        _grant("AND", ["mfa", "passwordChange"]),
        created_days=300,
    )
    return p


POLICY_CHANGE_DAY = at(6, 13, 41)
