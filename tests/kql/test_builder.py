"""The query builder: typed questions in, KQL out, every query accepted by the local translator."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from idpilot.kql.adapter import run_kql, translate
from idpilot.kql.builder import (
    UnsupportedField,
    build_citation_kql,
    build_kql,
    column_of,
    quote,
    supports,
)
from idpilot.kql.question import (
    Attribute,
    Comparison,
    Condition,
    KqlQuestion,
    LogTable,
    QueryKind,
    Threshold,
)
from idpilot.model.windows import TimeWindow
from tests.conftest import DemoTenant

WEEK = TimeWindow(
    start=datetime(2026, 11, 13, 10, tzinfo=UTC), end=datetime(2026, 11, 20, 10, tzinfo=UTC)
)
FAILED = Condition(field=Attribute.result, values=("failure",))
KIND_OF_TABLE = {
    LogTable.sign_ins: QueryKind.sign_ins,
    LogTable.non_interactive: QueryKind.sign_ins,
    LogTable.service_principal_sign_ins: QueryKind.service_principal_sign_ins,
    LogTable.audit: QueryKind.audit,
    LogTable.risky_users: QueryKind.risky_users,
    LogTable.risk_events: QueryKind.risk_events,
    LogTable.risky_service_principals: QueryKind.risky_service_principals,
}


def test_failures_by_user_top_n_is_the_query_an_admin_writes() -> None:
    question = KqlQuestion(
        kind=QueryKind.sign_ins,
        table=LogTable.sign_ins,
        window=WEEK,
        conditions=[FAILED],
        group_by=[Attribute.user],
        top=5,
    )
    assert build_kql(question) == (
        "SigninLogs\n"
        "| where TimeGenerated >= datetime(2026-11-13T10:00:00Z) "
        "and TimeGenerated < datetime(2026-11-20T10:00:00Z)\n"
        '| where ResultType != "0"\n'
        "| summarize Failures = count() by UserPrincipalName\n"
        "| sort by Failures desc, UserPrincipalName asc\n"
        "| take 5"
    )


def test_a_window_closed_just_after_the_snapshot_reads_as_up_to_it() -> None:
    window = TimeWindow(start=WEEK.start, end=datetime(2026, 11, 20, 10, 0, 0, 1, tzinfo=UTC))
    question = KqlQuestion(kind=QueryKind.audit, table=LogTable.audit, window=window)
    assert build_kql(question).splitlines()[1] == (
        "| where TimeGenerated >= datetime(2026-11-13T10:00:00Z) "
        "and TimeGenerated <= datetime(2026-11-20T10:00:00Z)"
    )


def test_a_distinct_threshold_counts_distinct_values_per_group() -> None:
    question = KqlQuestion(
        kind=QueryKind.mfa,
        table=LogTable.sign_ins,
        conditions=[FAILED],
        group_by=[Attribute.user],
        threshold=Threshold(comparison=Comparison.at_least, value=3, distinct=Attribute.country),
    )
    assert build_kql(question).splitlines()[1:] == [
        '| where AuthenticationRequirement == "multiFactorAuthentication"',
        '| where ResultType != "0"',
        "| summarize Countries = dcount(Location) by UserPrincipalName",
        "| where Countries >= 3",
        "| sort by Countries desc, UserPrincipalName asc",
    ]


def test_ca_results_expand_the_policies_and_several_values_use_in() -> None:
    question = KqlQuestion(
        kind=QueryKind.ca_results,
        table=LogTable.non_interactive,
        group_by=[Attribute.policy],
        conditions=[Condition(field=Attribute.policy_result, values=("failure", "success"))],
    )
    text = build_kql(question)
    assert "| mv-expand Policies = parse_json(ConditionalAccessPolicies)" in text
    assert '| where PolicyResult in ("failure", "success")' in text


def test_negated_conditions_and_listings_keep_the_record_id() -> None:
    question = KqlQuestion(
        kind=QueryKind.sign_ins,
        table=LogTable.sign_ins,
        conditions=[
            Condition(
                field=Attribute.client_app,
                values=("Browser", "Mobile Apps and Desktop clients"),
                negated=True,
            )
        ],
    )
    lines = build_kql(question).splitlines()
    assert lines[1] == '| where ClientAppUsed !in ("Browser", "Mobile Apps and Desktop clients")'
    assert lines[2].startswith("| project TimeGenerated, ") and lines[2].endswith(", Id")
    assert build_citation_kql(question) is None


def test_values_are_quoted_never_pasted() -> None:
    assert quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert quote("x\x1by") == '"x y"'
    hostile = KqlQuestion(
        kind=QueryKind.sign_ins,
        table=LogTable.sign_ins,
        conditions=[Condition(field=Attribute.user, values=('x" or 1==1 //',))],
        count_only=True,
    )
    assert build_kql(hostile).splitlines()[1] == '| where UserPrincipalName == "x\\" or 1==1 //"'


def test_a_field_the_table_lacks_is_refused() -> None:
    assert not supports(LogTable.risky_users, Attribute.country)
    with pytest.raises(UnsupportedField):
        column_of(LogTable.risky_users, Attribute.country)
    refused = KqlQuestion(kind=QueryKind.sign_ins, table=LogTable.sign_ins, refusal="a join")
    with pytest.raises(ValueError):
        build_kql(refused)


@pytest.mark.parametrize("table", list(LogTable))
def test_every_grouping_of_every_table_translates_and_runs(
    demo_tenant: DemoTenant, table: LogTable
) -> None:
    store = demo_tenant.store
    for field in Attribute:
        if not supports(table, field) or field in (Attribute.policy, Attribute.policy_result):
            continue
        question = KqlQuestion(
            kind=KIND_OF_TABLE[table], table=table, window=WEEK, group_by=[field], top=3
        )
        translate(store, build_kql(question))
        citations = build_citation_kql(question)
        assert citations is not None
        assert run_kql(store, citations, limit=1).columns[-1] == "Id"


def test_a_listing_and_a_count_run_on_the_demo_tenant(demo_tenant: DemoTenant) -> None:
    listing = KqlQuestion(
        kind=QueryKind.audit,
        table=LogTable.audit,
        conditions=[Condition(field=Attribute.operation, values=("Reset user password",))],
    )
    result = run_kql(demo_tenant.store, build_kql(listing))
    assert result.row_count > 0 and result.columns[-1] == "Id"
    assert set(result.records()[0]) >= {"Actor", "Target", "OperationName"}
    counted = listing.model_copy(update={"count_only": True})
    assert run_kql(demo_tenant.store, build_kql(counted)).rows == [(result.row_count,)]
