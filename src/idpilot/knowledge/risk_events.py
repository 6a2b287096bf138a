"""Identity Protection risk event types (`riskEventType`) in plain language, with remediation.

Values and meanings follow Microsoft's published list of Identity Protection risk detections
(users and workload identities). A value not listed here is kept and shown as-is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RiskSubject(StrEnum):
    """Who a detection is about."""

    user = "user"
    workload = "workloadIdentity"


@dataclass(frozen=True)
class RiskEventInfo:
    """What a risk event type means and what an admin typically does about it."""

    value: str
    title: str
    meaning: str
    remediation: str
    subject: RiskSubject = RiskSubject.user
    known: bool = True


def _user(value: str, title: str, meaning: str, remediation: str) -> RiskEventInfo:
    return RiskEventInfo(value, title, meaning, remediation, RiskSubject.user)


def _workload(value: str, title: str, meaning: str, remediation: str) -> RiskEventInfo:
    return RiskEventInfo(value, title, meaning, remediation, RiskSubject.workload)


_RESET = "Require a secure password reset and revoke the user's sessions."
_CONFIRM = (
    "If the user does not recognise the sign-in, confirm the user compromised, revoke sessions "
    "and reset the password; otherwise dismiss the risk."
)

_USER_EVENTS = [
    _user("leakedCredentials", "Leaked credentials",
          "The user's valid username and password were found in a public or dark-web leak.",
          _RESET),
    _user("anonymizedIPAddress", "Anonymous IP address",
          "The sign-in came from an anonymizing network such as Tor or an anonymous VPN.",
          _CONFIRM),
    _user("unlikelyTravel", "Atypical travel",
          "Two sign-ins from places too far apart to travel between in the time between them.",
          _CONFIRM),
    _user("unfamiliarFeatures", "Unfamiliar sign-in properties",
          "The sign-in's IP, location, device or browser differ from the user's usual pattern.",
          _CONFIRM),
    _user("passwordSpray", "Password spray",
          "The account was targeted by a password spray: one password tried on many accounts.",
          _RESET),
    _user("maliciousIPAddress", "Malicious IP address",
          "The sign-in came from an IP address with a high failure rate or a bad reputation.",
          _CONFIRM),
    _user("riskyIPAddress", "Activity from an anonymous or risky IP address",
          "Defender for Cloud Apps saw activity from an IP address flagged as risky.",
          _CONFIRM),
    _user("mcasImpossibleTravel", "Impossible travel (Defender for Cloud Apps)",
          "Defender for Cloud Apps saw activity from distant places within an impossible time.",
          _CONFIRM),
    _user("mcasSuspiciousInboxManipulationRules", "Suspicious inbox manipulation rules",
          "Inbox rules that delete or move messages or forward mail were set on the mailbox, "
          "a common step after a mailbox takeover.",
          "Remove the rules, check forwarding, confirm compromise and reset the password."),
    _user("investigationsThreatIntelligence", "Microsoft Entra threat intelligence",
          "The activity matches attack patterns known to Microsoft's threat intelligence.",
          "Treat the account as compromised: confirm compromised, revoke sessions, reset."),
    _user("generic", "Additional risk detected",
          "A risk detection Microsoft does not break out by type (often for tenants without P2).",
          "Review the user's recent sign-ins; confirm compromised or dismiss."),
    _user("adminConfirmedUserCompromised", "Admin confirmed user compromised",
          "An administrator marked the user as compromised.",
          "Reset the password, revoke sessions and review what the account did."),
    _user("suspiciousAPITraffic", "Suspicious API traffic",
          "An unusual number of Graph or directory enumeration calls came from the user.",
          "Check for reconnaissance tooling; confirm compromised if unrecognised."),
    _user("suspiciousBrowser", "Suspicious browser",
          "One browser signed in to many tenants or accounts from many countries.",
          _CONFIRM),
    _user("anomalousToken", "Anomalous token",
          "A token with unusual characteristics (lifetime, replay from an odd place) was used: "
          "a sign of token theft.",
          "Revoke sessions, confirm compromised and require a password reset."),
    _user("tokenIssuerAnomaly", "Token issuer anomaly",
          "The SAML token issuer (federation server) may be compromised: claims look forged.",
          "Investigate the federation server; revoke sessions of affected users."),
    _user("attackerinTheMiddle", "Attacker in the middle",
          "An adversary-in-the-middle phishing proxy captured the user's session.",
          "Revoke sessions, reset the password and require phishing-resistant MFA."),
    _user("nationStateIP", "Nation-state IP",
          "The sign-in came from an IP address tied to a known nation-state actor.",
          "Treat as compromised: confirm compromised, revoke sessions, reset, investigate."),
    _user("newCountry", "New country",
          "Activity from a country neither the user nor the organisation was seen in recently.",
          _CONFIRM),
    _user("mfaFraud", "MFA fraud",
          "The user reported an MFA prompt they did not initiate.",
          "Reset the password, revoke sessions and enforce number matching or phishing-resistant "
          "methods."),
    _user("suspiciousSendingPatterns", "Suspicious sending patterns",
          "The mailbox sent mail in a pattern typical of a compromised account (spam, phishing).",
          "Block outbound mail for the user, confirm compromise, reset the password."),
    _user("userReportedSuspiciousActivity", "User reported suspicious activity",
          "The user rejected an MFA prompt and reported it as suspicious.",
          "Reset the password and revoke sessions; check for MFA fatigue attacks."),
]  # fmt: skip

_WORKLOAD_EVENTS = [
    _workload("investigationsThreatIntelligence", "Microsoft Entra threat intelligence",
              "The workload identity's activity matches known attack patterns.",
              "Rotate its credentials, review its permissions and recent activity."),
    _workload("suspiciousSignins", "Suspicious sign-ins",
              "The service principal signed in with unusual properties or patterns.",
              "Confirm the sign-ins; if unrecognised, remove its credentials and rotate."),
    _workload("leakedCredentials", "Leaked credentials",
              "A secret or certificate of the application was found in a public place "
              "(for example a code repository).",
              "Remove the leaked credential, issue a new one through a vault, review its use."),
    _workload("adminConfirmedServicePrincipalCompromised", "Admin confirmed compromised",
              "An administrator marked the service principal as compromised.",
              "Remove its credentials, disable it if possible, review what it touched."),
    _workload("maliciousApplication", "Malicious application",
              "Microsoft flagged the application as malicious (terms-of-service violation).",
              "Disable the application, remove consents, investigate affected data."),
    _workload("suspiciousApplication", "Suspicious application",
              "Microsoft flagged the application as suspicious.",
              "Review its publisher, permissions and consents; disable if not needed."),
]  # fmt: skip

_USER_CATALOG = {info.value.lower(): info for info in _USER_EVENTS}
_WORKLOAD_CATALOG = {info.value.lower(): info for info in _WORKLOAD_EVENTS}


def explain_risk_event(value: str | None, subject: RiskSubject = RiskSubject.user) -> RiskEventInfo:
    """The plain-language meaning of a riskEventType; unknown values are kept as-is."""
    text = value or "unknown"
    catalog = _WORKLOAD_CATALOG if subject is RiskSubject.workload else _USER_CATALOG
    found = catalog.get(text.lower())
    if found is not None:
        return found
    return RiskEventInfo(
        value=text,
        title=text,
        meaning="A risk detection type idpilot has no description for.",
        remediation="Review the detection in the Identity Protection portal.",
        subject=subject,
        known=False,
    )


def risk_event_types(subject: RiskSubject = RiskSubject.user) -> list[RiskEventInfo]:
    """Every catalogued risk event type for users or for workload identities."""
    return list(_WORKLOAD_EVENTS if subject is RiskSubject.workload else _USER_EVENTS)
