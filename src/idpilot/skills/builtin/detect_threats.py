"""Skill `detect_threats`: suspicious patterns in the sign-in and audit logs of a time window."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from idpilot.model.collections import Collection
from idpilot.model.windows import TimeWindow
from idpilot.security.detections.base import DetectionType
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import resolve_reference, user_record
from idpilot.skills.builtin._security_common import add_evidence, plain, scan_window
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.directory import user_by_id

NAME = "detect_threats"
MAX_SIGN_INS_SHOWN = 8
"""Sign-ins a finding lists one by one in the answer; the rest are counted and cited."""


class DetectThreatsInput(BaseModel):
    """The time window to scan (default: the last 30 days of the snapshot)."""

    window: TimeWindow | None = slot(
        Slot.time_window, "The time window to scan, e.g. 'last 24 hours'.", default=None
    )
    focus: list[DetectionType] | None = slot(
        Slot.stated, "The detections asked about: answered first, the others after.", default=None
    )
    user: str | None = slot(
        Slot.user, "Only findings that involve this user (subject, target or actor).", default=None
    )
    ip_address: str | None = slot(
        Slot.ip_address, "Only findings that involve this IP address.", default=None
    )


class FindingFact(SkillFacts):
    """One finding as the answer shows it: what, how bad, on whom, its records cited."""

    detection: str
    """The `DetectionType` value."""
    severity: str
    subject_kind: str
    subject_id: str | None
    subject_label: str
    first_seen: str | None
    last_seen: str | None
    facts: dict[str, Any]
    """The detection's own facts (counts, IPs, places, travel pairs...), JSON-friendly."""
    response: str
    evidence_ids: list[str]
    sign_ins: list[dict[str, Any]]
    """The first `MAX_SIGN_INS_SHOWN` sign-ins (id and the fields answers print)."""
    more_sign_in_ids: list[str]
    records: list[dict[str, Any]]
    """Evidence other than sign-ins (audit events...), with id and kind."""
    proposals: list[dict[str, Any]]
    corroboration: list[dict[str, Any]]
    corroboration_checked: bool


class Subject(SkillFacts):
    """The user or IP address the question is about."""

    kind: str
    id: str
    label: str


class DetectThreatsFacts(SkillFacts):
    """The findings of one scan window, the asked-about detections first.

    With a subject (a user or an IP the question names), only the findings that involve it are
    listed; `others` counts the rest.
    """

    window: dict[str, Any]
    """start, end (ISO) and the phrase of the window scanned."""
    findings: list[FindingFact]
    by_severity: dict[str, int]
    focus: list[str]
    focused: int
    """How many findings are of the detections asked about."""
    notes: list[str]
    proposals: list[dict[str, Any]]
    subject: Subject | None = None
    others: int = 0
    """Findings in the window that do not involve the subject (not listed)."""


def _user_subject(result: SkillResult, store: Store, user_id: str) -> tuple[Subject, set[str]]:
    """The user the question names (cited) and the values that identify them in a finding."""
    user = user_by_id(store, user_id) or {"id": user_id}
    result.add_evidence(user_record(user))
    label = user.get("displayName") or user.get("userPrincipalName") or user_id
    upn = user.get("userPrincipalName") or ""
    return Subject(kind="user", id=user_id, label=label), {user_id, upn}


