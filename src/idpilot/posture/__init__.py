"""Security posture assessment: small pure checks over the tenant, a prioritised list, a score.

Scoring: each applicable check weighs by its severity (critical 10, high 5, medium 3, low 1,
informational 0). The score is the weight of passed checks divided by the weight of all
applicable (passed or failed) checks, times 100, rounded. Checks that are not applicable to
the snapshot, and those it lacks the data to decide (`unknown`), count for neither. The
grade is A (>= 90), B (>= 75), C (>= 60), D (>= 40), else F.
Failed checks are prioritised by severity, then by how many objects they affect.
"""

from __future__ import annotations

import time

from pydantic import BaseModel, Field

from idpilot.posture import (  # noqa: F401  (importing a module registers its checks)
    accounts,
    admin_licences,
    app_management,
    apps,
    authentication,
    authentication_methods,
    conditional_access,
    conditional_access_baseline,
    conditional_access_cis,
    consent,
    guests,
    identity_protection,
    locations,
    monitoring,
    passwords,
    privileged_access,
    roles,
)
from idpilot.posture.base import CHECKS, Baseline, Check, CheckResult, CheckStatus
from idpilot.posture.data import PostureData, load_posture_data
from idpilot.security.severity import Severity
from idpilot.store import Store

SEVERITY_WEIGHTS: dict[Severity, int] = {
    Severity.critical: 10,
    Severity.high: 5,
    Severity.medium: 3,
    Severity.low: 1,
    Severity.informational: 0,
}
GRADES = ((90, "A"), (75, "B"), (60, "C"), (40, "D"), (0, "F"))


class PostureReport(BaseModel):
    """Every check's result, failed ones prioritised, and the score."""

    results: list[CheckResult]
    score: int
    grade: str
    counts: dict[str, int] = Field(default_factory=dict)
    failed_by_severity: dict[str, int] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)

    def prioritized(self) -> list[CheckResult]:
        """Failed checks, worst first."""
        return [r for r in self.results if r.status is CheckStatus.failed]


def score_results(results: list[CheckResult]) -> int:
    """The weighted share of applicable checks that passed, 0-100 (100 when none apply)."""
    applicable = [r for r in results if r.status in (CheckStatus.passed, CheckStatus.failed)]
    total = sum(SEVERITY_WEIGHTS[r.severity] for r in applicable)
    if total == 0:
        return 100
    gained = sum(SEVERITY_WEIGHTS[r.severity] for r in applicable if r.status is CheckStatus.passed)
    return round(100 * gained / total)


def grade(score: int) -> str:
    """The letter grade of a score."""
    return next(letter for floor, letter in GRADES if score >= floor)


def _order(result: CheckResult) -> tuple[int, int, int, str]:
    status = {
        CheckStatus.failed: 0,
        CheckStatus.passed: 1,
        CheckStatus.not_applicable: 2,
        CheckStatus.unknown: 3,
    }
    return (status[result.status], result.severity.rank, -result.affected_count, result.id)


def run_checks(data: PostureData, checks: list[Check] | None = None) -> list[CheckResult]:
    """Run the checks over loaded data, failed first and worst first."""
    return sorted((c.run(data) for c in checks or CHECKS), key=_order)


def assess(store: Store) -> PostureReport:
    """Load the tenant, run every check, and score the result."""
    started = time.perf_counter()
    data = load_posture_data(store)
    loaded = time.perf_counter()
    results = run_checks(data)
    finished = time.perf_counter()
    score = score_results(results)
    counts = {s.value: sum(1 for r in results if r.status is s) for s in CheckStatus}
    failed = {
        s.value: sum(1 for r in results if r.status is CheckStatus.failed and r.severity is s)
        for s in Severity
    }
    return PostureReport(
        results=results,
        score=score,
        grade=grade(score),
        counts=counts,
        failed_by_severity=failed,
        timings={"load": loaded - started, "checks": finished - loaded},
    )


__all__ = [
    "CHECKS",
    "SEVERITY_WEIGHTS",
    "Baseline",
    "Check",
    "CheckResult",
    "CheckStatus",
    "PostureData",
    "PostureReport",
    "assess",
    "grade",
    "load_posture_data",
    "run_checks",
    "score_results",
]
