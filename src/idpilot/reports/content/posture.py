"""The posture report: the score, its areas, failed checks as issues and passed ones as measures."""

from __future__ import annotations

from typing import Any

from idpilot.reports.content._base import MAX_OBJECTS_PER_ITEM, Content, ReportInputs, objects_in
from idpilot.reports.model import ChartSpec, ReportItem
from idpilot.reports.wording import area_words, severity_impact

SEVERITY_ORDER = ("critical", "high", "medium", "low", "informational")


def build(inputs: ReportInputs, content: Content) -> None:
    """Add the posture assessment's score, areas, failed and passed checks to `content`."""
    from idpilot.skills.builtin.posture_assessment import (
        PostureAssessmentInput,
        posture_assessment,
    )

    result = content.take(posture_assessment(inputs.store, PostureAssessmentInput()))
    facts = result.facts
    figures = content.figures
    counts = facts.counts
    check_refs = [_check_ref(content, check, "failed") for check in facts.failed]
    check_refs += [_check_ref(content, check, "passed") for check in facts.passed]
    score = figures.add(
        "posture-score",
        "posture score over every check",
        {
            "score": facts.score,
            "grade": facts.grade,
            "checks": facts.total_checks,
            "passed": counts["passed"],
            "failed": counts["failed"],
            "notApplicable": counts["notApplicable"],
            "unknown": counts["unknown"],
            **{f"failed{s.capitalize()}": n for s, n in facts.failed_by_severity.items()},
            "weights": facts.weights,
        },
        sources=check_refs,
    )
    urgent = facts.failed_by_severity["critical"] + facts.failed_by_severity["high"]
    figures.records[-1].fields["failedCriticalOrHigh"] = urgent
    content.headline = [
        figures.value(score, "score", "posture score (of a hundred)"),
        figures.value(score, "failed", "checks failed"),
        figures.value(score, "failedCriticalOrHigh", "failed checks of critical or high severity"),
    ]
    content.environment = [
        figures.value(score, "checks", "checks run (CISA SCuBA, CIS, Microsoft)"),
        figures.value(score, "passed", "checks passed"),
    ]
    for check, ref in zip(facts.failed, check_refs, strict=False):
        content.issues.append(
            ReportItem(
                title=f"{check['id']} not met: {check['title']}",
                severity=check["severity"],
                impact=severity_impact(check["severity"], area_words(check["area"])),
                detail=check["summary"],
                controls=[c for c in (check["control"],) if c],
                steps=[check["fix"]],
                objects=objects_in(content, check["affected"][:MAX_OBJECTS_PER_ITEM]),
                figure=ref,
                count=check["affected_count"],
                count_noun="affected object",
            )
        )
    for check, ref in zip(facts.passed, check_refs[len(facts.failed) :], strict=False):
        content.measures.append(
            ReportItem(
                title=f"{check['id']} {check['title']}",
                severity=check["severity"],
                controls=[c for c in (check["control"],) if c],
                objects=objects_in(content, check["evidence"][:MAX_OBJECTS_PER_ITEM]),
                figure=ref,
            )
        )
    _area_chart(content, facts.failed + facts.passed, facts.weights)


def _check_ref(content: Content, check: dict[str, Any], verdict: str) -> str:
    """A check's own figure record: its verdict, controls, fix and every object it names."""
    named = check.get("affected") or check.get("evidence") or []
    return content.figures.add(
        f"check-{check['id']}",
        f"posture check {check['id']} {check['title']}",
        {
            "check": check["id"],
            "title": check["title"],
            "verdict": verdict,
            "severity": check["severity"],
            "area": check["area"],
            "baseline": check["baseline"],
            "control": check["control"],
            "affected": check.get("affected_count", 0),
            "fix": check.get("fix", ""),
            "summary": check.get("summary", ""),
        },
        sources=[f"{o['kind']}:{o['id']}" for o in named if content.has(o["kind"], o["id"])],
    )


def _area_chart(content: Content, checks: list[dict[str, Any]], weights: dict[str, float]) -> None:
    """Each area's score (weighted as the tenant's) as a figure record and a bar chart."""
    areas: dict[str, list[dict[str, Any]]] = {}
    for check in checks:
        areas.setdefault(check["area"], []).append(check)
    rows = []
    for area, members in areas.items():
        total = sum(weights[c["severity"]] for c in members)
        gained = sum(weights[c["severity"]] for c in members if "affected_count" not in c)
        rows.append((round(100 * gained / total) if total else 100, area_words(area), members))
    rows.sort(key=lambda row: (row[0], row[1]))
    ref = content.figures.add(
        "posture-areas",
        "posture score of each area",
        {"labels": [r[1] for r in rows], "score": [r[0] for r in rows]},
        sources=[f"reportFigure:check-{c['id']}" for r in rows for c in r[2]],
    )
    content.charts.append(
        ChartSpec(
            id="score-by-area",
            title="Posture score by area",
            style="barh",
            labels=[r[1] for r in rows],
            series={"score": [float(r[0]) for r in rows]},
            ref=ref,
            caption="Score by area, weighted by severity as the tenant score is",
        )
    )
