"""Tenant-level objects: organization, domains, lifecycle workflows, MFA registration details."""

from __future__ import annotations

import random

from .ids import CAPTURED_AT, days_before, guid, iso
from .tenant import DOMAIN, INITIAL_DOMAIN, Tenant


def build_organization(tenant: Tenant) -> None:
    tenant.organization.append(
        {
            "id": tenant.tenant_id,
            "deletedDateTime": None,
            "businessPhones": ["+1 425 555 0100"],
            "city": "Seattle",
            "country": "United States",
            "countryLetterCode": "US",
            "createdDateTime": "2019-03-14T16:22:05Z",
            "displayName": "Contoso",
            "onPremisesSyncEnabled": None,
            "postalCode": "98101",
            "preferredLanguage": "en",
            "state": "WA",
            "street": "1 Contoso Way",
            "tenantType": "AAD",
            "technicalNotificationMails": [f"it-alerts@{DOMAIN}"],
            "securityComplianceNotificationMails": [f"security@{DOMAIN}"],
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
        }
    )
    for name, default, initial in ((DOMAIN, True, False), (INITIAL_DOMAIN, False, True)):
        tenant.domains.append(
            {
                "id": name,
                "authenticationType": "Managed",
                "availabilityStatus": None,
                "isAdminManaged": True,
                "isDefault": default,
                "isInitial": initial,
                "isRoot": True,
                "isVerified": True,
                "passwordNotificationWindowInDays": 14,
                "passwordValidityPeriodInDays": 2147483647,
                "supportedServices": ["Email", "OfficeCommunicationsOnline"],
            }
        )


WORKFLOWS = (
    (
        "joiner",
        "Onboard pre-hire employee",
        "Configure pre-hire tasks for onboarding employees before their first day",
        True,
        True,
    ),
    (
        "joiner",
        "Onboard new hire employee",
        "Configure new hire tasks for onboarding employees on their first day",
        True,
        True,
    ),
    (
        "joiner",
        "Onboard contractors (draft)",
        "Tasks for contractors on their first day",
        False,
        False,
    ),
    (
        "leaver",
        "Real-time employee termination",
        "Execute real-time termination tasks for employees on their last day of work",
        True,
        False,
    ),
    (
        "leaver",
        "Post-offboarding of an employee",
        "Configure offboarding tasks for employees after their last day of work",
        True,
        True,
    ),
    (
        "mover",
        "Employee job profile change",
        "Tasks when an employee changes department",
        True,
        True,
    ),
)


def build_workflows(rng: random.Random, tenant: Tenant) -> None:
    for category, name, description, enabled, scheduled in WORKFLOWS:
        created = days_before(rng.uniform(200, 700))
        tenant.workflows.append(
            {
                "category": category,
                "description": description,
                "displayName": name,
                "lastModifiedDateTime": iso(days_before(rng.uniform(20, 190))),
                "createdDateTime": iso(created),
                "id": guid(rng),
                "isEnabled": enabled,
                "isSchedulingEnabled": scheduled,
                "version": rng.randint(1, 9),
            }
        )


def build_registration_details(
    rng: random.Random, tenant: Tenant, methods: dict[str, str], admins: set[str]
) -> None:
    """userRegistrationDetails; `methods` maps user id -> the MFA method used in sign-ins."""
    weak_admin = tenant.personas["admin_without_phishing_resistant_mfa"]["id"]
    strong = {tenant.personas["it_admin"]["id"]}
    for user in tenant.users:
        uid = user["id"]
        guest = user["userType"] == "Guest"
        method = methods.get(uid)
        registered: list[str] = []
        if uid == weak_admin:
            registered = ["microsoftAuthenticatorPush", "softwareOneTimePasscode", "mobilePhone"]
        elif uid in strong:
            registered = ["fido2", "microsoftAuthenticatorPush", "windowsHelloForBusiness"]
        elif method:
            registered = [method]
            if method != "microsoftAuthenticatorPush" and rng.random() < 0.6:
                registered.append("microsoftAuthenticatorPush")
            if rng.random() < 0.4:
                registered.append("mobilePhone")
            if not guest and rng.random() < 0.3:
                registered.append("email")
        elif not guest and user["accountEnabled"] and rng.random() < 0.5:
            registered = ["microsoftAuthenticatorPush"]
        mfa = [m for m in registered if m != "email"]
        passwordless = any(m in registered for m in ("fido2", "windowsHelloForBusiness"))
        preferred = {
            "microsoftAuthenticatorPush": "push",
            "softwareOneTimePasscode": "oath",
            "mobilePhone": "sms",
            "fido2": "push" if "microsoftAuthenticatorPush" in registered else "none",
            "windowsHelloForBusiness": "push"
            if "microsoftAuthenticatorPush" in registered
            else "none",
        }
        first = registered[0] if registered else None
        tenant.registration_details.append(
            {
                "id": uid,
                "userPrincipalName": user["userPrincipalName"],
                "userDisplayName": user["displayName"],
                "isAdmin": uid in admins,
                "isSsprRegistered": bool(mfa) and not guest,
                "isSsprEnabled": not guest,
                "isSsprCapable": bool(mfa) and not guest,
                "isMfaRegistered": bool(mfa),
                "isMfaCapable": bool(mfa),
                "isPasswordlessCapable": passwordless,
                "lastUpdatedDateTime": iso(CAPTURED_AT),
                "methodsRegistered": registered,
                "isSystemPreferredAuthenticationMethodEnabled": True,
                "systemPreferredAuthenticationMethods": (
                    ["Fido2"] if "fido2" in registered else (["push"] if mfa else [])
                ),
                "userPreferredMethodForSecondaryAuthentication": preferred.get(first, "none")
                if first
                else "none",
                "defaultMfaMethod": preferred.get(first, "none") if first else "none",
                "userType": "guest" if guest else "member",
            }
        )


def admin_ids(tenant: Tenant) -> set[str]:
    """Users holding any directory role, directly or through a role-assignable group."""
    groups = {g["id"]: g for g in tenant.groups}
    admins: set[str] = set()
    for assignment in tenant.role_assignments:
        pid = assignment["principalId"]
        if pid in groups:
            admins |= {m["id"] for m in groups[pid]["members"]}
        else:
            admins.add(pid)
    return admins
