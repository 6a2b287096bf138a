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
    """The assessment covers the whole tenant; the checks a question names lead the answer."""

    checks: list[str] | None = slot(
        Slot.stated,
        "The ids of the checks the question names ('do we pass the legacy authentication "
        "check?'): the answer leads with their verdicts.",
        default=None,
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


def _checks_asked(
    ids: list[str],
    failed: list[dict[str, Any]],
    passed: list[dict[str, Any]],
    unknown: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The checks asked about, in the order asked, each marked with its verdict."""
    verdicts = {
        check["id"]: {**check, "verdict": verdict}
        for verdict, checks in (("failed", failed), ("passed", passed), ("undecided", unknown))
        for check in checks
    }
    return [verdicts[i] for i in ids if i in verdicts]


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
        asked=_checks_asked(params.checks or [], failed, passed, unknown),
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
