"""Posture at the baselines' depth: every check and every EIDSCA row, with the control ids each
implements, a verdict, what is missing, the affected objects and the fix.

`SCUBA_CONTROLS` is CISA SCuBA's Entra ID baseline as published (`baselines/aad.md`); a test
holds that every control is implemented by a check. The JSON shape is the one CI reads.
"""

from __future__ import annotations

from typing import Any

from idpilot.posture import run_checks
from idpilot.posture.base import CheckResult, CheckStatus
from idpilot.posture.data import PostureData
from idpilot.posture.eidsca import eidsca_results
from idpilot.security.severity import Severity

SCUBA_CONTROLS: dict[str, str] = {
    "MS.AAD.1.1v1": "Legacy authentication SHALL be blocked.",
    "MS.AAD.2.1v1": "Users detected as high risk SHALL be blocked.",
    "MS.AAD.2.2v1": "A notification SHOULD be sent to the administrator when high-risk users "
    "are detected.",
    "MS.AAD.2.3v1": "Sign-ins detected as high risk SHALL be blocked.",
    "MS.AAD.3.1v1": "Phishing-resistant MFA SHALL be enforced for all users.",
    "MS.AAD.3.2v2": "MFA SHALL be enforced for all users.",
    "MS.AAD.3.3v2": "If Microsoft Authenticator is enabled, it SHALL be configured to show "
    "login context information.",
    "MS.AAD.3.4v1": "The Authentication Methods Manage Migration feature SHALL be set to "
    "Migration Complete.",
    "MS.AAD.3.5v2": "The authentication methods SMS, Voice Call, and Email One-Time Passcode "
    "(OTP) SHALL be disabled.",
    "MS.AAD.3.6v1": "Phishing-resistant MFA SHALL be required for highly privileged roles.",
    "MS.AAD.3.7v1": "Managed devices SHOULD be required for authentication.",
    "MS.AAD.3.8v1": "Managed Devices SHOULD be required to register MFA.",
    "MS.AAD.3.9v1": "Device code authentication SHOULD be blocked.",
    "MS.AAD.4.1v1": "Security logs SHALL be sent to the agency's security operations center "
    "for monitoring.",
    "MS.AAD.5.1v1": "Only administrators SHALL be allowed to register applications.",
    "MS.AAD.5.2v1": "User consent to applications SHALL be restricted.",
    "MS.AAD.5.3v1": "An admin consent workflow SHALL be configured for applications.",
    "MS.AAD.5.5v1": "Application Password Addition SHOULD be blocked.",
    "MS.AAD.5.6v1": "Application password lifetime SHOULD be restricted to 180 days or less.",
    "MS.AAD.5.7v1": "Application certificate lifetime SHOULD be restricted to 365 days or less.",
    "MS.AAD.6.1v1": "User passwords SHALL NOT expire.",
    "MS.AAD.7.1v1": "A minimum of two users and a maximum of eight users SHALL be provisioned "
    "with the Global Administrator role.",
    "MS.AAD.7.2v1": "Privileged users SHALL be provisioned with finer-grained roles instead of "
    "Global Administrator.",
    "MS.AAD.7.3v1": "Privileged users SHALL be provisioned cloud-only accounts separate from an "
    "on-premises directory or other federated identity providers.",
    "MS.AAD.7.4v1": "Permanent active role assignments SHALL NOT be allowed for highly "
    "privileged roles.",
    "MS.AAD.7.5v1": "Provisioning users to highly privileged roles SHALL NOT occur outside of a "
    "PAM system.",
    "MS.AAD.7.6v1": "Activation of the Global Administrator role SHALL require approval.",
    "MS.AAD.7.7v1": "Eligible and active highly privileged role assignments SHALL trigger an "
    "alert.",
    "MS.AAD.7.8v1": "User activation of the Global Administrator role SHALL trigger an alert.",
    "MS.AAD.7.9v1": "User activation of other highly privileged roles SHOULD trigger an alert.",
    "MS.AAD.8.1v1": "Guest users SHOULD have limited or restricted access to Microsoft Entra ID "
    "directory objects.",
    "MS.AAD.8.2v1": "Only users with the Guest Inviter role SHOULD be able to invite guest users.",
    "MS.AAD.8.3v1": "Guest invites SHOULD only be allowed to specific external domains that "
    "have been authorized by the agency for legitimate business purposes.",
    "MS.AAD.9.1v1": "Risky AI agents SHALL be blocked.",
}
"""CISA SCuBA Microsoft Entra ID baseline, current versions (MS.AAD.5.4v1 was withdrawn; its
check still names it, as do the checks of the earlier versions of 3.2, 3.3 and 3.5)."""

VERDICTS: dict[CheckStatus, str] = {
    CheckStatus.passed: "pass",
    CheckStatus.failed: "fail",
    CheckStatus.not_applicable: "notApplicable",
    CheckStatus.unknown: "unknown",
}


def baseline_results(data: PostureData) -> list[CheckResult]:
    """Every posture check (failed and worst first), then every EIDSCA row in table order."""
    return run_checks(data) + eidsca_results(data.settings)


def check_json(result: CheckResult) -> dict[str, Any]:
    """One result in the published JSON shape."""
    fix: dict[str, Any] = {"text": result.fix}
    if result.proposal is not None:
        fix["proposal"] = result.proposal
    return {
        "id": result.id,
        "title": result.title,
        "controls": list(result.controls),
        "verdict": VERDICTS[result.status],
        "missing": list(result.missing),
        "affected": [{"kind": a.kind, "id": a.id, "name": a.label} for a in result.affected],
        "fix": fix,
    }


def baseline_json(results: list[CheckResult]) -> dict[str, Any]:
    """`{"checks": [...]}` for CI and other tools."""
    return {"checks": [check_json(r) for r in results]}


def failing_at_or_above(results: list[CheckResult], floor: Severity) -> list[CheckResult]:
    """Failed results of severity `floor` or worse (critical is worse than high)."""
    return [r for r in results if r.status is CheckStatus.failed and r.severity.rank <= floor.rank]


def controls_covered(results: list[CheckResult], prefix: str) -> set[str]:
    """The control ids with `prefix` (`MS.AAD.`, `EIDSCA.`, `CIS.`) some result implements."""
    return {c for r in results for c in r.controls if c.startswith(prefix)}
