"""Map a Graph `signIn` (v1.0 or beta JSON) to the SignInContext the engine evaluates.

Mappings:
- userId, appId, resourceId, ipAddress as given; location.countryOrRegion -> country
  (empty -> None). Target resources match the resource (e.g. Azure CLI -> Windows Azure Service
  Management API) as well as the client app (see ApplicationsCondition).
- clientAppUsed -> ClientAppType via `CLIENT_APP_USED`; every legacy protocol -> other;
  a value we do not know -> None.
- deviceDetail.operatingSystem -> DevicePlatform by prefix (`platform_of`).
- deviceDetail -> DeviceState (empty strings -> None); compliance and trust type come from here.
- riskLevelDuringSignIn -> sign_in_risk; hidden / unknownFutureValue / absent -> None.
- user risk is not part of a signIn; a `userRiskLevel` property is read if an export adds it.
- beta originalTransferMethod -> authentication_flow as given; otherwise authenticationProtocol
  "deviceCode" -> "deviceCodeFlow"; otherwise None (unknown).
- beta authenticationContextClassReferences: the first reference with detail "required".
- satisfied_controls gets "mfa" when the record shows the second factor was completed:
  mfaDetail names a method, authenticationDetails (beta) hold a succeeded MFA step, or the
  result detail says an MFA requirement was satisfied: status.additionalDetails (v1.0 and
  beta) or a step's authenticationStepResultDetail reads "MFA requirement satisfied by claim
  in the token", "MFA completed in Azure AD", "MFA successfully completed" (see
  `MFA_SATISFIED_DETAIL`). This holds even if a later control, such as a compliant device,
  then failed the sign-in, as Entra logs it, unless the error itself is an MFA failure
  (denied, timed out, required but not done). It also holds when the sign-in succeeded and
  authenticationRequirement (beta only) is multiFactorAuthentication. A v1.0 record has no
  authenticationRequirement, and Microsoft warns that this field does not account for an MFA
  claim already in the token ("Use the sign-in logs to review Microsoft Entra multifactor
  authentication events"), so the result detail is what tells a v1.0 record's MFA.
- unknown_controls gets "mfa" when the record cannot tell: no MFA evidence above, a v1.0
  record (no authenticationDetails steps, no authenticationRequirement) that failed with an
  error that is neither an MFA failure nor a first-factor failure (e.g. 53000, device not
  compliant). Such a record's additionalDetails explains the failure, not the MFA, and
  mfaDetail may be empty, so MFA may have been satisfied before the failing control (Entra
  asks for MFA before device state) or not: a policy that requires MFA is then undecidable.
- status.errorCode -> primary_authentication_error when the code is one Microsoft documents as
  failing first-factor authentication (`idpilot.knowledge.primary_authentication`): Conditional
  Access does not run for that sign-in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from idpilot.conditional_access.catalog import MFA_CONTROL
from idpilot.conditional_access.context import (
    ClientAppType,
    DevicePlatform,
    DeviceState,
    RiskLevel,
    SignInContext,
)
from idpilot.knowledge.primary_authentication import fails_primary_authentication

SUCCESS_ERROR_CODE = 0
MULTI_FACTOR_REQUIREMENT = "multifactorauthentication"
MFA_STEP_MARKERS = ("mfa", "multifactor", "multi-factor")
# Errors that mean the second factor was not completed: required but not done (50072, 50074,
# 50076, 50079), denied or failed (500121, 50088, 50089, 50158), not registered (53004).
MFA_FAILURE_CODES = frozenset({50072, 50074, 50076, 50079, 50088, 50089, 50158, 500121, 53004})
MFA_SATISFIED_DETAIL = r"^\s*mfa (requirement satisfied|completed|successfully completed)"
"""Lower-cased result details that say the MFA requirement was met (RE2- and Python-compatible,
shared with replay's SQL): "MFA requirement satisfied by claim in the token" (an earlier MFA
claim was accepted), "MFA completed in Azure AD", "MFA successfully completed"."""
DEVICE_CODE_PROTOCOL = "devicecode"
DEVICE_CODE_FLOW = "deviceCodeFlow"
REQUIRED_CONTEXT_DETAIL = "required"

CLIENT_APP_USED: dict[str, ClientAppType] = {
    "browser": ClientAppType.browser,
    "mobile apps and desktop clients": ClientAppType.mobile_apps_and_desktop_clients,
    "exchange activesync": ClientAppType.exchange_active_sync,
    **{
        legacy: ClientAppType.other
        for legacy in (
            "imap4",
            "imap",
            "pop3",
            "pop",
            "smtp",
            "authenticated smtp",
            "mapi over http",
            "exchange web services",
            "other clients",
            "exchange online powershell",
            "exchange online powershell (legacy)",
            "autodiscover",
            "offline address book",
            "outlook anywhere (rpc over http)",
            "reporting web services",
            "outlook service",
            "universal outlook",
        )
    },
}
"""Lower-cased signIn.clientAppUsed -> client app type; legacy protocols are `other`."""

PLATFORM_PREFIXES: tuple[tuple[str, DevicePlatform], ...] = (
    ("windows phone", DevicePlatform.windows_phone),
    ("windowsphone", DevicePlatform.windows_phone),
    ("windows", DevicePlatform.windows),
    ("ios", DevicePlatform.ios),
    ("ipados", DevicePlatform.ios),
    ("iphone", DevicePlatform.ios),
    ("ipad", DevicePlatform.ios),
    ("android", DevicePlatform.android),
    ("macos", DevicePlatform.macos),
    ("mac os", DevicePlatform.macos),
    ("osx", DevicePlatform.macos),
    ("linux", DevicePlatform.linux),
    ("ubuntu", DevicePlatform.linux),
)
"""Lower-cased operatingSystem prefixes, most specific first."""

_RISK_LEVELS = {level.value: level for level in RiskLevel}
_MFA_SATISFIED = re.compile(MFA_SATISFIED_DETAIL)


def client_app_of(client_app_used: str | None) -> ClientAppType | None:
    """The client app type of a signIn.clientAppUsed string, or None when unknown."""
    if not client_app_used:
        return None
    return CLIENT_APP_USED.get(client_app_used.strip().lower())


def platform_of(operating_system: str | None) -> DevicePlatform | None:
    """The device platform of a deviceDetail.operatingSystem string, or None when unknown."""
    if not operating_system:
        return None
    text = operating_system.strip().lower()
    for prefix, platform in PLATFORM_PREFIXES:
        if text.startswith(prefix):
            return platform
    return None


def risk_of(value: Any) -> RiskLevel | None:
    """A risk level, or None for hidden, unknownFutureValue or absent."""
    return _RISK_LEVELS.get(value) if isinstance(value, str) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def device_of(detail: Mapping[str, Any] | None) -> DeviceState | None:
    """DeviceState from signIn.deviceDetail; empty strings mean unknown."""
    if not detail:
        return None
    return DeviceState(
        device_id=_text(detail.get("deviceId")),
        display_name=_text(detail.get("displayName")),
        is_compliant=detail.get("isCompliant"),
        is_managed=detail.get("isManaged"),
        trust_type=_text(detail.get("trustType")),
        operating_system=_text(detail.get("operatingSystem")),
    )


def _succeeded(sign_in: Mapping[str, Any]) -> bool:
    status = sign_in.get("status") or {}
    return status.get("errorCode") == SUCCESS_ERROR_CODE


def says_mfa_satisfied(detail: Any) -> bool:
    """Whether a result detail (status.additionalDetails, authenticationStepResultDetail)
    says the MFA requirement was met, e.g. "MFA requirement satisfied by claim in the token"."""
    return isinstance(detail, str) and _MFA_SATISFIED.match(detail.lower()) is not None


def _did_mfa(sign_in: Mapping[str, Any]) -> bool:
    status = sign_in.get("status") or {}
    if status.get("errorCode") in MFA_FAILURE_CODES:
        return False
    requirement = (sign_in.get("authenticationRequirement") or "").lower()
    if requirement == MULTI_FACTOR_REQUIREMENT and _succeeded(sign_in):
        return True
    mfa_detail = sign_in.get("mfaDetail") or {}
    if _text(mfa_detail.get("authMethod")):
        return True
    if says_mfa_satisfied(status.get("additionalDetails")):
        return True
    for step in sign_in.get("authenticationDetails") or ():
        step_requirement = (step.get("authenticationStepRequirement") or "").lower()
        if step.get("succeeded") and any(m in step_requirement for m in MFA_STEP_MARKERS):
            return True
        if says_mfa_satisfied(step.get("authenticationStepResultDetail")):
            return True
    return False


def lists_authentication_steps(sign_in: Mapping[str, Any]) -> bool:
    """Whether the record is a beta-shaped one that lists its authentication steps."""
    steps = sign_in.get("authenticationDetails")
    return bool(_text(sign_in.get("authenticationRequirement"))) or (
        isinstance(steps, list) and len(steps) > 0
    )


def _mfa_unknown(sign_in: Mapping[str, Any]) -> bool:
    code = (sign_in.get("status") or {}).get("errorCode")
    if not isinstance(code, int) or code == SUCCESS_ERROR_CODE or code in MFA_FAILURE_CODES:
        return False
    return not fails_primary_authentication(code) and not lists_authentication_steps(sign_in)


def _authentication_flow(sign_in: Mapping[str, Any]) -> str | None:
    transfer = _text(sign_in.get("originalTransferMethod"))
    if transfer:
        return transfer
    protocol = (sign_in.get("authenticationProtocol") or "").lower()
    return DEVICE_CODE_FLOW if protocol == DEVICE_CODE_PROTOCOL else None


def _authentication_context(sign_in: Mapping[str, Any]) -> str | None:
    for reference in sign_in.get("authenticationContextClassReferences") or ():
        if (reference.get("detail") or "").lower() == REQUIRED_CONTEXT_DETAIL:
            return _text(reference.get("id"))
    return None


def context_from_sign_in(sign_in: Mapping[str, Any]) -> SignInContext:
    """Build the SignInContext a recorded Graph signIn describes (see module docstring)."""
    detail = sign_in.get("deviceDetail") or {}
    location = sign_in.get("location") or {}
    did_mfa = _did_mfa(sign_in)
    satisfied = {MFA_CONTROL} if did_mfa else set()
    unknown = {MFA_CONTROL} if not did_mfa and _mfa_unknown(sign_in) else set()
    code = (sign_in.get("status") or {}).get("errorCode")
    return SignInContext(
        user_id=sign_in.get("userId") or "",
        app_id=_text(sign_in.get("appId")),
        resource_id=_text(sign_in.get("resourceId")),
        authentication_context=_authentication_context(sign_in),
        client_app=client_app_of(sign_in.get("clientAppUsed")),
        platform=platform_of(detail.get("operatingSystem")),
        ip_address=_text(sign_in.get("ipAddress")),
        country=_text(location.get("countryOrRegion")),
        device=device_of(detail),
        sign_in_risk=risk_of(sign_in.get("riskLevelDuringSignIn")),
        user_risk=risk_of(sign_in.get("userRiskLevel")),
        authentication_flow=_authentication_flow(sign_in),
        satisfied_controls=satisfied,
        unknown_controls=unknown,
        primary_authentication_error=code if fails_primary_authentication(code) else None,
    )
