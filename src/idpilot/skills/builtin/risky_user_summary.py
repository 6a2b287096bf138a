"""Skill `risky_user_summary`: a user's risk, its detections in plain language, and the plan."""

from __future__ import annotations

from pydantic import BaseModel, Field

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._audit_facts import ObjectBrief
from idpilot.skills.builtin._security_common import ProposalFact, add_plain, pick, plain
from idpilot.skills.registry import SkillRegistry
from idpilot.skills.resolve import resolve
from idpilot.store import Store
from idpilot.store.directory import user_by_id

NAME = "risky_user_summary"

DETECTION_FIELDS = (
    "riskEventType", "riskLevel", "riskState", "ipAddress", "activityDateTime",
    "detectionTimingType", "source", "city", "country",
)  # fmt: skip
"""Fields of a risk detection its evidence record carries."""

AUDIT_FIELDS = ("activityDisplayName", "activityDateTime", "actor", "actor_ip", "targets")
"""Fields of a related directory audit its evidence record carries."""


class RiskyUserSummaryInput(BaseModel):
    """Which user's risk to summarise."""

    user: str = slot(Slot.user, "The user: object id, userPrincipalName, mail or display name.")


# The rows below are the plain data `security.risk_summary.user_risk_summary` returns (that
# engine is imported only when the skill runs); times are ISO strings, as `plain` makes them.


class RiskyUserState(SkillFacts):
    """The user's Identity Protection risk state (their riskyUsers row)."""

    id: str
    userPrincipalName: str | None
    userDisplayName: str | None
    riskLevel: str | None
    riskState: str | None
    riskDetail: str | None
    riskLastUpdatedDateTime: str | None


class RiskDetectionFact(SkillFacts):
    """A risk detection of the user, explained from the risk event catalogue."""

    id: str
    requestId: str | None
    correlationId: str | None
    riskEventType: str | None
    riskState: str | None
    riskLevel: str | None
    riskDetail: str | None
    source: str | None
    detectionTimingType: str | None
    activity: str | None
    ipAddress: str | None
    activityDateTime: str | None
    detectedDateTime: str | None
    city: str | None
    country: str | None
    title: str
    meaning: str
    remediation: str
    known_type: bool
    """Whether the catalogue knows the risk event type."""


class DetectionSignIn(SkillFacts):
    """A sign-in a detection points at (by request or correlation id)."""

    id: str
    createdDateTime: str | None
    userId: str | None
    userPrincipalName: str | None
    ipAddress: str | None
    errorCode: int | None
    appDisplayName: str | None
    correlationId: str | None
    country: str | None
    city: str | None


class RelatedAudit(SkillFacts):
    """A security-info, password, role or group change by or about the user after a detection."""

    id: str
    activityDateTime: str | None
    activityDisplayName: str
    kind: str
    """`securityInfo`, `password`, `role` or `group`."""
    actor: str | None
    actor_ip: str | None
    targets: list[str | None]
    """The names of the targets other than the user."""


class NewDevice(SkillFacts):
    """A device first seen in the user's sign-ins around the detections."""

    device: str
    first_seen: str
    sign_in_id: str


class SameIpAccount(SkillFacts):
    """Another account that signed in from an IP address of the detections."""

    userId: str | None
    userPrincipalName: str | None
    ipAddress: str | None
    sign_ins: int
    successes: int
    sign_in_id: str


class RiskInsights(SkillFacts):
    """What happened around the detections (empty when there are none)."""

    audits: list[RelatedAudit]
    new_devices: list[NewDevice]
    same_ip_other_accounts: list[SameIpAccount]
    mfa_denials: list[str]
    """Ids of the sign-ins whose MFA prompt was denied or unanswered."""


STEP_ACTIONS = {
    "secure_password_reset": "Require a secure password reset and revoke the user's sessions",
    "confirm_compromised": "Confirm the user compromised and revoke their sessions",
    "review_session": "Review what the risky session touched (mail rules, files, consents, "
    "MFA methods)",
    "mfa_fatigue": "Treat it as MFA fatigue: report it, have the user deny unexpected prompts, "
    "and enforce number matching or phishing-resistant methods",
    "review_security_info": "Check the security info changed after the detection with the "
    "user and remove any method they did not add",
    "verify_with_user": "Ask the user whether the flagged activity was theirs: dismiss the risk "
    "if so, confirm compromised if not",
}
"""Each remediation step as the action an admin takes (the answer's next steps)."""


class RemediationStep(SkillFacts):
    """A step of the remediation plan, with the proposals that carry it out."""

    step: str
    """`secure_password_reset`, `confirm_compromised`, `review_session`, `mfa_fatigue`,
    `review_security_info` or `verify_with_user`."""
    why: str
    evidence_ids: list[str] = Field(default_factory=list)
    proposals: list[ProposalFact]


class RiskPolicy(SkillFacts):
    """An enabled Conditional Access policy with user or sign-in risk conditions."""

    id: str
    displayName: str | None
    state: str | None
    userRiskLevels: list[str]
    signInRiskLevels: list[str]


class PreventionFact(SkillFacts):
    """A kind of risk policy that would have prevented the risk, and the tenant's own."""

    policy: str
    """`userRisk` or `signInRisk`."""
    existing: list[RiskPolicy]


