"""Writes the golden Conditional Access cases (run once by hand; the JSON files are the tests).

Expected results here are written from the documented semantics, not from the engine's output.
Run: python tests/conditional_access/make_golden.py
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent / "golden"
GRAPH = Path(__file__).parent / "graph"  # verbatim copies of the Graph documentation examples

ALICE, BOB, CAROL, DAVE = "alice-0001", "bob-guest-0002", "carol-0003", "dave-unknown-0004"
GA_ROLE = "62e90394-69f5-4237-9190-012177145e10"
EXO, SPO, TEAMS = (
    "00000002-0000-0ff1-ce00-000000000000",
    "00000003-0000-0ff1-ce00-000000000000",
    "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
)
AZURE_PORTAL, M365_ADMIN = (
    "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
    "00000006-0000-0ff1-ce00-000000000000",
)
GRAPH_EXPLORER = "de8bc8b5-d9f9-48b1-a8ad-b748da725064"
AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
AZURE_MANAGEMENT = "797f4846-ba00-4fd7-ba43-dac1f8f63013"  # Windows Azure Service Management API
HQ, BRANCH6, VENDOR, NA, RISKY, GPS = (
    "loc-hq",
    "loc-branch-v6",
    "loc-vendor",
    "loc-na",
    "loc-risky",
    "loc-gps",
)
S_MFA, S_PWDLESS, S_PHISH = (f"00000000-0000-0000-0000-00000000000{n}" for n in (2, 3, 4))
TOU = "tou-0001"

DIRECTORY = {
    "users": {
        ALICE: {"userType": "Member", "groups": ["grp-finance", "grp-staff"], "roles": [GA_ROLE]},
        BOB: {"userType": "Guest", "groups": ["grp-partners"], "roles": []},
        CAROL: {"userType": "Member", "groups": [], "roles": []},
    }
}

NAMED_LOCATIONS = [
    {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        "id": HQ,
        "displayName": "HQ",
        "isTrusted": True,
        "ipRanges": [
            {"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "10.0.0.0/8"}
        ],
    },
    {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        "id": BRANCH6,
        "displayName": "Branch v6",
        "isTrusted": True,
        "ipRanges": [
            {"@odata.type": "#microsoft.graph.iPv6CidrRange", "cidrAddress": "2001:db8::/32"}
        ],
    },
    {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        "id": VENDOR,
        "displayName": "Vendor",
        "isTrusted": False,
        "ipRanges": [
            {"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.0/24"}
        ],
    },
    {
        "@odata.type": "#microsoft.graph.countryNamedLocation",
        "id": NA,
        "displayName": "US and CA",
        "countriesAndRegions": ["US", "CA"],
        "includeUnknownCountriesAndRegions": False,
    },
    {
        "@odata.type": "#microsoft.graph.countryNamedLocation",
        "id": RISKY,
        "displayName": "Risky",
        "countriesAndRegions": ["KP"],
        "includeUnknownCountriesAndRegions": True,
    },
    {
        "@odata.type": "#microsoft.graph.countryNamedLocation",
        "id": GPS,
        "displayName": "France GPS",
        "countriesAndRegions": ["FR"],
        "includeUnknownCountriesAndRegions": False,
        "countryLookupMethod": "authenticatorAppGps",
    },
]

BASE_CONTEXT: dict[str, Any] = {
    "user_id": ALICE,
    "app_id": EXO,
    "client_app": "browser",
    "platform": "windows",
    "ip_address": "198.51.100.7",
    "country": "US",
    "device": {
        "is_compliant": False,
        "trust_type": "AzureAd",
        "display_name": "LAPTOP-42",
        "extension_attributes": {"extensionAttribute1": "sales-emea"},
    },
    "sign_in_risk": "none",
    "user_risk": "none",
    "authentication_flow": "none",
    "satisfied_controls": [],
}


def policy(
    pid: str,
    *,
    state: str = "enabled",
    users: dict | None = None,
    apps: dict | None = None,
    grant: Any = ("mfa",),
    operator: str = "OR",
    session: dict | None = None,
    **conditions: Any,
) -> dict:
    """A Graph-shaped policy; `grant` is builtInControls or a full grantControls dict/None."""
    if isinstance(grant, tuple):
        grant = {
            "operator": operator,
            "builtInControls": list(grant),
            "customAuthenticationFactors": [],
            "termsOfUse": [],
        }
    return {
        "id": pid,
        "displayName": pid.replace("-", " "),
        "state": state,
        "conditions": {
            "users": {
                "includeUsers": ["All"],
                "excludeUsers": [],
                "includeGroups": [],
                "excludeGroups": [],
                "includeRoles": [],
                "excludeRoles": [],
                **(users or {}),
            },
            "applications": {
                "includeApplications": ["All"],
                "excludeApplications": [],
                "includeUserActions": [],
                **(apps or {}),
            },
            "clientAppTypes": conditions.pop("clientAppTypes", ["all"]),
            "platforms": None,
            "locations": None,
            "signInRiskLevels": [],
            "userRiskLevels": [],
            **conditions,
        },
        "grantControls": grant,
        "sessionControls": session,
    }


def strength(sid: str, name: str = "strength") -> dict:
    """Grant controls requiring one authentication strength."""
    return {
        "operator": "OR",
        "builtInControls": [],
        "customAuthenticationFactors": [],
        "termsOfUse": [],
        "authenticationStrength": {
            "id": sid,
            "displayName": name,
            "allowedCombinations": ["fido2"],
        },
    }


CASES: list[dict] = []


def case(
    name: str,
    description: str,
    policies: list[dict],
    outcome: str,
    expected: dict[str, Any],
    context: dict | None = None,
    drop: tuple = (),
    named_locations: list | None = None,
    required: list | None = None,
) -> None:
    """Register a case; `expected` maps policy id -> result or dict of expectations."""
    ctx = {**copy.deepcopy(BASE_CONTEXT), **(context or {})}
    for key in drop:
        ctx.pop(key, None)
    exp: dict[str, Any] = {
        "outcome": outcome,
        "policies": {
            pid: (v if isinstance(v, dict) else {"result": v}) for pid, v in expected.items()
        },
    }
    if required is not None:
        exp["requiredControls"] = required
    CASES.append(
        {
            "name": name,
            "description": description,
            "policies": policies,
            "namedLocations": NAMED_LOCATIONS if named_locations is None else named_locations,
            "directory": DIRECTORY,
            "context": ctx,
            "expected": exp,
        }
    )


def r(result: str, reason: str | None = None, missing: list | None = None, **more: Any) -> dict:
    """Expected per-policy entry."""
    out: dict[str, Any] = {"result": result}
    if reason:
        out["reasonContains"] = reason
    if missing:
        out["missingFacts"] = missing
    out.update(more)
    return out


P = "p1"
# --- users ------------------------------------------------------------------------------------
case(
    "users_all_mfa_unsatisfied",
    "All users, MFA required, not done",
    [policy(P)],
    "controlsRequired",
    {P: r("failure", "all users")},
    required=["mfa"],
)
case(
    "users_all_mfa_satisfied",
    "All users, MFA required and done",
    [policy(P)],
    "allowed",
    {P: r("success", enforcedGrantControls=["Mfa"])},
    {"satisfied_controls": ["mfa"]},
)
case(
    "users_none",
    "includeUsers None targets nobody",
    [policy(P, users={"includeUsers": ["None"]})],
    "allowed",
    {P: "notApplied"},
)
case(
    "users_include_id_case_insensitive",
    "user included by id (upper-cased in policy)",
    [policy(P, users={"includeUsers": [ALICE.upper()]})],
    "controlsRequired",
    {P: r("failure", "included by id")},
)
case(
    "users_include_other_id",
    "another user included",
    [policy(P, users={"includeUsers": [CAROL]})],
    "allowed",
    {P: r("notApplied", "not among the included")},
)
case(
    "users_include_group",
    "user in included group",
    [policy(P, users={"includeUsers": [], "includeGroups": ["grp-finance"]})],
    "controlsRequired",
    {P: r("failure", "grp-finance")},
)
case(
    "users_include_group_not_member",
    "user not in included group",
    [policy(P, users={"includeUsers": [], "includeGroups": ["grp-hr"]})],
    "allowed",
    {P: "notApplied"},
)
case(
    "users_include_role",
    "user holds included role",
    [policy(P, users={"includeUsers": [], "includeRoles": [GA_ROLE]})],
    "controlsRequired",
    {P: r("failure", GA_ROLE)},
)
case(
    "users_include_role_not_held",
    "carol holds no role",
    [policy(P, users={"includeUsers": [], "includeRoles": [GA_ROLE]})],
    "allowed",
    {P: "notApplied"},
    {"user_id": CAROL},
)
case(
    "users_exclude_id",
    "All users but alice excluded by id",
    [policy(P, users={"excludeUsers": [ALICE]})],
    "allowed",
    {P: r("notApplied", "excluded by id")},
)
case(
    "users_exclude_group",
    "All users, alice's group excluded",
    [policy(P, users={"excludeGroups": ["grp-staff"]})],
    "allowed",
    {P: r("notApplied", "excluded group grp-staff")},
)
case(
    "users_exclude_role",
    "All users, alice's role excluded",
    [policy(P, users={"excludeRoles": [GA_ROLE]})],
    "allowed",
    {P: r("notApplied", "excluded role")},
)
case(
    "users_exclusion_beats_inclusion",
    "included by group and excluded by id",
    [
        policy(
            P, users={"includeUsers": [], "includeGroups": ["grp-finance"], "excludeUsers": [ALICE]}
        )
    ],
    "allowed",
    {P: r("notApplied", "excluded")},
)
case(
    "users_guests_included",
    "GuestsOrExternalUsers includes a guest",
    [policy(P, users={"includeUsers": ["GuestsOrExternalUsers"]})],
    "controlsRequired",
    {P: r("failure", "guest")},
    {"user_id": BOB},
)
case(
    "users_guests_member_not_included",
    "GuestsOrExternalUsers does not include a member",
    [policy(P, users={"includeUsers": ["GuestsOrExternalUsers"]})],
    "allowed",
    {P: "notApplied"},
)
case(
    "users_guests_excluded",
    "All users minus guests, guest signs in",
    [policy(P, users={"excludeUsers": ["GuestsOrExternalUsers"]})],
    "allowed",
    {P: r("notApplied", "guest")},
    {"user_id": BOB},
)
case(
    "users_external_types_all_guest_kinds",
    "includeGuestsOrExternalUsers with both guest kinds",
    [
        policy(
            P,
            users={
                "includeUsers": [],
                "includeGuestsOrExternalUsers": {
                    "guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest",
                    "externalTenants": {
                        "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants",
                        "membershipKind": "all",
                    },
                },
            },
        )
    ],
    "controlsRequired",
    {P: r("failure", "external")},
    {"user_id": BOB},
)
case(
    "users_external_types_ambiguous",
    "only b2bCollaborationGuest: a Guest may be internal",
    [
        policy(
            P,
            users={
                "includeUsers": [],
                "includeGuestsOrExternalUsers": {
                    "guestOrExternalUserTypes": "b2bCollaborationGuest",
                    "externalTenants": None,
                },
            },
        )
    ],
    "controlsRequired",
    {P: r("failure", missing=["user.guestOrExternalUserType"])},
    {"user_id": BOB},
)
case(
    "users_external_types_direct_connect",
    "b2bDirectConnectUser never has a guest account",
    [
        policy(
            P,
            users={
                "includeUsers": [],
                "includeGuestsOrExternalUsers": {
                    "guestOrExternalUserTypes": "b2bDirectConnectUser"
                },
            },
        )
    ],
    "allowed",
    {P: "notApplied"},
    {"user_id": BOB},
)
case(
    "users_guest_unknown_user_type",
    "user not in directory: guest status unknown",
    [policy(P, users={"includeUsers": ["GuestsOrExternalUsers"]})],
    "controlsRequired",
    {P: r("failure", missing=["user.userType"])},
    {"user_id": DAVE},
)
# --- applications -----------------------------------------------------------------------------
case(
    "apps_none",
    "includeApplications None",
    [policy(P, apps={"includeApplications": ["None"]})],
    "allowed",
    {P: r("notApplied", "no applications")},
)
case(
    "apps_by_id",
    "app included by id",
    [policy(P, apps={"includeApplications": [GRAPH_EXPLORER]})],
    "controlsRequired",
    {P: r("failure", "by id")},
    {"app_id": GRAPH_EXPLORER},
)
case(
    "apps_office365_sharepoint",
    "Office365 group includes SharePoint",
    [policy(P, apps={"includeApplications": ["Office365"]})],
    "controlsRequired",
    {P: r("failure", "Office365")},
    {"app_id": SPO},
)
case(
    "apps_office365_teams",
    "Office365 group includes Teams",
    [policy(P, apps={"includeApplications": ["Office365"]})],
    "controlsRequired",
    {P: "failure"},
    {"app_id": TEAMS},
)
case(
    "apps_office365_not_azure_portal",
    "Office365 does not include the Azure portal",
    [policy(P, apps={"includeApplications": ["Office365"]})],
    "allowed",
    {P: "notApplied"},
    {"app_id": AZURE_PORTAL},
)
case(
    "apps_admin_portals_azure",
    "MicrosoftAdminPortals includes the Azure portal",
    [policy(P, apps={"includeApplications": ["MicrosoftAdminPortals"]})],
    "controlsRequired",
    {P: r("failure", "MicrosoftAdminPortals")},
    {"app_id": AZURE_PORTAL},
)
case(
    "apps_admin_portals_m365",
    "MicrosoftAdminPortals includes the M365 admin center",
    [policy(P, apps={"includeApplications": ["MicrosoftAdminPortals"]})],
    "controlsRequired",
    {P: "failure"},
    {"app_id": M365_ADMIN},
)
case(
    "apps_admin_portals_not_exchange",
    "MicrosoftAdminPortals does not include Exchange Online",
    [policy(P, apps={"includeApplications": ["MicrosoftAdminPortals"]})],
    "allowed",
    {P: "notApplied"},
)
case(
    "apps_all_exclude_office365",
    "All apps minus Office365, Exchange sign-in",
    [policy(P, apps={"excludeApplications": ["Office365"]})],
    "allowed",
    {P: r("notApplied", "excluded")},
)
case(
    "apps_include_and_exclude_same",
    "app included and excluded: exclusion wins",
    [policy(P, apps={"includeApplications": [EXO], "excludeApplications": [EXO]})],
    "allowed",
    {P: "notApplied"},
)
case(
    "apps_user_action_match",
    "register security info user action",
    [
        policy(
            P,
            apps={
                "includeApplications": [],
                "includeUserActions": ["urn:user:registersecurityinfo"],
            },
        )
    ],
    "controlsRequired",
    {P: r("failure", "registersecurityinfo")},
    {"user_action": "urn:user:registersecurityinfo", "app_id": None},
)
case(
    "apps_user_action_no_action",
    "user action policy vs an app sign-in",
    [
        policy(
            P, apps={"includeApplications": [], "includeUserActions": ["urn:user:registerdevice"]}
        )
    ],
    "allowed",
    {P: "notApplied"},
)
case(
    "apps_auth_context_match",
    "authentication context c1 requested",
    [
        policy(
            P,
            apps={"includeApplications": [], "includeAuthenticationContextClassReferences": ["c1"]},
        )
    ],
    "controlsRequired",
    {P: r("failure", "c1")},
    {"authentication_context": "c1"},
)
case(
    "apps_auth_context_other",
    "authentication context c2 requested, policy wants c1",
    [
        policy(
            P,
            apps={"includeApplications": [], "includeAuthenticationContextClassReferences": ["c1"]},
        )
    ],
    "allowed",
    {P: "notApplied"},
    {"authentication_context": "c2"},
)
case(
    "apps_missing_app_id",
    "app unknown: a policy for All apps, excluding none, applies whatever the app",
    [policy(P)],
    "controlsRequired",
    {P: r("failure")},
    {"app_id": None},
)
case(
    "apps_resource_included_client_not",
    "policy on the Azure management API applies to an Azure CLI sign-in (resource targeted)",
    [policy(P, apps={"includeApplications": [AZURE_MANAGEMENT]})],
    "controlsRequired",
    {P: r("failure", AZURE_MANAGEMENT)},
    {"app_id": AZURE_CLI, "resource_id": AZURE_MANAGEMENT},
)
case(
    "apps_client_excluded_resource_not",
    "excluding the client app does not exempt the resource it calls",
    [policy(P, apps={"includeApplications": ["All"], "excludeApplications": [AZURE_CLI]})],
    "controlsRequired",
    {P: "failure"},
    {"app_id": AZURE_CLI, "resource_id": AZURE_MANAGEMENT},
)
case(
    "apps_resource_excluded",
    "excluding the resource exempts every client that calls it",
    [policy(P, apps={"includeApplications": ["All"], "excludeApplications": [AZURE_MANAGEMENT]})],
    "allowed",
    {P: r("notApplied", "excluded")},
    {"app_id": AZURE_CLI, "resource_id": AZURE_MANAGEMENT},
)
case(
    "apps_admin_portal_client_to_management_api",
    "MicrosoftAdminPortals matches the Azure portal client even when its token is for the API",
    [policy(P, apps={"includeApplications": ["MicrosoftAdminPortals"]})],
    "controlsRequired",
    {P: r("failure", "MicrosoftAdminPortals")},
    {"app_id": AZURE_PORTAL, "resource_id": AZURE_MANAGEMENT},
)
# --- client apps ------------------------------------------------------------------------------
case(
    "client_browser_match",
    "browser policy, browser sign-in",
    [policy(P, clientAppTypes=["browser"])],
    "controlsRequired",
    {P: "failure"},
)
case(
    "client_mobile_desktop_no_match",
    "mobile/desktop policy, browser sign-in",
    [policy(P, clientAppTypes=["mobileAppsAndDesktopClients"])],
    "allowed",
    {P: "notApplied"},
)
case(
    "client_mobile_desktop_match",
    "mobile/desktop policy, desktop sign-in",
    [policy(P, clientAppTypes=["mobileAppsAndDesktopClients"])],
    "controlsRequired",
    {P: "failure"},
    {"client_app": "mobileAppsAndDesktopClients"},
)
case(
    "client_eas_block",
    "block Exchange ActiveSync",
    [policy(P, clientAppTypes=["exchangeActiveSync"], grant=("block",))],
    "blocked",
    {P: r("failure", enforcedGrantControls=["Block"])},
    {"client_app": "exchangeActiveSync"},
)
case(
    "client_legacy_block_other",
    "block legacy auth, IMAP (other) sign-in",
    [policy(P, clientAppTypes=["exchangeActiveSync", "other"], grant=("block",))],
    "blocked",
    {P: "failure"},
    {"client_app": "other"},
)
case(
    "client_legacy_block_browser",
    "block legacy auth, browser sign-in",
    [policy(P, clientAppTypes=["exchangeActiveSync", "other"], grant=("block",))],
    "allowed",
    {P: r("notApplied", "client app type browser")},
)
case(
    "client_all",
    "clientAppTypes all covers legacy",
    [policy(P, clientAppTypes=["all"], grant=("block",))],
    "blocked",
    {P: "failure"},
    {"client_app": "other"},
)
case(
    "client_unknown",
    "client app unknown: missing fact",
    [policy(P, clientAppTypes=["browser"])],
    "controlsRequired",
    {P: r("failure", missing=["client_app"])},
    {"client_app": None},
)
# --- platforms --------------------------------------------------------------------------------
PL = {"includePlatforms": ["android", "iOS"], "excludePlatforms": []}
case(
    "platform_ios_included",
    "iOS included",
    [policy(P, platforms=PL)],
    "controlsRequired",
    {P: "failure"},
    {"platform": "iOS"},
)
case(
    "platform_android_included",
    "android included",
    [policy(P, platforms=PL)],
    "controlsRequired",
    {P: "failure"},
    {"platform": "android"},
)
case(
    "platform_windows_not_included",
    "windows not included",
    [policy(P, platforms=PL)],
    "allowed",
    {P: r("notApplied", "windows")},
)
case(
    "platform_all_exclude_windows",
    "all minus windows, windows sign-in",
    [policy(P, platforms={"includePlatforms": ["all"], "excludePlatforms": ["windows"]})],
    "allowed",
    {P: r("notApplied", "excluded")},
)
case(
    "platform_all_exclude_ios_linux",
    "all minus iOS, linux sign-in",
    [policy(P, platforms={"includePlatforms": ["all"], "excludePlatforms": ["iOS"]})],
    "controlsRequired",
    {P: "failure"},
    {"platform": "linux"},
)
case(
    "platform_macos_windowsphone",
    "macOS and windowsPhone included, windowsPhone sign-in",
    [policy(P, platforms={"includePlatforms": ["macOS", "windowsPhone"]})],
    "controlsRequired",
    {P: "failure"},
    {"platform": "windowsPhone"},
)
case(
    "platform_macos",
    "macOS included, macOS sign-in",
    [policy(P, platforms={"includePlatforms": ["macOS"]})],
    "controlsRequired",
    {P: "failure"},
    {"platform": "macOS"},
)
case(
    "platform_unknown",
    "platform unknown with a platform list: missing fact",
    [policy(P, platforms=PL)],
    "controlsRequired",
    {P: r("failure", missing=["platform"])},
    {"platform": None},
)
case(
    "platform_unknown_all",
    "platform unknown but all platforms included, none excluded",
    [policy(P, platforms={"includePlatforms": ["all"], "excludePlatforms": []})],
    "controlsRequired",
    {P: r("failure", missing=[])},
    {"platform": None},
)
# --- locations --------------------------------------------------------------------------------
OUTSIDE = {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}
case(
    "loc_trusted_excluded_v4",
    "All minus trusted, from HQ (trusted IPv4)",
    [policy(P, locations=OUTSIDE)],
    "allowed",
    {P: r("notApplied", HQ)},
    {"ip_address": "10.1.2.3"},
)
case(
    "loc_untrusted_ip",
    "All minus trusted, from the internet",
    [policy(P, locations=OUTSIDE)],
    "controlsRequired",
    {P: "failure"},
)
case(
    "loc_trusted_excluded_v6",
    "All minus trusted, from the trusted IPv6 branch",
    [policy(P, locations=OUTSIDE)],
    "allowed",
    {P: r("notApplied", BRANCH6)},
    {"ip_address": "2001:db8:1::5"},
)
case(
    "loc_v6_outside",
    "All minus trusted, from another IPv6 address",
    [policy(P, locations=OUTSIDE)],
    "controlsRequired",
    {P: "failure"},
    {"ip_address": "2001:dead::1"},
)
case(
    "loc_named_ip_in",
    "vendor range included, IP inside",
    [policy(P, locations={"includeLocations": [VENDOR], "excludeLocations": []})],
    "controlsRequired",
    {P: r("failure", VENDOR)},
    {"ip_address": "203.0.113.50"},
)
case(
    "loc_named_ip_out",
    "vendor range included, IP outside",
    [policy(P, locations={"includeLocations": [VENDOR], "excludeLocations": []})],
    "allowed",
    {P: "notApplied"},
    {"ip_address": "203.0.114.1"},
)
case(
    "loc_alltrusted_untrusted_named",
    "AllTrusted included; vendor location is not trusted",
    [policy(P, locations={"includeLocations": ["AllTrusted"], "excludeLocations": []})],
    "allowed",
    {P: "notApplied"},
    {"ip_address": "203.0.113.50"},
)
case(
    "loc_alltrusted_included",
    "AllTrusted included, from HQ",
    [policy(P, locations={"includeLocations": ["AllTrusted"], "excludeLocations": []})],
    "controlsRequired",
    {P: r("failure", "AllTrusted")},
    {"ip_address": "10.9.9.9"},
)
case(
    "loc_country_in",
    "US/CA location included, sign-in from CA",
    [policy(P, locations={"includeLocations": [NA], "excludeLocations": []})],
    "controlsRequired",
    {P: "failure"},
    {"country": "CA"},
)
case(
    "loc_country_out",
    "US/CA location included, sign-in from DE",
    [policy(P, locations={"includeLocations": [NA], "excludeLocations": []})],
    "allowed",
    {P: "notApplied"},
    {"country": "DE"},
)
case(
    "loc_country_excluded",
    "All minus US/CA, sign-in from US",
    [policy(P, locations={"includeLocations": ["All"], "excludeLocations": [NA]})],
    "allowed",
    {P: r("notApplied", NA)},
)
case(
    "loc_unknown_country_included",
    "location includes unknown countries; no country",
    [policy(P, grant=("block",), locations={"includeLocations": [RISKY], "excludeLocations": []})],
    "blocked",
    {P: "failure"},
    {"country": None},
)
case(
    "loc_unknown_country_not_included",
    "US/CA excludes unknown countries; no country",
    [policy(P, locations={"includeLocations": [NA], "excludeLocations": []})],
    "allowed",
    {P: "notApplied"},
    {"country": None},
)
case(
    "loc_country_gps",
    "GPS-based country cannot be decided offline",
    [policy(P, locations={"includeLocations": [GPS], "excludeLocations": []})],
    "controlsRequired",
    {P: r("failure", missing=["gpsCountry"])},
    {"country": "FR"},
)
case(
    "loc_ip_missing",
    "no IP address: trusted exclusion undecidable",
    [policy(P, locations=OUTSIDE)],
    "controlsRequired",
    {P: r("failure", missing=["ip_address"])},
    {"ip_address": None},
)
case(
    "loc_unknown_named_location",
    "policy names a location we were not given",
    [policy(P, locations={"includeLocations": ["loc-missing"], "excludeLocations": []})],
    "controlsRequired",
    {P: r("failure", missing=["namedLocation:loc-missing"])},
)
case(
    "loc_reference_ip_named_location",
    "reference ipNamedLocation (verbatim), IPv4 /22 inside",
    [
        policy(
            P,
            locations={
                "includeLocations": ["0854951d-5fc0-4eb1-b392-9b2c9d7949c2"],
                "excludeLocations": [],
            },
        )
    ],
    "controlsRequired",
    {P: "failure"},
    {"ip_address": "12.34.220.5"},
    named_locations=[json.loads((GRAPH / "ipNamedLocation.get.json").read_text())],
)
case(
    "loc_reference_named_location_list",
    "reference namedLocation list (verbatim), trusted v6",
    [policy(P, locations=OUTSIDE)],
    "allowed",
    {P: "notApplied"},
    {"ip_address": "2001:4898:80e8:7::1"},
    named_locations=json.loads((GRAPH / "namedLocation.list.json").read_text())["value"],
)
# --- risk -------------------------------------------------------------------------------------
case(
    "risk_sign_in_high_block",
    "high sign-in risk blocked",
    [policy(P, grant=("block",), signInRiskLevels=["high", "medium"])],
    "blocked",
    {P: "failure"},
    {"sign_in_risk": "high"},
)
case(
    "risk_sign_in_low",
    "low sign-in risk not in [high, medium]",
    [policy(P, grant=("block",), signInRiskLevels=["high", "medium"])],
    "allowed",
    {P: r("notApplied", "sign-in risk low")},
    {"sign_in_risk": "low"},
)
case(
    "risk_sign_in_unknown",
    "sign-in risk unknown: missing fact",
    [policy(P, signInRiskLevels=["high"])],
    "controlsRequired",
    {P: r("failure", missing=["sign_in_risk"])},
    {"sign_in_risk": None},
)
case(
    "risk_user_high",
    "high user risk: MFA and password change",
    [policy(P, grant=("mfa", "passwordChange"), operator="AND", userRiskLevels=["high"])],
    "controlsRequired",
    {P: "failure"},
    {"user_risk": "high"},
    required=["mfa", "passwordChange"],
)
case(
    "risk_user_high_done",
    "high user risk, MFA and password change done",
    [policy(P, grant=("mfa", "passwordChange"), operator="AND", userRiskLevels=["high"])],
    "allowed",
    {P: r("success", enforcedGrantControls=["Mfa", "PasswordChange"])},
    {"user_risk": "high", "satisfied_controls": ["mfa", "passwordChange"]},
)
case(
    "risk_user_low",
    "low user risk not targeted",
    [policy(P, userRiskLevels=["high"])],
    "allowed",
    {P: "notApplied"},
    {"user_risk": "low"},
)
case(
    "risk_user_unknown",
    "user risk unknown",
    [policy(P, userRiskLevels=["high"])],
    "controlsRequired",
    {P: r("failure", missing=["user_risk"])},
    {"user_risk": None},
)


# --- device filters ---------------------------------------------------------------------------
def devices(rule: str, mode: str = "include") -> dict:
    """conditions.devices with a filter."""
    return {"deviceFilter": {"mode": mode, "rule": rule}}


case(
    "device_include_trust_hybrid",
    "include ServerAD devices; device is hybrid joined",
    [policy(P, devices=devices('device.trustType -eq "ServerAD"'))],
    "controlsRequired",
    {P: r("failure", "matches include")},
    {"device": {"trust_type": "Hybrid Azure AD joined", "is_compliant": True}},
)
case(
    "device_exclude_compliant",
    "exclude compliant devices; device compliant",
    [policy(P, devices=devices("device.isCompliant -eq True", "exclude"))],
    "allowed",
    {P: r("notApplied", "exclude")},
    {"device": {"is_compliant": True}},
)
case(
    "device_exclude_noncompliant",
    "exclude compliant devices; device not compliant",
    [policy(P, devices=devices("device.isCompliant -eq True", "exclude"))],
    "controlsRequired",
    {P: "failure"},
)
OPS = [
    ("ne", 'device.trustType -ne "AzureAD"', "notApplied"),
    ("in", 'device.displayName -in ["KIOSK-1", "LAPTOP-42"]', "failure"),
    ("notin", 'device.displayName -notIn ["KIOSK-1", "KIOSK-2"]', "failure"),
    ("startswith", 'device.displayName -startsWith "laptop"', "failure"),
    ("notstartswith", 'device.displayName -notStartsWith "LAPTOP"', "notApplied"),
    ("endswith", 'device.displayName -endsWith "-42"', "failure"),
    ("notendswith", 'device.displayName -notEndsWith "-42"', "notApplied"),
    ("contains", 'device.extensionAttribute1 -contains "emea"', "failure"),
    ("notcontains", 'device.extensionAttribute1 -notContains "emea"', "notApplied"),
    ("eq_string", 'device.extensionAttribute1 -eq "SALES-EMEA"', "failure"),
]
for op, rule, result in OPS:
    case(
        f"device_op_{op}",
        f"include filter using {rule}",
        [policy(P, devices=devices(rule))],
        "controlsRequired" if result == "failure" else "allowed",
        {P: result},
    )
case(
    "device_and_or_parentheses",
    "-and/-or with parentheses",
    [
        policy(
            P,
            devices=devices(
                'device.trustType -eq "ServerAD" -or (device.isCompliant -eq False '
                '-and device.extensionAttribute1 -startsWith "sales")'
            ),
        )
    ],
    "controlsRequired",
    {P: "failure"},
)
case(
    "device_unknown",
    "no device facts: filter undecidable",
    [policy(P, devices=devices('device.trustType -eq "ServerAD"'))],
    "controlsRequired",
    {P: r("failure", missing=["device.trusttype"])},
    {"device": None},
)
case(
    "device_malformed_rule",
    "malformed rule is reported, policy assumed to apply",
    [policy(P, devices=devices('device.trustType -eq "ServerAD" -and'))],
    "controlsRequired",
    {P: r("failure", "malformed", missing=["deviceFilter.rule"])},
)
# --- authentication flows ---------------------------------------------------------------------
FLOW = {"transferMethods": "deviceCodeFlow"}
case(
    "flow_device_code_block",
    "block device code flow",
    [policy(P, grant=("block",), authenticationFlows=FLOW)],
    "blocked",
    {P: "failure"},
    {"authentication_flow": "deviceCodeFlow"},
)
case(
    "flow_none",
    "no transfer method",
    [policy(P, grant=("block",), authenticationFlows=FLOW)],
    "allowed",
    {P: "notApplied"},
)
case(
    "flow_unknown",
    "transfer method unknown",
    [policy(P, grant=("block",), authenticationFlows=FLOW)],
    "blocked",
    {P: r("failure", missing=["authentication_flow"])},
    {"authentication_flow": None},
)
case(
    "flow_auth_transfer",
    "authentication transfer targeted",
    [
        policy(
            P,
            grant=("block",),
            authenticationFlows={"transferMethods": "deviceCodeFlow,authenticationTransfer"},
        )
    ],
    "blocked",
    {P: "failure"},
    {"authentication_flow": "authenticationTransfer"},
)
# --- grant controls ---------------------------------------------------------------------------
case(
    "grant_compliant_ok",
    "compliant device required, device compliant",
    [policy(P, grant=("compliantDevice",))],
    "allowed",
    {P: r("success", enforcedGrantControls=["RequireCompliantDevice"])},
    {"device": {"is_compliant": True}},
)
case(
    "grant_compliant_missing",
    "compliant device required, device not compliant",
    [policy(P, grant=("compliantDevice",))],
    "controlsRequired",
    {P: "failure"},
    required=["compliantDevice"],
)
case(
    "grant_domain_joined_ok",
    "hybrid joined required, Entra hybrid joined device",
    [policy(P, grant=("domainJoinedDevice",))],
    "allowed",
    {P: r("success", enforcedGrantControls=["RequireDomainJoinedDevice"])},
    {"device": {"trust_type": "Microsoft Entra hybrid joined"}},
)
case(
    "grant_domain_joined_serverad",
    "hybrid joined required, ServerAd device",
    [policy(P, grant=("domainJoinedDevice",))],
    "allowed",
    {P: "success"},
    {"device": {"trust_type": "ServerAd"}},
)
case(
    "grant_domain_joined_no",
    "hybrid joined required, Entra joined device",
    [policy(P, grant=("domainJoinedDevice",))],
    "controlsRequired",
    {P: "failure"},
)
case(
    "grant_approved_app",
    "approved client app, satisfied",
    [policy(P, grant=("approvedApplication",))],
    "allowed",
    {P: r("success", enforcedGrantControls=["RequireApprovedApp"])},
    {"satisfied_controls": ["approvedApplication"]},
)
case(
    "grant_compliant_app_missing",
    "app protection policy not met",
    [policy(P, grant=("compliantApplication",))],
    "controlsRequired",
    {P: r("failure", enforcedGrantControls=["RequireCompliantApp"])},
    required=["compliantApplication"],
)
case(
    "grant_password_change",
    "password change done",
    [policy(P, grant=("passwordChange",))],
    "allowed",
    {P: r("success", enforcedGrantControls=["PasswordChange"])},
    {"satisfied_controls": ["passwordChange"]},
)
case(
    "grant_or_one_met",
    "mfa OR compliant device; device compliant",
    [policy(P, grant=("mfa", "compliantDevice"))],
    "allowed",
    {P: "success"},
    {"device": {"is_compliant": True}},
)
case(
    "grant_or_none_met",
    "mfa OR compliant device; neither",
    [policy(P, grant=("mfa", "compliantDevice"))],
    "controlsRequired",
    {P: "failure"},
    required=["mfa", "compliantDevice"],
)
case(
    "grant_and_one_met",
    "mfa AND compliant device; only compliant",
    [policy(P, grant=("mfa", "compliantDevice"), operator="AND")],
    "controlsRequired",
    {P: "failure"},
    {"device": {"is_compliant": True}},
    required=["mfa"],
)
case(
    "grant_and_all_met",
    "mfa AND compliant device; both",
    [policy(P, grant=("mfa", "compliantDevice"), operator="AND")],
    "allowed",
    {P: r("success", enforcedGrantControls=["Mfa", "RequireCompliantDevice"])},
    {"device": {"is_compliant": True}, "satisfied_controls": ["mfa"]},
)
TOU_GRANT = {
    "operator": "OR",
    "builtInControls": [],
    "termsOfUse": [TOU],
    "customAuthenticationFactors": [],
}
case(
    "grant_terms_of_use_met",
    "terms of use accepted",
    [policy(P, grant=TOU_GRANT)],
    "allowed",
    {P: "success"},
    {"satisfied_controls": [f"termsOfUse:{TOU}"]},
)
case(
    "grant_terms_of_use_missing",
    "terms of use not accepted",
    [policy(P, grant=TOU_GRANT)],
    "controlsRequired",
    {P: "failure"},
    required=[f"termsOfUse:{TOU}"],
)
case(
    "strength_mfa_by_mfa",
    "MFA strength met by mfa",
    [policy(P, grant=strength(S_MFA))],
    "allowed",
    {P: r("success", enforcedGrantControls=["RequireAuthenticationStrength"])},
    {"satisfied_controls": ["mfa"]},
)
case(
    "strength_mfa_missing",
    "MFA strength not met",
    [policy(P, grant=strength(S_MFA))],
    "controlsRequired",
    {P: "failure"},
    required=[f"authenticationStrength:{S_MFA}"],
)
case(
    "strength_passwordless_by_phishing_resistant",
    "passwordless met by phishing-resistant",
    [policy(P, grant=strength(S_PWDLESS))],
    "allowed",
    {P: "success"},
    {"satisfied_controls": [f"authenticationStrength:{S_PHISH}"]},
)
case(
    "strength_passwordless_not_by_mfa",
    "passwordless not met by plain mfa",
    [policy(P, grant=strength(S_PWDLESS))],
    "controlsRequired",
    {P: "failure"},
    {"satisfied_controls": ["mfa"]},
)
case(
    "strength_phishing_resistant_ok",
    "phishing-resistant met",
    [policy(P, grant=strength(S_PHISH))],
    "allowed",
    {P: "success"},
    {"satisfied_controls": [f"authenticationStrength:{S_PHISH}"]},
)
case(
    "strength_phishing_resistant_not_by_passwordless",
    "phishing-resistant not met by passwordless",
    [policy(P, grant=strength(S_PHISH))],
    "controlsRequired",
    {P: "failure"},
    {"satisfied_controls": [f"authenticationStrength:{S_PWDLESS}"]},
)
case(
    "strength_satisfies_mfa",
    "mfa control met by a built-in strength",
    [policy(P)],
    "allowed",
    {P: "success"},
    {"satisfied_controls": [f"authenticationStrength:{S_PWDLESS}"]},
)
case(
    "strength_custom",
    "custom strength met only by itself",
    [
        policy(P, grant=strength("custom-strength-1")),
        policy("p2", grant=strength("custom-strength-2")),
    ],
    "controlsRequired",
    {P: "success", "p2": "failure"},
    {"satisfied_controls": ["authenticationStrength:custom-strength-1", "mfa"]},
)
SIF = {
    "signInFrequency": {"value": 4, "type": "hours", "isEnabled": True},
    "persistentBrowser": {"mode": "never", "isEnabled": True},
    "cloudAppSecurity": None,
    "applicationEnforcedRestrictions": None,
}
case(
    "session_only",
    "session controls only",
    [policy(P, grant=None, session=SIF)],
    "allowed",
    {
        P: r(
            "success",
            enforcedGrantControls=[],
            enforcedSessionControls=["SignInFrequency", "PersistentBrowserSessionMode"],
        )
    },
)
case(
    "session_with_grant",
    "grant and session controls",
    [policy(P, session={"applicationEnforcedRestrictions": {"isEnabled": True}})],
    "allowed",
    {P: r("success", enforcedSessionControls=["AppEnforcedRestrictions"])},
    {"satisfied_controls": ["mfa"]},
)
# --- state ------------------------------------------------------------------------------------
RO = "enabledForReportingButNotEnforced"
case(
    "state_disabled",
    "disabled block policy",
    [policy(P, state="disabled", grant=("block",))],
    "allowed",
    {P: r("notEnabled", "disabled")},
)
case(
    "report_only_interrupted",
    "report-only MFA, not done",
    [policy(P, state=RO)],
    "allowed",
    {P: "reportOnlyInterrupted"},
)
case(
    "report_only_success",
    "report-only MFA, done",
    [policy(P, state=RO)],
    "allowed",
    {P: "reportOnlySuccess"},
    {"satisfied_controls": ["mfa"]},
)
case(
    "report_only_block",
    "report-only block",
    [policy(P, state=RO, grant=("block",))],
    "allowed",
    {P: "reportOnlyFailure"},
)
case(
    "report_only_device_failure",
    "report-only compliant device, not compliant",
    [policy(P, state=RO, grant=("compliantDevice",))],
    "allowed",
    {P: "reportOnlyFailure"},
)
case(
    "report_only_not_applied",
    "report-only, user excluded",
    [policy(P, state=RO, users={"excludeUsers": [ALICE]})],
    "allowed",
    {P: "reportOnlyNotApplied"},
)
case(
    "report_only_and_mixed",
    "report-only mfa AND compliant device: device unmet -> failure",
    [policy(P, state=RO, grant=("mfa", "compliantDevice"), operator="AND")],
    "allowed",
    {P: "reportOnlyFailure"},
)
case(
    "report_only_or_mixed",
    "report-only mfa OR compliant device: a prompt would do",
    [policy(P, state=RO, grant=("mfa", "compliantDevice"))],
    "allowed",
    {P: "reportOnlyInterrupted"},
)
case(
    "report_only_terms",
    "report-only terms of use not accepted",
    [policy(P, state=RO, grant=TOU_GRANT)],
    "allowed",
    {P: "reportOnlyInterrupted"},
)
case(
    "report_only_strength",
    "report-only phishing-resistant strength not met",
    [policy(P, state=RO, grant=strength(S_PHISH))],
    "allowed",
    {P: "reportOnlyInterrupted"},
)
# --- combinations -----------------------------------------------------------------------------
case(
    "block_wins",
    "MFA policy met, another policy blocks",
    [policy(P), policy("p2", grant=("block",), clientAppTypes=["browser"])],
    "blocked",
    {P: "success", "p2": r("failure", enforcedGrantControls=["Block"])},
    {"satisfied_controls": ["mfa"]},
)
case(
    "controls_accumulate",
    "two policies: MFA and compliant device both required",
    [policy(P), policy("p2", grant=("compliantDevice",))],
    "controlsRequired",
    {P: "failure", "p2": "failure"},
    required=["mfa", "compliantDevice"],
)
case(
    "report_only_never_changes_outcome",
    "enforced MFA met, report-only block",
    [policy(P), policy("p2", state=RO, grant=("block",))],
    "allowed",
    {P: "success", "p2": "reportOnlyFailure"},
    {"satisfied_controls": ["mfa"]},
)
case("no_policies", "no policies at all", [], "allowed", {})


# --- Graph reference examples, verbatim -------------------------------------------------------
def reference_policies() -> list[dict]:
    """The three policies of the Graph conditionalAccessPolicy examples, verbatim."""
    listed = json.loads((GRAPH / "conditionalAccessPolicy.list.json").read_text())["value"]
    single = json.loads((GRAPH / "conditionalAccessPolicy.get.json").read_text())
    return [*listed, single]


REF_IDS = [
    "ad8d2b4a-8d30-413f-88b8-144c6c8d98d9",
    "c558e346-969d-40a7-a64e-2df6c2c88490",
    "6b5e999b-0ba8-4186-a106-e0296c1c4358",
]
REF_USER = "a702a13d-a437-4a07-8a7e-8c052de62dfd"
case(
    "reference_policies_verbatim",
    "the Graph example policies, all disabled",
    reference_policies(),
    "allowed",
    {pid: "notEnabled" for pid in REF_IDS},
)
enabled = reference_policies()
enabled[2]["state"] = "enabled"
case(
    "reference_policy_enabled",
    "the Graph example policy switched on: applies; excluded "
    "named locations we do not have are reported missing",
    enabled,
    "controlsRequired",
    {
        REF_IDS[0]: "notEnabled",
        REF_IDS[2]: r(
            "failure",
            "included by id",
            missing=["namedLocation:00000000-0000-0000-0000-000000000000"],
        ),
    },
    {
        "user_id": REF_USER,
        "client_app": "other",
        "platform": "android",
        "sign_in_risk": "low",
        "ip_address": "2001:4898:80e8:7::1",
    },
    named_locations=json.loads((GRAPH / "namedLocation.list.json").read_text())["value"],
)
case(
    "reference_policy_enabled_excluded_platform",
    "the Graph example policy, iOS is excluded",
    enabled,
    "allowed",
    {REF_IDS[2]: r("notApplied", "iOS")},
    {"user_id": REF_USER, "client_app": "other", "platform": "iOS", "sign_in_risk": "low"},
)


def main() -> None:
    """Write every case to golden/<name>.json."""
    for old in GOLDEN.glob("*.json"):
        old.unlink()
    for item in CASES:
        name = item.pop("name")
        assert re.fullmatch(r"[a-z0-9_]+", name), name
        path = GOLDEN / f"{name}.json"
        assert not path.exists(), name
        path.write_text(json.dumps(item, indent=2) + "\n")
    print(len(CASES), "cases")


if __name__ == "__main__":
    main()
