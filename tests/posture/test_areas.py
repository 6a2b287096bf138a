"""The posture score by area: each area scored as the tenant is, over its own checks."""

from __future__ import annotations

from idpilot.posture import CheckResult, CheckStatus, assess, score_results
from idpilot.posture.areas import area_scores
from idpilot.posture.base import Baseline
from idpilot.security.severity import Severity
from tests.conftest import DemoTenant


def _result(area: str, status: CheckStatus, severity: Severity) -> CheckResult:
    return CheckResult(
        id=f"{area}-{status}-{severity}",
        title="t",
        area=area,
        status=status,
        severity=severity,
        baseline=Baseline.microsoft,
        control="c",
        fix="f",
    )


def test_each_area_is_weighted_by_severity_and_listed_lowest_first() -> None:
    results = [
        _result("roles", CheckStatus.passed, Severity.high),
        _result("roles", CheckStatus.failed, Severity.critical),
        _result("apps", CheckStatus.passed, Severity.low),
        _result("apps", CheckStatus.not_applicable, Severity.high),
    ]
    scores = area_scores(results)
    assert [(a.area, a.passed, a.failed, a.other) for a in scores] == [
        ("roles", 1, 1, 0),
        ("apps", 1, 0, 1),
    ]
    assert scores[0].score == round(100 * 5 / 15)
    assert scores[1].score == 100


def test_the_demo_tenants_areas_cover_every_check(demo_tenant: DemoTenant) -> None:
    report = assess(demo_tenant.store)
    scores = area_scores(report.results)
    assert sum(a.passed + a.failed + a.other for a in scores) == len(report.results)
    assert {a.area for a in scores} == {r.area for r in report.results}
    for area in scores:
        mine = [r for r in report.results if r.area == area.area]
        assert area.score == score_results(mine)
