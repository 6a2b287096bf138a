"""Skill `posture_assessment`: run every posture check, prioritise failures, score the tenant."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

NAME = "posture_assessment"
MAX_AFFECTED_SHOWN = 5
"""Affected objects a failed check names in the answer; the rest are counted."""
_PSEUDO_KINDS = frozenset({"tenant"})
_FOUR_PART = re.compile(r"\b\d+\.\d+\.\d+\.\d+\s*")
"""Four-part section numbers (CIS 5.2.2.1) read like IP addresses to the grounding check, so
they are printed only when a cited record carries them."""


class PostureAssessmentInput(BaseModel):
    """The assessment covers the whole tenant; the question, when given, names the checks the
    answer leads with ("do we pass the legacy authentication check?")."""

    question: str | None = slot(
        Slot.question, "The question asked: the checks it names lead the answer.", default=None
    )


class PostureFacts(SkillFacts):
    """The tenant's posture: score, failed checks worst first (affected objects cited), the
    passed checks with what shows they pass (cited), and those that did not apply."""

    score: float
    grade: str
    counts: dict[str, int]
    failed_by_severity: dict[str, int]
    weights: dict[str, float]
    failed: list[dict[str, Any]]
    passed: list[dict[str, Any]]
    """id, title, baseline, control, summary and `evidence` (kind, id, label, detail)."""
    not_applicable: list[dict[str, Any]]
    unknown: list[dict[str, Any]] = Field(default_factory=list)
    """Checks the snapshot lacks the data to decide: id, title and the `missing` collections."""
    top: list[dict[str, Any]]
    total_checks: int
    proposals: list[dict[str, Any]]
    asked: list[dict[str, Any]] = Field(default_factory=list)
    """The checks the question names (its words shared with a check's title and control), each
    with its verdict: what the answer leads with."""


_STEM_CHARS = 5
"""Words compared by their first letters ("activating" and "activation", "admin" and
"administrator")."""
MIN_SHARED_STEMS = 2
_NOT_ASKING = frozenset(
    {
        *("check", "checks", "control", "pass", "passes", "fail", "fails", "tenant", "should"),
        *("shall", "confirm", "sure", "fairly", "think", "right", "correct", "baseline"),
        *("scuba", "about", "there", "which", "would", "where", "still", "anyone", "people"),
        *("users", "user", "every", "their", "other", "this", "that", "does", "need", "needs"),
    }
)
MAX_ASKED = 2


def _stems(text: str) -> set[str]:
    """The content words of a text, by their first letters."""
    return {
        w[:_STEM_CHARS]
        for w in re.findall(r"[a-z]+", text.lower())
        if len(w) >= 4 and w not in _NOT_ASKING
    }


def _checks_asked(
    question: str,
    failed: list[dict[str, Any]],
    passed: list[dict[str, Any]],
    unknown: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The checks the question names: those sharing the most content words with it (at least
    `MIN_SHARED_STEMS`), each marked with its verdict; none for a question about the whole
    posture."""
    asked = _stems(question)
    if len(asked) < MIN_SHARED_STEMS:
        return []
    scored = []
    for verdict, checks in (("failed", failed), ("passed", passed), ("undecided", unknown)):
        for check in checks:
            words = _stems(f"{check['title']} {check.get('control', '')}")
            scored.append((len(asked & words), verdict, check))
    best = max((score for score, _, _ in scored), default=0)
    if best < MIN_SHARED_STEMS:
        return []
    return [{**check, "verdict": verdict} for score, verdict, check in scored if score == best][
        :MAX_ASKED
    ]


def posture_assessment(store: Store, params: PostureAssessmentInput) -> SkillResult:
    """Assess the tenant's identity security posture against CISA SCuBA, CIS and Microsoft."""
    from idpilot.posture import SEVERITY_WEIGHTS, CheckStatus, assess

    report = assess(store)
    result = SkillResult(skill=NAME)
    failed = []
    proposals: list[dict] = []
    records: dict[tuple[str, str], dict] = {}
    for check in report.prioritized():
        shown = _shown(check, check.affected, records)
        failed.append(
            {
                "id": check.id,
                "title": check.title,
                "area": check.area,
                "severity": check.severity.value,
                "baseline": check.baseline.value,
                "control": check.control if shown else _FOUR_PART.sub("", check.control),
                "fix": check.fix,
                "summary": check.summary,
                "affected_count": check.affected_count,
                "affected": shown[:MAX_AFFECTED_SHOWN],
                "more": max(0, check.affected_count - MAX_AFFECTED_SHOWN),
            }
        )
    passed = []
    for check in report.results:
        if check.status is not CheckStatus.passed:
            continue
        shown = _shown(check, check.evidence, records)
        passed.append(
            {
                "id": check.id,
                "title": check.title,
                "area": check.area,
                "severity": check.severity.value,
                "baseline": check.baseline.value,
                "control": check.control if shown else _FOUR_PART.sub("", check.control),
                "summary": check.summary,
                "evidence": shown,
            }
        )
    for (kind, record_id), record in records.items():
        result.add_evidence(
            Record(
                kind=kind,
                id=record_id,
                label=f"{kind} {record['label']}",
                fields={**record["fields"], "checks": record["checks"]},
            )
        )
    not_applicable = [
        {"id": r.id, "title": r.title, "summary": r.summary}
        for r in report.results
        if r.status is CheckStatus.not_applicable
    ]
    unknown = [
        {"id": r.id, "title": r.title, "missing": r.missing}
        for r in report.results
        if r.status is CheckStatus.unknown
    ]
    result.facts = PostureFacts(
        score=report.score,
        grade=report.grade,
        counts=report.counts,
        failed_by_severity=report.failed_by_severity,
        weights={k.value: v for k, v in SEVERITY_WEIGHTS.items()},
        failed=failed,
        passed=passed,
        not_applicable=not_applicable,
        unknown=unknown,
        top=failed[:3],
        asked=_checks_asked(params.question or "", failed, passed, unknown),
        total_checks=len(report.results),
        proposals=proposals,
    )
    result.next_steps = [
        NextStep(
            action=f["fix"],
            why=f"{f['id']} {f['title']}",
            evidence_ids=[a["id"] for a in f["affected"]],
        )
        for f in failed[:5]
    ]
    result.followups = [
        "Anything suspicious in the last 24 hours?",
        "Which users are at risk right now?",
        "Which workload identities are risky?",
    ]
    return result


def _shown(check: Any, items: list[Record], records: dict) -> list[dict[str, Any]]:
    """The records a check names (affected objects, or what shows a pass), gathered once per
    object with the checks that cite it; pseudo-objects (the tenant) are left out."""
    shown = []
    for item in items:
        if item.kind in _PSEUDO_KINDS:
            continue
        record = records.setdefault(
            (item.kind, item.id),
            {"label": item.label, "fields": {"label": item.label, **item.fields}, "checks": []},
        )
        # The check's control travels with the records it cites, so the answer's control
        # numbers are grounded in cited evidence.
        record["checks"].append({"id": check.id, "control": check.control, "detail": item.detail})
        shown.append({"id": item.id, "kind": item.kind, "label": item.label, "detail": item.detail})
    return shown


def register(registry: SkillRegistry) -> None:
    """Register `posture_assessment`."""
    registry.add(
        define_skill(
            posture_assessment,
            name=NAME,
            facts=PostureFacts,
            reads=(
                Collection.conditional_access_policies,
                Collection.named_locations,
                Collection.authorization_policy,
                Collection.authentication_methods_policy,
                Collection.security_defaults_policy,
                Collection.admin_consent_request_policy,
                Collection.permission_grant_policies,
                Collection.group_settings,
                Collection.role_management_policies,
                Collection.role_management_policy_assignments,
                Collection.role_eligibility_schedules,
                Collection.subscribed_skus,
                Collection.default_app_management_policy,
                Collection.domains,
                Collection.user_registration_details,
            ),
            keywords={
                "posture": 3.0,
                "healthy": 2.5,
                "hygiene": 2.5,
                "security posture": 3.5,
                "assessment": 2.5,
                "assess": 2.5,
                "secure score": 3.0,
                "score": 1.5,
                "baseline": 2.0,
                "scuba": 3.0,
                "cis": 2.5,
                "benchmark": 2.5,
                "best practices": 2.5,
                "best practice": 2.5,
                "misconfigurations": 2.5,
                "misconfiguration": 2.5,
                "hardening": 2.5,
                "how secure": 3.0,
                "security gaps": 3.0,
                "gaps": 1.5,
                "audit my tenant": 3.0,
                "health check": 2.5,
                "recommendations": 2.0,
            },
        )
    )