class RiskyUserSummaryFacts(SkillFacts):
    """A user's risk: state, detections and their sign-ins, what followed, the plan and the
    policy that would have prevented it."""

    user: ObjectBrief
    risky_user: RiskyUserState | None
    """None when Identity Protection does not list the user."""
    detections: list[RiskDetectionFact]
    sign_ins: list[DetectionSignIn]
    insights: RiskInsights
    privileged_roles: list[str]
    plan: list[RemediationStep]
    prevention: list[PreventionFact]
    correlation_hours: int
    proposals: list[ProposalFact]


def risky_user_summary(store: Store, params: RiskyUserSummaryInput) -> SkillResult:
    """Summarise a user's risk: level, detections explained, related activity, remediation."""
    from idpilot.security.risk_summary import CORRELATION_WINDOW, user_risk_summary

    resolution = resolve(store, params.user, "user")
    if resolution.match is None:
        return resolution.unresolved(NAME, "user")
    user = user_by_id(store, resolution.match.id)
    assert user is not None
    summary = user_risk_summary(store, user["id"])
    result = SkillResult(skill=NAME)
    risky = summary["risky_user"]
    add_plain(
        result,
        "riskyUser" if risky else "user",
        user["id"],
        f"risk state of {user['userPrincipalName']}" if risky else f"user {user['id']}",
        {
            **(risky or {}),
            "userPrincipalName": user["userPrincipalName"],
            "displayName": user["displayName"],
        },
    )
    for d in summary["detections"]:
        add_plain(
            result,
            "riskDetection",
            d["id"],
            f"{d['riskEventType']} detection at {d['activityDateTime']:%Y-%m-%d %H:%M}",
            pick(d, DETECTION_FIELDS),
        )
    for s in summary["sign_ins"]:
        add_plain(
            result,
            "signIn",
            s["id"],
            f"sign-in {s['createdDateTime']:%Y-%m-%d %H:%M} from {s['ipAddress']}",
            {k: v for k, v in s.items() if v is not None},
        )
    insights = summary["insights"]
    for a in insights["audits"]:
        add_plain(
            result,
            "directoryAudit",
            a["id"],
            f"audit {a['activityDisplayName']}",
            pick(a, AUDIT_FIELDS),
        )
    for device in insights["new_devices"]:
        add_plain(
            result,
            "signIn",
            device["sign_in_id"],
            "first sign-in on a new device",
            {"device": device["device"], "createdDateTime": device["first_seen"]},
        )
    for other in insights["same_ip_other_accounts"]:
        add_plain(
            result,
            "signIn",
            other["sign_in_id"],
            f"sign-in by {other['userPrincipalName']} from {other['ipAddress']}",
            other,
        )
    for denial in insights["mfa_denials"]:
        result.add_evidence(Record(kind="signIn", id=denial, label="denied MFA prompt", fields={}))
    for guidance in summary["prevention"]:
        for p in guidance["existing"]:
            add_plain(result, "conditionalAccessPolicy", p["id"], f"policy {p['displayName']}", p)
    proposals = [p for step in summary["plan"] for p in step.get("proposals", [])]
    result.facts = RiskyUserSummaryFacts(
        user=ObjectBrief(
            id=user["id"],
            displayName=user["displayName"],
            userPrincipalName=user["userPrincipalName"],
        ),
        risky_user=plain(risky),
        detections=plain(summary["detections"]),
        sign_ins=plain(summary["sign_ins"]),
        insights=plain(insights),
        privileged_roles=summary["privileged_roles"],
        plan=summary["plan"],
        prevention=plain(summary["prevention"]),
        correlation_hours=int(CORRELATION_WINDOW.total_seconds() // 3600),
        proposals=proposals,
    )
    result.next_steps = [
        NextStep(
            action=STEP_ACTIONS.get(step["step"], STEP_ACTIONS["verify_with_user"]),
            why=step["why"],
            evidence_ids=step.get("evidence_ids", []),
        )
        for step in summary["plan"]
    ]
    name = user["displayName"] or user["userPrincipalName"]
    result.followups = [
        f"Why did {name} fail to sign in recently?",
        "Which users are at risk right now?",
        "Anything suspicious in the last 24 hours?",
    ]
    return result


def register(registry: SkillRegistry) -> None:
    """Register `risky_user_summary`."""
    registry.add(
        define_skill(
            risky_user_summary,
            name=NAME,
            remote_logs=True,
            facts=RiskyUserSummaryFacts,
            reads=(
                Collection.risky_users,
                Collection.risk_detections,
                Collection.sign_ins,
            ),
            keywords={
                "risk": 2.0,
                "risky": 2.0,
                "at risk": 2.5,
                "risk level": 3.0,
                "risk detections": 3.0,
                "risk events": 3.0,
                "identity protection": 2.5,
                "compromised": 2.5,
                "leaked credentials": 3.0,
                "leaked": 2.0,
                "summarize the risk": 3.5,
                "summarise the risk": 3.5,
                "risk summary": 3.5,
                "why is": 1.0,
                "flagged": 2.0,
                "remediate": 2.0,
                "remediation": 2.0,
            },
        )
    )
