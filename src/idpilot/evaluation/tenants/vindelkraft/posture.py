"""Registration details, stale and break-glass accounts, workflows, organisation and domains."""

from __future__ import annotations

from datetime import timedelta

from idpilot.evaluation.tenants.vindelkraft._core import (
    CAPTURED,
    DOMAIN,
    INITIAL_DOMAIN,
    TENANT_ID,
    Record,
    Tenant,
    iso,
)

STRONG = ["microsoftAuthenticatorPush", "softwareOneTimePasscode"]
STALE_SIGN_IN = "2026-06-30T07:12:44Z"


def _registration(tenant: Tenant, user: Record, methods: list[str], admin: bool) -> Record:
    preferred = {
        "microsoftAuthenticatorPush": "push",
        "mobilePhone": "sms",
        "fido2": "none",
        "softwareOneTimePasscode": "oath",
    }
    mfa = bool(methods)
    return tenant.add(
        "userRegistrationDetails",
        {
            "id": user["id"],
            "userPrincipalName": user["userPrincipalName"],
            "userDisplayName": user["displayName"],
            "userType": "guest" if user.get("userType") == "Guest" else "member",
            "isAdmin": admin,
            "isSsprRegistered": mfa,
            "isSsprEnabled": True,
            "isSsprCapable": mfa,
            "isMfaRegistered": mfa,
            "isMfaCapable": mfa,
            "isPasswordlessCapable": "fido2" in methods,
            "isSystemPreferredAuthenticationMethodEnabled": True,
            "methodsRegistered": methods,
            "systemPreferredAuthenticationMethods": ["push"]
            if "microsoftAuthenticatorPush" in methods
            else (["sms"] if methods else []),
            "userPreferredMethodForSecondaryAuthentication": preferred.get(
                methods[0] if methods else "", "none"
            ),
            "lastUpdatedDateTime": iso(CAPTURED - timedelta(days=2)),
        },
    )


def build_registration(tenant: Tenant) -> None:
    """Methods per user: most use Authenticator, a few have nothing, one admin only SMS."""
    rng = tenant.rng
    admins = {a["principalId"] for a in tenant.records("roleAssignments")}
    tier0 = {
        m["id"]
        for g in tenant.records("groups")
        if g["displayName"] == "Tier0 Admins"
        for m in g["members"]
    }
    admins |= tier0
    lukasz = tenant.user("lukasz")
    unregistered: list[Record] = []
    for user in tenant.records("users"):
        admin = user["id"] in admins
        if user["id"] == lukasz["id"]:
            methods = ["mobilePhone"]
        elif user["displayName"].startswith("Break Glass"):
            methods = ["fido2"]
        elif (
            user["id"] == tenant.user("new3")["id"] or user["id"] == tenant.user("svc_scada")["id"]
        ):
            methods = []
        elif admin:
            methods = ["microsoftAuthenticatorPush", "fido2"]
        elif user.get("department") and rng.random() < 0.05:
            methods = []
        else:
            methods = list(STRONG) if rng.random() < 0.8 else ["mobilePhone", "email"]
        record = _registration(tenant, user, methods, admin)
        if not methods:
            unregistered.append(record)
    tenant.scenario(
        "admin_sms_only",
        "An administrator whose only method is SMS",
        {"user": lukasz["displayName"], "user_id": lukasz["id"], "role": "User Administrator"},
        {"methods": ["mobilePhone"]},
        {"userRegistrationDetails": [lukasz["id"]]},
    )
    tenant.scenario(
        "no_mfa_registered",
        "Users with no authentication method registered",
        {"users": [r["userDisplayName"] for r in unregistered]},
        {"count": len(unregistered)},
        {"userRegistrationDetails": [r["id"] for r in unregistered]},
    )


def stale_account(tenant: Tenant) -> None:
    """Björn has not signed in since June but is enabled and licensed."""
    bjorn = tenant.user("bjorn")
    bjorn["signInActivity"] = {
        "lastSignInDateTime": STALE_SIGN_IN,
        "lastSignInRequestId": tenant.new_id(),
        "lastNonInteractiveSignInDateTime": None,
        "lastNonInteractiveSignInRequestId": None,
        "lastSuccessfulSignInDateTime": STALE_SIGN_IN,
        "lastSuccessfulSignInRequestId": tenant.new_id(),
    }
    tenant.scenario(
        "stale_account",
        "Enabled, licensed member with no sign-in since 30 June",
        {"user": bjorn["displayName"], "user_id": bjorn["id"]},
        {
            "last_sign_in": STALE_SIGN_IN,
            "days_since": (CAPTURED.date() - CAPTURED.date().replace(month=6, day=30)).days,
        },
        {"user": [bjorn["id"]]},
    )


