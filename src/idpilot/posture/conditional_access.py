"""Conditional Access coverage checks: legacy auth, MFA, risk policies, break-glass, states."""

from __future__ import annotations

from idpilot.model.records import Record
from idpilot.posture import _policies as ca
from idpilot.posture.accounts import break_glass_ids
from idpilot.posture.base import (
    Baseline,
    CheckStatus,
    Outcome,
    check,
    failed_if,
    not_applicable,
    passed,
)
from idpilot.posture.data import PostureData
from idpilot.security.privileged_roles import GLOBAL_ADMINISTRATOR
from idpilot.security.severity import Severity

_TENANT = Record(kind="tenant", id="tenant", label="tenant", detail="no matching policy")


def _no_policy(data: PostureData, covered: list[dict], what: str) -> Outcome:
    """Passed when an enabled policy does `what` (the policies cited as the evidence)."""
    if not data.policies and not data.users:
        return not_applicable("no Conditional Access policies or users in the snapshot")
    if not covered:
        return failed_if([_TENANT], f"no enabled policy {what}")
    return passed(what, [data.policy_affected(p, what) for p in covered])


def _targets_admins(policy: dict) -> bool:
    """Whether a policy reaches Global Administrators (all users, or the role itself)."""
    return ca.includes_all_users(policy) or GLOBAL_ADMINISTRATOR in (
        ca.users_condition(policy).get("includeRoles") or []
    )


@check(
    "IDP-CA-001",
    "Legacy authentication is blocked",
    Severity.critical,
    Baseline.cisa_scuba,
    "MS.AAD.1.1v1 Legacy authentication SHALL be blocked (CIS 5.2.2.3)",
    "Create an enabled policy for all users and all apps, client apps 'Exchange ActiveSync' "
    "and 'Other clients', granting 'Block access'; exclude only break-glass accounts.",
)
def legacy_auth_blocked(data: PostureData) -> Outcome:
    """Passed when an enabled policy blocks legacy clients for all users, it exempts no one
    but break-glass accounts, and no legacy sign-in succeeded; otherwise the users it leaves
    open and the legacy sign-ins that got through are the affected objects."""
    covered = [
        p
        for p in data.enabled_policies()
        if (
            ca.blocks(p)
            and ca.includes_all_users(p)
            and ca.all_apps(p)
            and ca.client_app_types(p) >= ca.LEGACY_CLIENT_TYPES
        )
    ]
    outcome = _no_policy(data, covered, "blocks legacy authentication for all users")
    if outcome.status is not CheckStatus.passed:
        return outcome
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
    if open_users or got_through:
        return failed_if(got_through + open_users, summary)
    return passed(summary, list(outcome.evidence))


@check(
    "IDP-CA-002",
    "MFA is required for administrators",
    Severity.critical,
    Baseline.cis,
    "5.2.2.1 Ensure multifactor authentication is enabled for all users in administrative roles",
    "Create an enabled policy for the privileged directory roles and all apps requiring MFA "
    "(better: a phishing-resistant authentication strength).",
)
def mfa_for_admins(data: PostureData) -> Outcome:
    covered = [
        p
        for p in data.enabled_policies()
        if (ca.requires_mfa(p) and ca.all_apps(p) and _targets_admins(p))
    ]
    return _no_policy(data, covered, "requires MFA for Global Administrators on all apps")


@check(
    "IDP-CA-003",
    "MFA is required for all users",
    Severity.high,
    Baseline.cis,
    "5.2.2.2 Ensure multifactor authentication is enabled for all users",
    "Create an enabled policy for all users and all apps requiring MFA, excluding only "
    "break-glass accounts.",
)
def mfa_for_all_users(data: PostureData) -> Outcome:
    covered = [
        p
        for p in data.enabled_policies()
        if (ca.requires_mfa(p) and ca.all_apps(p) and ca.includes_all_users(p))
    ]
    return _no_policy(data, covered, "requires MFA for all users")


def _risk_levels(policy: dict, key: str) -> set[str]:
    return set((policy.get("conditions") or {}).get(key) or [])


@check(
    "IDP-CA-004",
    "A sign-in risk policy is enforced",
    Severity.high,
    Baseline.cis,
    "5.2.2.7 Enable Identity Protection sign-in risk policies (SCuBA MS.AAD.2.3v1)",
    "Create an enabled policy for all users with sign-in risk high (and medium) requiring "
    "MFA, or blocking high risk.",
)
def sign_in_risk_policy(data: PostureData) -> Outcome:
    unlicensed = data.settings.without_p2()  # risk-based policies need Identity Protection
    if unlicensed is not None:
        return unlicensed
    covered = [
        p
        for p in data.enabled_policies()
        if (
            _risk_levels(p, "signInRiskLevels") & {"high", "medium"}
            and ca.includes_all_users(p)
            and (ca.blocks(p) or ca.requires_mfa(p))
        )
    ]
    return _no_policy(data, covered, "responds to sign-in risk")


@check(
    "IDP-CA-005",
    "A user risk policy is enforced",
    Severity.high,
    Baseline.cis,
    "5.2.2.6 Enable Identity Protection user risk policies (SCuBA MS.AAD.2.1v1)",
    "Create an enabled policy for all users with user risk high requiring a secure password "
    "change (MFA + password change).",
)
def user_risk_policy(data: PostureData) -> Outcome:
    unlicensed = data.settings.without_p2()  # risk-based policies need Identity Protection
    if unlicensed is not None:
        return unlicensed
    covered = [
        p
        for p in data.enabled_policies()
        if (
            "high" in _risk_levels(p, "userRiskLevels")
            and ca.includes_all_users(p)
            and (ca.blocks(p) or "passwordChange" in ca.built_in_controls(p))
        )
    ]
    return _no_policy(data, covered, "responds to user risk")


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
)
def phishing_resistant_for_admins(data: PostureData) -> Outcome:
    covered = [
        p
        for p in data.enabled_policies()
        if ca.requires_phishing_resistant(p) and _targets_admins(p)
    ]
    return _no_policy(data, covered, "requires phishing-resistant MFA for administrators")


@check(
    "IDP-CA-009",
    "Device code flow is blocked",
    Severity.medium,
    Baseline.microsoft,
    "Conditional Access: block authentication flows (device code flow)",
    "Create an enabled policy for all users blocking the device code flow, with exceptions "
    "only for documented devices.",
)
def device_code_blocked(data: PostureData) -> Outcome:
    covered = [
        p
        for p in data.enabled_policies()
        if (
            ca.blocks(p)
            and ca.includes_all_users(p)
            and "deviceCodeFlow"
            in str(
                ((p.get("conditions") or {}).get("authenticationFlows") or {}).get(
                    "transferMethods"
                )
                or ""
            )
        )
    ]
    return _no_policy(data, covered, "blocks the device code flow")


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
    covered = [
        p
        for p in data.enabled_policies()
        if (
            ca.REGISTER_SECURITY_INFO
            in (ca.applications_condition(p).get("includeUserActions") or [])
            and (ca.requires_mfa(p) or ca.blocks(p))
        )
    ]
    return _no_policy(data, covered, "protects security info registration")


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
    covered = [
        p
        for p in data.enabled_policies()
        if (
            ca.requires_mfa(p)
            and ca.includes_all_users(p)
            and (
                ca.all_apps(p)
                or ca.AZURE_MANAGEMENT_APP_ID
                in (ca.applications_condition(p).get("includeApplications") or [])
            )
        )
    ]
    return _no_policy(data, covered, "requires MFA for Azure management")
