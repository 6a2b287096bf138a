"""Authentication method checks over userRegistrationDetails."""

from __future__ import annotations

from idpilot.posture.base import Baseline, Outcome, check, failed_if, not_applicable
from idpilot.posture.data import PostureData
from idpilot.security.severity import Severity

WEAK_METHODS = frozenset({"mobilePhone", "alternateMobilePhone", "officePhone", "email"})
"""SMS, voice and email: phishable and SIM-swappable second factors."""


def _enabled_members(data: PostureData) -> list[str]:
    return sorted(
        uid
        for uid, user in data.users.items()
        if user["accountEnabled"] is not False and uid in data.registrations
    )


@check(
    "IDP-MFA-001",
    "Every enabled user is registered for MFA",
    Severity.high,
    Baseline.cis,
    "5.2.2.2 Ensure multifactor authentication is enabled for all users",
    "Run an MFA registration campaign (Authenticator) and require MFA registration with a "
    "Conditional Access policy or the registration campaign nudge.",
    controls=("CIS.5.2.3.4",),
)
def users_without_mfa(data: PostureData) -> Outcome:
    users = _enabled_members(data)
    if not users:
        return not_applicable("no registration details in the snapshot")
    return failed_if(
        [data.user_affected(uid) for uid in users if not data.registrations[uid]["isMfaRegistered"]]
    )


@check(
    "IDP-MFA-002",
    "No user relies only on SMS, voice or email",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.3.5v1 The authentication methods SMS, Voice Call, and Email One-Time Passcode "
    "(OTP) SHALL be disabled",
    "Move these users to Microsoft Authenticator or a passkey, then disable SMS and voice in "
    "the authentication methods policy.",
    controls=(),
)
def users_with_only_weak_methods(data: PostureData) -> Outcome:
    users = _enabled_members(data)
    if not users:
        return not_applicable("no registration details in the snapshot")
    affected = []
    for uid in users:
        methods = set(data.registrations[uid]["methodsRegistered"]) - {"password"}
        if methods and methods <= WEAK_METHODS:
            affected.append(data.user_affected(uid, "methods: " + ", ".join(sorted(methods))))
    return failed_if(affected)