def break_glass(tenant: Tenant) -> None:
    """Break Glass 02 is excluded from every policy but the country block."""
    bg2 = tenant.user("breakglass02")
    policy = tenant.planted["policy:country_block"]
    tenant.scenario(
        "breakglass_not_excluded",
        "An emergency account not excluded from one block policy",
        {
            "user": bg2["displayName"],
            "user_id": bg2["id"],
            "policy": policy["displayName"],
            "excluded_account": tenant.user("breakglass01")["displayName"],
        },
        {"policies_missing_exclusion": 1},
        {"conditionalAccessPolicy": [policy["id"]], "user": [bg2["id"]]},
    )


def build_governance(tenant: Tenant) -> None:
    """Joiner and leaver workflows (no mover), the organisation and its domains."""
    created = CAPTURED - timedelta(days=300)
    for category, name, enabled, trigger in (
        ("joiner", "Onboard new hires (Malmö, München, Kraków)", True, "employeeHireDate"),
        ("leaver", "Offboarding: disable and remove licences", True, "employeeLeaveDateTime"),
    ):
        tenant.add(
            "lifecycleWorkflows",
            {
                "id": tenant.new_id(),
                "category": category,
                "displayName": name,
                "description": f"{category.title()} tasks for Vindelkraft staff",
                "isEnabled": enabled,
                "isSchedulingEnabled": enabled,
                "version": 3 if category == "joiner" else 1,
                "createdDateTime": iso(created),
                "lastModifiedDateTime": iso(created + timedelta(days=40)),
                "deletedDateTime": None,
                "nextScheduleRunDateTime": iso(CAPTURED + timedelta(hours=3)),
                "executionConditions": {
                    "@odata.type": "#microsoft.graph.identityGovernance."
                    "triggerAndScopeBasedConditions",
                    "scope": {
                        "@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet",
                        "rule": "(department ne 'Field Service')",
                    },
                    "trigger": {
                        "@odata.type": "#microsoft.graph.identityGovernance."
                        "timeBasedAttributeTrigger",
                        "timeBasedAttribute": trigger,
                        "offsetInDays": 0,
                    },
                },
                "tasks": [
                    {
                        "id": tenant.new_id(),
                        "category": category,
                        "continueOnError": False,
                        "description": "Send welcome email"
                        if category == "joiner"
                        else "Disable user account",
                        "displayName": "Send Welcome Email"
                        if category == "joiner"
                        else "Disable User Account",
                        "executionSequence": 1,
                        "isEnabled": True,
                        "taskDefinitionId": "70b29d51-b59a-4773-9280-8841dfd3f2ea"
                        if category == "joiner"
                        else "1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950",
                        "arguments": [],
                    },
                ],
            },
        )
    tenant.add(
        "organization",
        {
            "id": TENANT_ID,
            "displayName": "Vindelkraft AB",
            "tenantType": "AAD",
            "countryLetterCode": "SE",
            "createdDateTime": iso(CAPTURED - timedelta(days=2300)),
            "onPremisesSyncEnabled": None,
            "verifiedDomains": [
                {
                    "capabilities": "Email, OfficeCommunicationsOnline",
                    "isDefault": True,
                    "isInitial": False,
                    "name": DOMAIN,
                    "type": "Managed",
                },
                {
                    "capabilities": "Email, OfficeCommunicationsOnline",
                    "isDefault": False,
                    "isInitial": True,
                    "name": INITIAL_DOMAIN,
                    "type": "Managed",
                },
            ],
        },
    )
    for name, default, initial in ((DOMAIN, True, False), (INITIAL_DOMAIN, False, True)):
        tenant.add(
            "domains",
            {
                "id": name,
                "authenticationType": "Managed",
                "isAdminManaged": True,
                "isDefault": default,
                "isInitial": initial,
                "isRoot": True,
                "isVerified": True,
                "supportedServices": ["Email", "OfficeCommunicationsOnline"],
                "passwordValidityPeriodInDays": 2147483647,
                "passwordNotificationWindowInDays": 14,
            },
        )