def detect_threats(store: Store, params: DetectThreatsInput) -> SkillResult:
    """Scan sign-ins and audits for spray, brute force, travel, MFA fatigue and risky changes."""
    from idpilot.security.detections import run_detections
    from idpilot.security.detections.base import involves
    from idpilot.security.detections.corroboration import SIGN_IN_DETECTIONS
    from idpilot.security.severity import Severity

    window = scan_window(store, params.window)
    result = SkillResult(skill=NAME)
    subject, names = None, set()
    if params.user:
        resolution = resolve_reference(store, params.user, "user")
        if resolution.match is None:
            return resolution.unresolved(NAME, "user")
        subject, names = _user_subject(result, store, resolution.match.id)
    elif params.ip_address:
        ip = params.ip_address
        subject, names = Subject(kind="ipAddress", id=ip, label=ip), {ip}
    run = run_detections(store, window)
    listed = [f for f in run.findings if involves(f, names)] if subject else run.findings
    findings: list[FindingFact] = []
    proposals: list[dict[str, Any]] = []
    focus = set(params.focus or [])
    # The detections asked about first (stable: severity order kept within each part).
    ordered = sorted(listed, key=lambda f: f.detection not in focus)
    for finding in ordered:
        add_evidence(result, finding.evidence)
        add_evidence(result, finding.corroboration)
        sign_ins = [e for e in finding.evidence if e.kind == "signIn"]
        others = [e for e in finding.evidence if e.kind != "signIn"]
        findings.append(
            FindingFact(
                detection=finding.detection.value,
                severity=finding.severity.value,
                subject_kind=finding.subject_kind,
                subject_id=finding.subject_id,
                subject_label=finding.subject_label,
                first_seen=plain(finding.first_seen),
                last_seen=plain(finding.last_seen),
                facts=plain(finding.facts),
                response=finding.response,
                evidence_ids=[e.id for e in finding.evidence],
                sign_ins=[{"id": e.id, **plain(e.fields)} for e in sign_ins[:MAX_SIGN_INS_SHOWN]],
                more_sign_in_ids=[e.id for e in sign_ins[MAX_SIGN_INS_SHOWN:]],
                records=[{"id": e.id, "kind": e.kind, **plain(e.fields)} for e in others],
                proposals=plain(finding.proposals),
                corroboration=[{"id": e.id, **plain(e.fields)} for e in finding.corroboration],
                corroboration_checked=finding.detection in SIGN_IN_DETECTIONS,
            )
        )
        proposals += finding.proposals
    result.facts = DetectThreatsFacts(
        window={"start": plain(window.start), "end": plain(window.end), "phrase": window.phrase},
        findings=findings,
        by_severity={s.value: sum(1 for f in listed if f.severity is s) for s in Severity},
        focus=[d.value for d in params.focus or []],
        focused=sum(1 for f in listed if f.detection in focus),
        notes=run.notes,
        proposals=plain(proposals),
        subject=subject,
        others=len(run.findings) - len(listed),
    )
    result.next_steps = [
        NextStep(
            action=f.response,
            why=f"{f.severity} {f.detection}",
            evidence_ids=f.evidence_ids[:5],
        )
        for f in findings
        if f.severity in (Severity.critical.value, Severity.high.value)
    ][:5]
    result.followups = [
        "Which users are at risk right now?",
        "Run a security posture assessment",
        "Which workload identities are risky?",
    ]
    return result


def register(registry: SkillRegistry) -> None:
    """Register `detect_threats`."""
    registry.add(
        define_skill(
            detect_threats,
            name=NAME,
            facts=DetectThreatsFacts,
            reads=(
                Collection.sign_ins,
                Collection.directory_audits,
                Collection.risk_detections,
            ),
            keywords={
                "suspicious": 2.5,
                "attacked": 3.0,
                "under attack": 3.5,
                "breach": 2.5,
                "anything suspicious": 3.0,
                "threats": 2.5,
                "threat": 2.0,
                "attack": 2.0,
                "attacks": 2.0,
                "password spray": 3.0,
                "spray": 2.5,
                "brute force": 3.0,
                "lockout": 2.0,
                "lockouts": 2.0,
                "locked out": 1.5,
                "impossible travel": 3.0,
                "mfa fatigue": 3.0,
                "mfa bombing": 3.0,
                "push bombing": 3.0,
                "legacy authentication": 2.0,
                "legacy auth": 2.0,
                "legacy protocol": 2.5,
                "tor": 1.5,
                "anonymous ip": 2.5,
                "anonymizer": 2.5,
                "outside pim": 3.0,
                "detections": 2.0,
                "detect": 2.0,
                "incidents": 1.5,
                "compromise": 1.5,
                "malicious": 1.5,
                "anomalies": 2.0,
                "anomalous": 1.5,
                "consent": 1.0,
                "security alerts": 2.5,
                "alerts": 1.5,
            },
        )
    )
