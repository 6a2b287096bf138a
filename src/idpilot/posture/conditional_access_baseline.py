"""The CISA SCuBA Conditional Access controls the older checks do not decide as written.

Each follows the baseline's implementation instructions (users, target resources, conditions,
grant) and counts a policy only when it covers the whole target (`_coverage`).
"""

from __future__ import annotations

from idpilot.posture import _policies as ca
from idpilot.posture._coverage import Target, coverage
from idpilot.posture.base import Baseline, Outcome, check
from idpilot.posture.cis_controls import cis_ids
from idpilot.posture.data import PostureData
from idpilot.security.severity import Severity

ALL_USERS = Target()
USER_RISK = Target(intended=frozenset({"userRiskLevels"}))
SIGN_IN_RISK = Target(intended=frozenset({"signInRiskLevels"}))
REGISTRATION = Target(user_action=ca.REGISTER_SECURITY_INFO)
HIGH = "high"
ALL_AGENTS = "All"


@check(
    "IDP-CA-012",
    "Users detected as high risk are blocked",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.2.1v1 Users detected as high risk SHALL be blocked",
    "Create an enabled policy for all users and all resources, user risk High, granting "
    "'Block access'; exclude only break-glass accounts.",
)
def high_risk_users_blocked(data: PostureData) -> Outcome:
    """A block on user risk high, whole; without Entra ID P2 the control does not apply."""
    unlicensed = data.settings.without_p2()
    if unlicensed is not None:
        return unlicensed
    return coverage(
        data, USER_RISK, lambda p: HIGH in ca.risk_levels(p, "userRiskLevels") and ca.blocks(p),
        "blocks users at high risk",
    )  # fmt: skip


@check(
    "IDP-CA-013",
    "Sign-ins detected as high risk are blocked",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.2.3v1 Sign-ins detected as high risk SHALL be blocked",
    "Create an enabled policy for all users and all resources, sign-in risk High, granting "
    "'Block access'; exclude only break-glass accounts.",
)
def high_risk_sign_ins_blocked(data: PostureData) -> Outcome:
    """A block on sign-in risk high, whole; without Entra ID P2 the control does not apply."""
    unlicensed = data.settings.without_p2()
    if unlicensed is not None:
        return unlicensed
    return coverage(
        data,
        SIGN_IN_RISK,
        lambda p: HIGH in ca.risk_levels(p, "signInRiskLevels") and ca.blocks(p),
        "blocks sign-ins at high risk",
    )  # fmt: skip


@check(
    "IDP-CA-014",
    "Phishing-resistant MFA is enforced for all users",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.3.1v1 Phishing-resistant MFA SHALL be enforced for all users",
    "Create an enabled policy for all users and all resources requiring the authentication "
    "strength 'Phishing-resistant MFA'; exclude only break-glass accounts.",
)
def phishing_resistant_for_all(data: PostureData) -> Outcome:
    """An authentication strength of phishing-resistant methods only, for everyone."""
    return coverage(
        data, ALL_USERS, ca.requires_phishing_resistant,
        "requires phishing-resistant MFA for all users",
    )  # fmt: skip


@check(
    "IDP-CA-015",
    "Managed devices are required for authentication",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.3.7v1 Managed devices SHOULD be required for authentication",
    "Create an enabled policy for all users and all resources granting access only with a "
    "compliant or Microsoft Entra hybrid joined device (require one of the selected controls).",
    controls=("MS.AAD.3.7v1", *cis_ids("5.2.2.9")),
)
def managed_devices_required(data: PostureData) -> Outcome:
    """A compliant or hybrid joined device required (no MFA alternative), for everyone."""
    return coverage(
        data, ALL_USERS, ca.requires_managed_device, "requires a managed device for all users"
    )


@check(
    "IDP-CA-016",
    "Managed devices are required to register MFA",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.3.8v1 Managed Devices SHOULD be required to register MFA",
    "Create an enabled policy for all users on the user action 'Register security "
    "information' granting access only with a compliant or hybrid joined device.",
    controls=("MS.AAD.3.8v1", *cis_ids("5.2.2.10")),
)
def managed_devices_for_registration(data: PostureData) -> Outcome:
    """The user action `registersecurityinfo` gated on a managed device, for everyone."""
    return coverage(
        data, REGISTRATION, ca.requires_managed_device,
        "requires a managed device to register security information",
    )  # fmt: skip


@check(
    "IDP-CA-017",
    "Risky AI agents are blocked",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.9.1v1 Risky AI agents SHALL be blocked",
    "Create an enabled policy for all agent identities and all resources, agent risk High, "
    "granting 'Block access'.",
)
def risky_agents_blocked(data: PostureData) -> Outcome:
    """A block for all agent identities at agent risk high (P2); the users condition does
    not apply to agents, so only resources and other conditions can narrow it."""
    unlicensed = data.settings.without_p2()
    if unlicensed is not None:
        return unlicensed

    def blocks_risky_agents(policy: dict) -> bool:
        agents = (policy.get("conditions") or {}).get("clientApplications") or {}
        return (
            ca.blocks(policy)
            and HIGH in ca.risk_levels(policy, "agentIdRiskLevels")
            and ALL_AGENTS in (agents.get("includeAgentIdServicePrincipals") or [])
        )

    return coverage(data, AGENTS, blocks_risky_agents, "blocks agent identities at high risk")


AGENTS = Target(
    intended=frozenset({"agentIdRiskLevels", "clientApplications", "users"}),
)
