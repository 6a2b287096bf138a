"""Column names that differ only in case are two columns, as in Kusto (names are case-sensitive)."""

from __future__ import annotations

import pytest

from idpilot.kql.adapter import run_kql, translate
from idpilot.kql.errors import KqlErrorKind, KqlQueryError
from idpilot.kql.extensions.case_names import Spellings
from idpilot.store import Store


def test_a_column_and_its_lower_case_twin_keep_their_own_values(store: Store) -> None:
    result = run_kql(store, 'AuditLogs | take 3 | extend id = strcat("x-", Id) | project Id, id')
    assert result.columns == ["Id", "id"]
    assert result.rows and all(twin == f"x-{record}" for record, twin in result.rows)


def test_three_spellings_and_a_later_read_of_each(store: Store) -> None:
    result = run_kql(
        store,
        "print a = 1 | extend A = 2 | extend Aa = a * 10 + A, aA = A * 10 + a"
        " | project a, A, Aa, aA",
    )
    assert result.columns == ["a", "A", "Aa", "aA"]
    assert result.rows == [(1, 2, 12, 21)]


def test_grouping_by_both_and_the_schema_names_both(store: Store) -> None:
    grouped = run_kql(
        store, 'AuditLogs | take 1 | extend id = "x" | summarize n = count() by id, Id'
    )
    assert grouped.columns == ["id", "Id", "n"]
    assert grouped.rows[0][0] == "x"
    schema = run_kql(
        store,
        'AuditLogs | extend id = "x" | getschema | where ColumnName =~ "id" | project ColumnName',
    )
    assert sorted(row[0] for row in schema.rows) == ["Id", "id"]


def test_a_bag_of_both_keeps_both_keys(store: Store) -> None:
    result = run_kql(
        store, 'AuditLogs | take 1 | extend id = "x" | project b = bag_pack("id", id, "Id", Id)'
    )
    (bag,) = result.rows[0]
    assert bag["id"] == "x" and bag["Id"] != "x"


def test_a_column_named_in_the_wrong_case_is_unknown(store: Store) -> None:
    with pytest.raises(KqlQueryError) as raised:
        run_kql(store, "AuditLogs | project operationName | take 1")
    assert raised.value.kind is KqlErrorKind.unknown_column
    assert "'operationName'" in str(raised.value)
    assert '"OperationName"' in str(raised.value)


def test_a_query_without_twins_renders_as_before(store: Store) -> None:
    sql, _ = translate(store, 'AuditLogs | extend Target = "x" | project Id, Target')
    assert "#" not in sql


def test_spellings_keep_the_tables_names_and_mark_later_twins() -> None:
    spellings = Spellings(["IPAddress", "IpAddress", "Id"])
    assert [spellings.sql_name(name) for name in ("IPAddress", "IpAddress", "Id")] == [
        "IPAddress",
        "IpAddress",
        "Id",
    ]
    assert spellings.sql_name("id") == "id#2"
    assert spellings.sql_name("ID") == "ID#3"
    assert spellings.sql_name("id") == "id#2"
    assert spellings.sql_name("Other") == "Other"
    assert spellings.kql_name("ID#3") == "ID"
    assert spellings.kql_name("Other") == "Other"


def test_a_table_is_found_whatever_the_case_of_its_name() -> None:
    spellings = Spellings(["Id"], tables=["SigninLogs"])
    assert spellings.sql_name("signinlogs") == "signinlogs"
    assert spellings.sql_name("id") == "id#2"
