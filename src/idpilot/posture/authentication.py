"""Authentication method checks over userRegistrationDetails."""

from __future__ import annotations

from idpilot.model.collections import Collection
from idpilot.posture.base import Baseline, Outcome, check, failed_if, not_applicable, unknown
from idpilot.posture.cis_controls import cis_control, cis_ids
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
    "Every enabled member user is MFA capable",
    Severity.high,
    Baseline.cis,
    cis_control("5.2.3.4"),
    "Run an MFA registration campaign (Authenticator) and require MFA registration with a "
    "Conditional Access policy or the registration campaign nudge; a user registered only for "
    "methods the authentication methods policy disables is not capable.",
    controls=cis_ids("5.2.3.4"),
)
def users_without_mfa(data: PostureData) -> Outcome:
    """CIS 5.2.3.4 as audited: enabled members whose registration report says not MFA capable
    (`isMfaCapable`: registered for a strong method the policy allows); guests are the
    inviting tenant's concern. A member the report does not cover leaves the check undecided."""
    members = sorted(
        uid
        for uid, user in data.users.items()
        if user["accountEnabled"] is not False and user["userType"] != "Guest"
    )
    if not members:
        return not_applicable("no enabled member users in the snapshot")
    affected = [
        data.user_affected(uid, "not MFA capable")
        for uid in members
        if uid in data.registrations and data.registrations[uid]["isMfaCapable"] is not True
    ]
    uncovered = [uid for uid in members if uid not in data.registrations]
    if affected or not uncovered:
        return failed_if(affected, f"{len(members) - len(uncovered)} members in the report")
    return unknown(
        [Collection.user_registration_details.value],
        f"{len(uncovered)} enabled members have no row in userRegistrationDetails",
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
