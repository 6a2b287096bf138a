"""Conditional Access coverage checks: legacy auth, MFA, risk policies, break-glass, states.

A policy counts only when it covers the whole target (`_coverage`): one narrowed by state,
exclusions, platforms, locations, client apps, device filters or risk levels is named with
what it leaves out, never taken as coverage.
"""

from __future__ import annotations

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.posture import _policies as ca
from idpilot.posture._coverage import Target, coverage
from idpilot.posture.accounts import break_glass_ids
from idpilot.posture.base import (
    Baseline,
    CheckStatus,
    Outcome,
    check,
    failed_if,
    not_applicable,
    passed,
    unknown,
)
from idpilot.posture.cis_controls import cis_control, cis_ids
from idpilot.posture.data import PostureData
from idpilot.posture.privileged_access import HIGHLY_PRIVILEGED_ROLES
from idpilot.security.severity import Severity

ADMINS = Target(roles=frozenset(HIGHLY_PRIVILEGED_ROLES))
"""SCuBA's highly privileged roles: a policy must include all of them (or all users)."""
ALL_USERS = Target()
LEGACY_CLIENTS = Target(client_apps=ca.LEGACY_CLIENT_TYPES)


def _blocks_legacy(policy: dict) -> bool:
    """The policy blocks, and its client apps reach legacy clients."""
    reach = ca.client_app_types(policy) & (ca.LEGACY_CLIENT_TYPES | {"all"})
    return ca.blocks(policy) and bool(reach)


@check(
    "IDP-CA-001",
    "Legacy authentication is blocked",
    Severity.critical,
    Baseline.cisa_scuba,
    "MS.AAD.1.1v1 Legacy authentication SHALL be blocked (CIS 5.2.2.3)",
    "Create an enabled policy for all users and all apps, client apps 'Exchange ActiveSync' "
    "and 'Other clients', granting 'Block access'; exclude only break-glass accounts.",
    controls=("MS.AAD.1.1v1", *cis_ids("5.2.2.3")),
)
def legacy_auth_blocked(data: PostureData) -> Outcome:
    """Passed when an enabled policy blocks legacy clients for all users, it exempts no one
    but break-glass accounts, and no legacy sign-in succeeded; otherwise the users it leaves
    open and the legacy sign-ins that got through are the affected objects."""
    outcome = coverage(data, LEGACY_CLIENTS, _blocks_legacy, "blocks legacy authentication")
    if outcome.status in (CheckStatus.not_applicable, CheckStatus.unknown):
        return outcome
    covered = [
        p
        for p in data.enabled_policies()
        if _blocks_legacy(p) and ca.all_apps(p) and ca.client_app_types(p) & {"all", "other"}
    ]
    emergency = set(break_glass_ids(data))
    open_users = [
        data.user_affected(uid, "excluded from every legacy authentication block")
        for uid, user in data.users.items()
        if user.get("accountEnabled") is not False
        and uid not in emergency
        and not any(ca.applies_to_user(p, uid, data) for p in covered)
    ]
    got_through = [
        Record(
            kind="signIn",
            id=row["sample_id"],
            label=row["upn"] or row["userId"],
            detail=f"{row['successes']} successful legacy sign-ins ({', '.join(row['clients'])})",
            fields={"userPrincipalName": row["upn"], "clientAppUsed": row["clients"]},
        )
        for row in data.legacy_sign_ins
        if row["successes"]
    ]
    attempts = sum(row["attempts"] for row in data.legacy_sign_ins)
    summary = outcome.summary + (
        f"; {attempts} legacy sign-in attempts in the logs, "
        f"{sum(row['successes'] for row in data.legacy_sign_ins)} succeeded"
        if attempts
        else "; no legacy sign-in in the logs"
    )
    if outcome.status is CheckStatus.failed:
        return failed_if(list(outcome.affected) + got_through + open_users, summary)
    if open_users or got_through:
        return failed_if(got_through + open_users, summary)
    return passed(summary, list(outcome.evidence))


@check(
    "IDP-CA-002",
    "MFA is required for administrators",
    Severity.critical,
    Baseline.cis,
    cis_control("5.2.2.1"),
    "Create an enabled policy for the privileged directory roles and all apps requiring MFA "
    "(better: a phishing-resistant authentication strength).",
    controls=cis_ids("5.2.2.1"),
)
def mfa_for_admins(data: PostureData) -> Outcome:
    return coverage(data, ADMINS, ca.requires_mfa, "requires MFA for the highly privileged roles")


@check(
    "IDP-CA-003",
    "MFA is required for all users",
    Severity.high,
    Baseline.cis,
    cis_control("5.2.2.2"),
    "Create an enabled policy for all users and all apps requiring MFA, excluding only "
    "break-glass accounts.",
    controls=("MS.AAD.3.2v2", "MS.AAD.3.2v1", *cis_ids("5.2.2.2")),
)
def mfa_for_all_users(data: PostureData) -> Outcome:
    return coverage(data, ALL_USERS, ca.requires_mfa, "requires MFA for all users")


SIGN_IN_RISK = Target(intended=frozenset({"signInRiskLevels"}))
USER_RISK = Target(intended=frozenset({"userRiskLevels"}))


@check(
    "IDP-CA-004",
    "A sign-in risk policy is enforced",
    Severity.high,
    Baseline.cis,
    cis_control("5.2.2.7") + " (SCuBA MS.AAD.2.3v1)",
    "Create an enabled policy for all users with sign-in risk high (and medium) requiring "
    "MFA, or blocking high risk.",
    controls=cis_ids("5.2.2.7"),
)
def sign_in_risk_policy(data: PostureData) -> Outcome:
    unlicensed = data.settings.without_p2()  # risk-based policies need Identity Protection
    if unlicensed is not None:
        return unlicensed
    return coverage(
        data,
        SIGN_IN_RISK,
        lambda p: (
            "high" in ca.risk_levels(p, "signInRiskLevels") and (ca.blocks(p) or ca.requires_mfa(p))
        ),
        "responds to high sign-in risk",
    )


