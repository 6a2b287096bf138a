"""The CIS Microsoft 365 Foundations Conditional Access controls that no SCuBA control decides.

Numbers and titles are the CIS Microsoft 365 Foundations Benchmark v5.0.0's, section 5.2.2, as
`cis_controls` holds them (with the open sources they were verified against; v4.0.0 numbered
5.2.2.8 to 5.2.2.11 differently). Each policy counts only when it covers the whole target
(`_coverage`: enabled, all users or every role asked, all resources or the app asked, nothing
narrowed).
"""

from __future__ import annotations

from typing import Any

from idpilot.posture import _policies as ca
from idpilot.posture._coverage import Target, coverage
from idpilot.posture.base import Baseline, Outcome, check
from idpilot.posture.cis_controls import cis_control, cis_ids
from idpilot.posture.data import PostureData
from idpilot.security.severity import Severity

CIS_ADMIN_ROLES = {
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
    "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
    "b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
    "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
    "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
    "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
    "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
    "f2ef992c-3afb-46b9-b7cf-a126ee74c451": "Global Reader",
    "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
    "966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
    "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
    "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
    "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
    "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
}
"""The directory roles CIS 5.2.2.4 lists "at minimum" (template id -> name)."""
CIS_ADMINS = Target(roles=frozenset(CIS_ADMIN_ROLES))
MAX_ADMIN_SESSION_HOURS = 4
"""CIS 5.2.2.4: periodic reauthentication of 4 hours or less."""
INTUNE_ENROLLMENT_APP_ID = "d4ebce55-015a-49b5-a083-c84d1797ae8c"
INTUNE_ENROLLMENT = Target(apps=frozenset({INTUNE_ENROLLMENT_APP_ID}))
SIGN_IN_RISK = Target(intended=frozenset({"signInRiskLevels"}))
BLOCKED_RISK_LEVELS = frozenset({"medium", "high"})
HOURS_PER_DAY = 24
EVERY_TIME = "everyTime"


def _session(policy: dict[str, Any], control: str) -> dict[str, Any]:
    controls = policy.get("sessionControls") or {}
    found = controls.get(control) if isinstance(controls, dict) else None
    return found if isinstance(found, dict) and found.get("isEnabled") is not False else {}


def _frequency_hours(policy: dict[str, Any]) -> float | None:
    """The periodic reauthentication interval in hours (0 for every time), None if unset."""
    frequency = _session(policy, "signInFrequency")
    if not frequency:
        return None
    if frequency.get("frequencyInterval") == EVERY_TIME:
        return 0
    value, unit = frequency.get("value"), frequency.get("type")
    if not isinstance(value, int | float):
        return None
    return value * HOURS_PER_DAY if unit == "days" else value if unit == "hours" else None


def limits_admin_sessions(policy: dict[str, Any]) -> bool:
    """Sign-in frequency of four hours or less and browser sessions never persistent."""
    hours = _frequency_hours(policy)
    never_persistent = _session(policy, "persistentBrowser").get("mode") == "never"
    return hours is not None and hours <= MAX_ADMIN_SESSION_HOURS and never_persistent


@check(
    "IDP-CA-018",
    "Administrators reauthenticate every four hours, with no persistent browser session",
    Severity.medium,
    Baseline.cis,
    cis_control("5.2.2.4"),
    "Create an enabled policy for the administrative directory roles (CIS lists fifteen) and "
    "all resources, with session controls sign-in frequency periodic, 4 hours or less, and "
    "persistent browser session 'Never persistent'; exclude only break-glass accounts.",
    controls=cis_ids("5.2.2.4"),
)
def admin_session_limits(data: PostureData) -> Outcome:
    """A session policy reaching every role CIS lists, whole."""
    return coverage(
        data, CIS_ADMINS, limits_admin_sessions,
        "limits administrators' sessions (4 hours or less, never persistent)",
    )  # fmt: skip


@check(
    "IDP-CA-019",
    "Sign-ins at medium and high risk are blocked",
    Severity.high,
    Baseline.cis,
    cis_control("5.2.2.8"),
    "Create an enabled policy for all users and all resources, sign-in risk Medium and High, "
    "granting 'Block access'; exclude only break-glass accounts.",
    controls=cis_ids("5.2.2.8"),
)
def medium_and_high_sign_in_risk_blocked(data: PostureData) -> Outcome:
    """A block on sign-in risk medium and high, whole; without Entra ID P2 it does not apply."""
    unlicensed = data.settings.without_p2()
    if unlicensed is not None:
        return unlicensed
    return coverage(
        data, SIGN_IN_RISK,
        lambda p: ca.blocks(p) and ca.risk_levels(p, "signInRiskLevels") >= BLOCKED_RISK_LEVELS,
        "blocks sign-ins at medium and high risk",
    )  # fmt: skip


@check(
    "IDP-CA-020",
    "Enrolling a device in Intune asks for sign-in every time",
    Severity.medium,
    Baseline.cis,
    cis_control("5.2.2.11"),
    "Create an enabled policy for all users on the 'Microsoft Intune Enrollment' app with "
    "session control sign-in frequency 'Every time'.",
    controls=cis_ids("5.2.2.11"),
)
def intune_enrollment_every_time(data: PostureData) -> Outcome:
    """Sign-in frequency `everyTime` on Microsoft Intune Enrollment (or all resources)."""
    return coverage(
        data, INTUNE_ENROLLMENT, lambda p: _frequency_hours(p) == 0,
        "asks for sign-in every time a device enrols in Intune",
    )  # fmt: skip
