"""The posture score of each area (the module a check lives in: roles, consent, guests...)."""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.posture import score_results
from idpilot.posture.base import CheckResult, CheckStatus


class AreaScore(BaseModel):
    """One area's score (as the tenant score is computed, over its own checks) and counts."""

    area: str
    score: int
    passed: int
    failed: int
    other: int
    """Checks not applicable or undecided (the snapshot lacks their data)."""


def area_scores(results: list[CheckResult]) -> list[AreaScore]:
    """Each area's score, weighted as the tenant's score is, lowest first."""
    areas: dict[str, list[CheckResult]] = {}
    for result in results:
        areas.setdefault(result.area, []).append(result)
    scored = [
        AreaScore(
            area=area,
            score=score_results(checks),
            passed=sum(1 for r in checks if r.status is CheckStatus.passed),
            failed=sum(1 for r in checks if r.status is CheckStatus.failed),
            other=sum(
                1 for r in checks if r.status not in (CheckStatus.passed, CheckStatus.failed)
            ),
        )
        for area, checks in areas.items()
    ]
    return sorted(scored, key=lambda a: (a.score, a.area))
