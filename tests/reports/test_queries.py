"""The queries an engineer's report gives reproduce its figures through the KQL adapter."""

from __future__ import annotations

import pytest

from idpilot.kql.adapter import run_kql
from idpilot.reports import Audience, ReportKind

SERIES = {
    (ReportKind.signins, "failures-by-day"): ("signIns", "failures"),
    (ReportKind.incident, "failures-by-day"): ("signIns", "failures"),
    (ReportKind.risk, "risk-by-day"): ("high", "medium", "low"),
}


@pytest.mark.parametrize(("kind", "figure"), list(SERIES))
def test_the_daily_query_reproduces_the_chart(
    demo_tenant, reports: dict, kind: ReportKind, figure: str
) -> None:
    answer = reports[(kind, Audience.engineer)]
    record = next(r for r in answer.evidence if r.id == figure)
    result = run_kql(demo_tenant.store, record.fields["kql"])
    assert [row[0].strftime("%Y-%m-%d") for row in result.rows] == record.fields["labels"]
    for column, name in enumerate(SERIES[(kind, figure)], start=1):
        assert [row[column] for row in result.rows] == record.fields[name], name
    assert record.fields["kql"].splitlines()[0] in answer.answer


@pytest.mark.parametrize("kind", [ReportKind.incident, ReportKind.signins, ReportKind.risk])
def test_every_query_of_the_report_runs(demo_tenant, reports: dict, kind: ReportKind) -> None:
    import re

    queries = re.findall(r"```kql\n(.*?)\n```", reports[(kind, Audience.engineer)].answer, re.S)
    assert queries
    for query in queries:
        run_kql(demo_tenant.store, query, limit=1)
