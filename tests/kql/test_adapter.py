"""Sentinel queries run unchanged against the fixture store; each failure says what to fix."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from idpilot.errors import IdpilotError
from idpilot.kql.adapter import ENGINE, LOG_ANALYTICS_TABLES, run_kql
from idpilot.kql.errors import KqlErrorKind, KqlQueryError
from idpilot.store import Store


def test_failed_sign_ins_by_user(store: Store) -> None:
    result = run_kql(
        store,
        'SigninLogs | where ResultType != "0" | summarize count() by UserPrincipalName'
        " | order by UserPrincipalName asc",
    )
    assert result.columns == ["UserPrincipalName", "count_"]
    assert result.rows == [
        ("testaccount1@contoso.com", 2),
        ("user2@contoso.com", 1),
        ("user3@contoso.com", 1),
        ("user4@contoso.com", 1),
        ("user9@contoso.com", 1),
    ]
    assert result.row_count == 5
    assert "SELECT" in result.sql


def test_password_spray_within_a_day_of_the_snapshot(store: Store) -> None:
    result = run_kql(
        store,
        'SigninLogs | where TimeGenerated > ago(1d) | where ResultType == "50126"'
        " | summarize Users=dcount(UserPrincipalName) by IPAddress | where Users > 2",
    )
    # user9's failure is ten days older than the snapshot: outside ago(1d).
    assert result.records() == [{"IPAddress": "131.107.159.37", "Users": 4}]


def test_ago_is_relative_to_the_snapshot_not_today(store: Store) -> None:
    assert store.captured_at() == datetime(2021, 7, 1, tzinfo=UTC)
    recent = run_kql(store, "SigninLogs | where TimeGenerated > ago(1d) | count")
    assert recent.rows == [(6,)]
    (now,) = run_kql(store, "print t = now()").rows[0]
    assert now.replace(tzinfo=UTC) == datetime(2021, 7, 1, tzinfo=UTC)


def test_role_assignment_targets(store: Store) -> None:
    result = run_kql(
        store,
        'AuditLogs | where OperationName == "Add member to role"'
        " | extend Target = tostring(TargetResources[0].userPrincipalName)"
        " | project TimeGenerated, Target",
    )
    assert result.rows == [(datetime(2021, 6, 30, 12, tzinfo=UTC), "bob@contoso.com")]


def test_dynamic_property_access(store: Store) -> None:
    result = run_kql(
        store,
        "SigninLogs | extend City = tostring(LocationDetails.city)"
        " | summarize n = count() by City | order by City asc",
    )
    assert result.rows == [("Paris", 1), ("Redmond", 6)]


def test_mv_expand_over_conditional_access_policies(store: Store) -> None:
    result = run_kql(
        store,
        "SigninLogs | mv-expand CA = ConditionalAccessPolicies"
        ' | where tostring(CA.result) == "success"'
        " | project Id, Policy = tostring(CA.displayName)",
    )
    assert result.rows == [("success-1", "Require MFA for admins")]


def test_parse_json_over_non_interactive_string_columns(store: Store) -> None:
    result = run_kql(
        store,
        "AADNonInteractiveUserSignInLogs"
        " | extend Country = tostring(parse_json(LocationDetails).countryOrRegion)"
        " | mv-expand CA = parse_json(ConditionalAccessPolicies)"
        " | project Country, Policy = tostring(CA.displayName), Result = tostring(CA.result)",
    )
    assert result.rows == [
        ("US", "Require MFA for admins", "success"),
        ("US", "Medium signin risk block", "notEnabled"),
    ]


def test_dynamic_columns_come_back_parsed(store: Store) -> None:
    result = run_kql(store, 'SigninLogs | where Id == "success-1" | project LocationDetails')
    assert result.types == ["JSON"]
    assert result.rows[0][0]["city"] == "Paris"


def test_arg_max_latest_state_per_detection(store: Store) -> None:
    result = run_kql(
        store, "AADUserRiskEvents | summarize arg_max(TimeGenerated, *) by Id | project Id"
    )
    assert result.rows == [("6a5874ca-abcd-9d82-5ad39bd71600",)]


def test_limit_truncates_and_says_so(store: Store) -> None:
    result = run_kql(store, "SigninLogs | project Id", limit=3)
    assert result.row_count == 3
    assert result.truncated
    assert not run_kql(store, "SigninLogs | project Id", limit=100).truncated


def test_every_view_answers(store: Store) -> None:
    for table in LOG_ANALYTICS_TABLES:
        assert run_kql(store, f"{table} | take 1").columns[0] != ""


def error_of(store: Store, query: str) -> KqlQueryError:
    with pytest.raises(KqlQueryError) as caught:
        run_kql(store, query)
    assert isinstance(caught.value, IdpilotError)
    return caught.value


def test_syntax_error_has_line_column_and_caret(store: Store) -> None:
    error = error_of(store, "SigninLogs\n| where UserPrincipalName == ")
    assert error.kind is KqlErrorKind.syntax
    assert (error.line, error.column) == (2, 30)
    assert str(error) == (
        "KQL syntax error at line 2, column 30: the query ends where more was expected\n"
        "  | where UserPrincipalName == \n"
        "                               ^"
    )


def test_syntax_error_in_the_middle(store: Store) -> None:
    error = error_of(store, "SigninLogs | wherex UserPrincipalName")
    assert str(error).startswith("KQL syntax error at line 1, column 12: unexpected '|'")
    assert str(error).endswith("\n  SigninLogs | wherex UserPrincipalName\n             ^")


def test_unsupported_operator_is_named(store: Store) -> None:
    error = error_of(store, "SigninLogs | facet by Location")
    assert error.kind is KqlErrorKind.unsupported
    assert str(error).startswith(f"the KQL operator 'facet' is not supported locally ({ENGINE})")
    assert (error.line, error.column) == (1, 14)


def test_unsupported_plugin_is_named(store: Store) -> None:
    error = error_of(store, "SigninLogs\n| evaluate autocluster()")
    assert str(error).startswith("the KQL operator 'evaluate autocluster' is not supported")


def test_a_partly_supported_construct_says_which_part(store: Store) -> None:
    error = error_of(
        store, "SigninLogs | top-nested 2 of AppDisplayName with others='x' by dcount(Id)"
    )
    assert str(error).startswith(
        f"the KQL operator 'top-nested' is not supported locally ({ENGINE}): with others is"
    )


def test_unsupported_function_is_named(store: Store) -> None:
    error = error_of(store, "SigninLogs | extend g = geo_info_from_ipv6_address(IPAddress)")
    assert str(error) == (
        f"the KQL function 'geo_info_from_ipv6_address' is not supported locally ({ENGINE})"
    )


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("SigninLogs | sample-distinct 3 of AppDisplayName", "operator 'sample-distinct'"),
        ("SigninLogs | facet by Location", "operator 'facet'"),
        ("SigninLogs | fork (take 1)", "operator 'fork'"),
        ("SigninLogs | evaluate autocluster()", "operator 'evaluate autocluster'"),
        ('SigninLogs | where * has "Redmond"', "expression '* has'"),
        ('search "contoso"', "operator 'search'"),
        (
            "SigninLogs | extend k = zlib_compress_to_base64_string(Id)",
            "function 'zlib_compress_to_base64_string'",
        ),
    ],
)
def test_unsupported_constructs_are_named_as_written(store: Store, query: str, named: str) -> None:
    assert str(error_of(store, query)).startswith(f"the KQL {named} is not supported locally")


@pytest.mark.parametrize("query", ["SigninLog | take 1", "SigninLogs | union Nope"])
def test_unknown_table_names_the_tables_available(store: Store, query: str) -> None:
    error = error_of(store, query)
    assert error.kind is KqlErrorKind.unknown_table
    assert "unknown table" in str(error)
    assert str(error).endswith(
        "the tables available are SigninLogs, AADNonInteractiveUserSignInLogs, "
        "AADServicePrincipalSignInLogs, AuditLogs, AADRiskyUsers, AADUserRiskEvents, "
        "AADRiskyServicePrincipals"
    )


def test_unknown_column(store: Store) -> None:
    error = error_of(store, "SigninLogs | where UserName == 'x'")
    assert error.kind is KqlErrorKind.unknown_column
    assert str(error).startswith("unknown column 'UserName'")


@pytest.mark.parametrize(
    "query",
    [
        ".drop table signIns",
        "// clean up\n.set-or-replace SigninLogs <| SigninLogs | take 0",
        ".show tables",
        ".append AuditLogs <| AuditLogs",
    ],
)
def test_management_commands_are_refused(store: Store, query: str) -> None:
    error = error_of(store, query)
    assert error.kind is KqlErrorKind.read_only
    assert "only reads" in str(error)
    assert store.scalar("SELECT count(*) FROM signIns") == 9


def test_a_store_without_the_views_says_how_to_migrate() -> None:
    with Store.open(None) as fresh:
        fresh.con.execute("DROP VIEW SigninLogs")
        error = error_of(fresh, "SigninLogs | take 1")
    assert error.kind is KqlErrorKind.not_migrated
