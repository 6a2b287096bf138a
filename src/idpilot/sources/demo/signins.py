"""Builds Graph signIn records and settles their outcome through the Conditional Access engine."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ._ca import fails_primary_authentication
from .conditional import BLOCKED, MFA_REQUIREMENT, ConditionalAccessRecorder
from .ids import guid, iso_ts

SINGLE_FACTOR = "singleFactorAuthentication"
BROWSER = "Browser"
MODERN_CLIENT = "Mobile Apps and Desktop clients"

STATUS_TEXT = {
    50126: (
        "Error validating credentials due to invalid username or password.",
        "The user didn't enter the right credentials. It's expected to see some number of these "
        "errors in your logs due to users making mistakes.",
    ),
    50053: (
        "Account is locked because user tried to sign in too many times with an incorrect user "
        "ID or password.",
        "The account is locked due to repeated sign-in attempts with a wrong password.",
    ),
    50074: (
        "Strong Authentication is required.",
        "The user is being asked to complete multifactor authentication.",
    ),
    50076: (
        "Due to a configuration change made by your administrator, or because you moved to a new "
        "location, you must use multi-factor authentication to access the resource.",
        "The user must complete multifactor authentication.",
    ),
    50140: (
        "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
        "This is an expected part of the sign-in flow.",
    ),
    500121: (
        "Authentication failed during strong authentication request.",
        "The user didn't complete the MFA prompt. They may have decided not to authenticate, "
        "timed out while doing other work, or has an issue with their authentication setup.",
    ),
    53003: (
        "Access has been blocked by Conditional Access policies. The access policy does not allow "
        "token issuance.",
        "A Conditional Access policy blocked this sign-in.",
    ),
    53000: (
        "Device is not in required device state: compliant. Conditional Access policy requires a "
        "compliant device, and the device is not compliant.",
        "The user must enroll their device with an approved MDM provider like Intune.",
    ),
    53001: (
        "Device is not in required device state: domainJoined.",
        "Conditional Access policy requires a domain joined device.",
    ),
    50142: (
        "Password reset is required due to a conditional access policy.",
        "The user must change their password.",
    ),
    700082: (
        "The refresh token has expired due to inactivity.",
        "Expected part of the token lifecycle: the user went a long time without using the app.",
    ),
}
OK_STATUS = {"errorCode": 0, "failureReason": None, "additionalDetails": None}
_STATUSES = {
    code: {"errorCode": code, "failureReason": reason, "additionalDetails": details}
    for code, (reason, details) in STATUS_TEXT.items()
}
NO_RISK = ("none", "none", [])  # (riskLevelDuringSignIn, riskState, riskEventTypes_v2)
NO_MFA = {"authMethod": None, "authDetail": None}
MFA_METHODS = {  # registered method -> (authenticationDetails method, mfaDetail authMethod)
    "microsoftAuthenticatorPush": ("Microsoft Authenticator app", "PhoneAppNotification"),
    "softwareOneTimePasscode": ("OATH verification code", "PhoneAppOTP"),
    "fido2": ("FIDO2 security key", "FIDO2 security key"),
    "windowsHelloForBusiness": ("Windows Hello for Business", "Windows Hello for Business"),
    "mobilePhone": ("Text message", "Text message"),
}


@dataclass(frozen=True)
class AppUse:
    """An app a user signs in to, with the resource its token is for."""

    app_id: str
    app_name: str
    resource_id: str
    resource_name: str
    client: str
    on_phone: bool = False


def status(code: int) -> dict:
    return OK_STATUS if code == 0 else _STATUSES[code]


def _step(when: str, method: str, ok: bool, detail: str, requirement: str) -> dict:
    return {
        "authenticationStepDateTime": when,
        "authenticationMethod": method,
        "authenticationMethodDetail": "Password Hash Sync" if method == "Password" else None,
        "succeeded": ok,
        "authenticationStepResultDetail": detail,
        "authenticationStepRequirement": requirement,
    }


class SignInFactory:
    """Turns one sign-in attempt into its Graph rows; CA results always come from the engine."""

    def __init__(self, rng: random.Random, recorder: ConditionalAccessRecorder) -> None:
        self.rng = rng
        self.recorder = recorder

    def row(
        self,
        user: dict,
        epoch: float,
        app: AppUse,
        device: dict,
        ip: str,
        location: dict,
        *,
        interactive: bool,
        correlation: str,
        client: str | None = None,
        risk: tuple = NO_RISK,
    ) -> dict:
        """A sign-in with primary authentication passed and no CA outcome yet."""
        level, state, events = risk
        return {
            "id": guid(self.rng),
            "createdDateTime": iso_ts(epoch),
            "userDisplayName": user["displayName"],
            "userPrincipalName": user["userPrincipalName"],
            "userId": user["id"],
            "userType": "guest" if user["userType"] == "Guest" else "member",
            "appId": app.app_id,
            "appDisplayName": app.app_name,
            "ipAddress": ip,
            "clientAppUsed": client or app.client,
            "correlationId": correlation,
            "conditionalAccessStatus": "notApplied",
            "isInteractive": interactive,
            "signInEventTypes": ["interactiveUser" if interactive else "nonInteractiveUser"],
            "riskDetail": "none",
            "riskLevelAggregated": level,
            "riskLevelDuringSignIn": level,
            "riskState": state,
            "riskEventTypes": list(events),
            "riskEventTypes_v2": list(events),
            "resourceDisplayName": app.resource_name,
            "resourceId": app.resource_id,
            "status": OK_STATUS,
            "deviceDetail": device,
            "location": location,
            "appliedConditionalAccessPolicies": [],
            "authenticationRequirement": SINGLE_FACTOR,
            "mfaDetail": NO_MFA,
            "authenticationDetails": [],
        }

    # -- rows whose outcome is decided before Conditional Access -------------------------------

    def primary_failure(self, row: dict, code: int) -> dict:
        """Wrong password, lockout, expired token: Conditional Access is not evaluated."""
        if not fails_primary_authentication(code):
            raise ValueError(f"{code} is not documented as failing primary authentication")
        row["status"] = status(code)
        self.recorder.record_not_evaluated(row)
        if row["isInteractive"]:
            detail = (
                "Invalid username or password or Invalid on-premise username or password."
                if code == 50126
                else "Account locked"
            )
            row["authenticationDetails"] = [
                _step(row["createdDateTime"], "Password", False, detail, "Primary authentication")
            ]
        return row

    def kmsi_interrupt(self, row: dict, settled: dict) -> dict:
        """The "Keep me signed in" prompt (50140) after `settled` completed its authentication.

        Authentication (and Conditional Access) already ran in this session, so the row carries
        the settled row's authentication facts and is evaluated as it reads.
        """
        row["status"] = status(50140)
        row["authenticationRequirement"] = settled["authenticationRequirement"]
        row["mfaDetail"] = dict(settled["mfaDetail"])
        row["authenticationDetails"] = [dict(step) for step in settled["authenticationDetails"]]
        self.recorder.record(row)
        return row

    # -- rows settled by Conditional Access ---------------------------------------------------

    def _password(self, row: dict) -> list[dict]:
        if not row["isInteractive"]:
            return [
                _step(
                    row["createdDateTime"],
                    "Previously satisfied",
                    True,
                    "First factor requirement satisfied by claim in the token",
                    "Primary authentication",
                )
            ]
        return [
            _step(
                row["createdDateTime"],
                "Password",
                True,
                "Correct password",
                "Primary authentication",
            )
        ]

    def with_mfa(self, row: dict, method: str | None, how: str) -> dict:
        """Mark the row as multifactor: `how` is claim (token), completed, denied or timeout."""
        row["authenticationRequirement"] = MFA_REQUIREMENT
        when = row["createdDateTime"]
        steps = self._password(row)
        if how == "claim" or method is None:
            steps.append(
                _step(
                    when,
                    "Previously satisfied",
                    True,
                    "MFA requirement satisfied by claim in the token",
                    "Multifactor authentication",
                )
            )
        else:
            label, mfa_method = MFA_METHODS[method]
            detail = {
                "completed": "MFA completed in Azure AD",
                "denied": "MFA denied; user declined the authentication",
                "timeout": "MFA denied; user did not respond to mobile app notification",
            }[how]
            steps.append(
                _step(when, label, how == "completed", detail, "Multifactor authentication")
            )
            row["mfaDetail"] = {"authMethod": mfa_method, "authDetail": None}
        row["authenticationDetails"] = steps
        return row

    def settle(self, row: dict) -> dict:
        """Evaluate the row as it stands and derive its status from the engine's outcome."""
        recorded = self.recorder.record(row)
        if not row["authenticationDetails"]:
            row["authenticationDetails"] = self._password(row)
        if recorded.outcome == "allowed":
            return row
        if recorded.outcome == BLOCKED:
            code = 53003
        elif "compliantDevice" in recorded.required:
            code = 53000
        elif "domainJoinedDevice" in recorded.required:
            code = 53001
        elif "passwordChange" in recorded.required:
            code = 50142
        else:
            code = 50074
        row["status"] = status(code)
        self.recorder.record(row)  # re-evaluated as the failed row reads (MFA done or not)
        return row

    def mfa_failure(self, row: dict, method: str, how: str) -> dict:
        """A denied or unanswered MFA prompt (500121), evaluated as CA sees it."""
        self.with_mfa(row, method, how)
        row["status"] = status(500121)
        self.recorder.record(row)
        return row

    def attempt(
        self,
        user: dict,
        epoch: float,
        app: AppUse,
        device: dict,
        ip: str,
        location: dict,
        *,
        interactive: bool,
        mfa: str = "claim",  # claim | prompt (50074 interrupt first) | inline
        method: str | None = "microsoftAuthenticatorPush",
        client: str | None = None,
        risk: tuple = NO_RISK,
    ) -> list[dict]:
        """One sign-in attempt: optional MFA interrupt row, then the settled row."""
        correlation = guid(self.rng)
        args = (user, epoch, app, device, ip, location)
        kw = {
            "interactive": interactive,
            "correlation": correlation,
            "client": client,
            "risk": risk,
        }
        row = self.row(*args, **kw)
        recorded = self.recorder.record(row)
        rows = []
        if recorded.outcome == "controlsRequired" and "mfa" in recorded.required:
            if mfa == "prompt" and interactive:
                interrupt = self.with_mfa(row, None, "claim")
                interrupt["authenticationDetails"] = self._password(interrupt)
                interrupt["status"] = status(50074)
                self.recorder.record(interrupt)
                rows.append(interrupt)
                row = self.row(user, epoch + self.rng.randint(12, 50), *args[2:], **kw)
            how = "claim" if mfa == "claim" or not interactive else "completed"
            self.with_mfa(row, method, how)
        rows.append(self.settle(row))
        return rows