@check(
    "IDP-CA-005",
    "A user risk policy is enforced",
    Severity.high,
    Baseline.cis,
    cis_control("5.2.2.6") + " (SCuBA MS.AAD.2.1v1)",
    "Create an enabled policy for all users with user risk high requiring a secure password "
    "change (MFA + password change).",
    controls=cis_ids("5.2.2.6"),
)
def user_risk_policy(data: PostureData) -> Outcome:
    unlicensed = data.settings.without_p2()  # risk-based policies need Identity Protection
    if unlicensed is not None:
        return unlicensed
    return coverage(
        data,
        USER_RISK,
        lambda p: (
            "high" in ca.risk_levels(p, "userRiskLevels")
            and (ca.blocks(p) or "passwordChange" in ca.built_in_controls(p))
        ),
        "responds to high user risk",
    )


@check(
    "IDP-CA-006",
    "Break-glass accounts are excluded from every enabled policy",
    Severity.critical,
    Baseline.microsoft,
    "Manage emergency access accounts: exclude them from Conditional Access policies",
    "Exclude both emergency access accounts (or a group holding only them) from every "
    "enabled Conditional Access policy, and monitor their sign-ins.",
)
def break_glass_excluded(data: PostureData) -> Outcome:
    if not data.policies_known:
        return unknown([data.settings.named(Collection.conditional_access_policies.value)])
    accounts = break_glass_ids(data)
    if not accounts:
        return not_applicable("no emergency access account found")
    affected = []
    for policy in data.enabled_policies():
        caught = [uid for uid in accounts if ca.applies_to_user(policy, uid, data)]
        if caught:
            names = ", ".join(data.users[u]["userPrincipalName"] or u for u in caught)
            affected.append(data.policy_affected(policy, f"applies to {names}"))
            affected += [data.user_affected(u, "not excluded") for u in caught]
    return failed_if(affected)


@check(
    "IDP-CA-007",
    "No policy is left in report-only or disabled",
    Severity.low,
    Baseline.microsoft,
    "Conditional Access deployment: move report-only policies to On after review",
    "Review the report-only results (sign-ins with reportOnlyFailure), then turn each "
    "policy on or delete it.",
)
def policies_not_enforced(data: PostureData) -> Outcome:
    if not data.policies_known:
        return unknown([data.settings.named(Collection.conditional_access_policies.value)])
    if not data.policies:
        return not_applicable("no Conditional Access policies in the snapshot")
    return failed_if(
        [data.policy_affected(p, p["state"]) for p in data.policies if p["state"] != "enabled"]
    )


@check(
    "IDP-CA-008",
    "Administrators must use phishing-resistant MFA",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.3.6v1 Phishing-resistant MFA SHALL be required for highly privileged roles",
    "Require the built-in 'Phishing-resistant MFA' authentication strength for the "
    "privileged roles in an enabled policy.",
    controls=("MS.AAD.3.6v1", *cis_ids("5.2.2.5")),
)
def phishing_resistant_for_admins(data: PostureData) -> Outcome:
    return coverage(
        data, ADMINS, ca.requires_phishing_resistant,
        "requires phishing-resistant MFA for the highly privileged roles",
    )  # fmt: skip


@check(
    "IDP-CA-009",
    "Device code flow is blocked",
    Severity.medium,
    Baseline.microsoft,
    "Conditional Access: block authentication flows (device code flow)",
    "Create an enabled policy for all users blocking the device code flow, with exceptions "
    "only for documented devices.",
    controls=("MS.AAD.3.9v1", *cis_ids("5.2.2.12")),
)
def device_code_blocked(data: PostureData) -> Outcome:
    """SCuBA's instruction: all users, all resources, authentication flow device code, block."""
    return coverage(data, DEVICE_CODE, _blocks_device_code, "blocks the device code flow")


@check(
    "IDP-CA-010",
    "Security info registration is protected",
    Severity.medium,
    Baseline.microsoft,
    "Conditional Access: securing security info registration (user action)",
    "Create an enabled policy on the user action 'Register security information' requiring "
    "MFA or a trusted location (new users bootstrap with a Temporary Access Pass).",
)
def security_info_registration(data: PostureData) -> Outcome:
    return coverage(
        data, REGISTRATION, lambda p: ca.requires_mfa(p) or ca.blocks(p),
        "protects security info registration",
    )  # fmt: skip


@check(
    "IDP-CA-011",
    "Azure management requires MFA",
    Severity.high,
    Baseline.microsoft,
    "Conditional Access: require MFA for Azure management",
    "Create an enabled policy for all users on the Azure management app (or "
    "all apps) requiring MFA.",
)
def azure_management_mfa(data: PostureData) -> Outcome:
    return coverage(data, AZURE_MANAGEMENT, ca.requires_mfa, "requires MFA for Azure management")


DEVICE_CODE = Target(intended=frozenset({"authenticationFlows"}))
REGISTRATION = Target(user_action=ca.REGISTER_SECURITY_INFO, intended=frozenset({"locations"}))
"""A registration policy may be blocked outside trusted locations: that is its point."""
AZURE_MANAGEMENT = Target(apps=frozenset({ca.AZURE_MANAGEMENT_APP_ID}))


def _blocks_device_code(policy: dict) -> bool:
    flows = ((policy.get("conditions") or {}).get("authenticationFlows") or {}).get(
        "transferMethods"
    )
    return ca.blocks(policy) and "deviceCodeFlow" in str(flows or "")
