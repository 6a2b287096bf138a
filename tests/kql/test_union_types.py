"""`union` of legs whose shared columns differ in type: one column per name and type (Kusto)."""

from __future__ import annotations

from idpilot.kql.adapter import run_kql, translate
from idpilot.store import Store

# SigninLogs publishes LocationDetails as dynamic, AADNonInteractiveUserSignInLogs as string.
_BOTH = "union SigninLogs, AADNonInteractiveUserSignInLogs"


def _count(store: Store, table: str) -> int:
    return run_kql(store, f"{table} | count").rows[0][0]


def test_a_column_of_two_types_becomes_one_column_per_type(store: Store) -> None:
    result = run_kql(store, f"{_BOTH} | getschema | where ColumnName startswith 'LocationDetails'")
    assert [(row[0], row[3]) for row in result.rows] == [
        ("LocationDetails_dynamic", "dynamic"),
        ("LocationDetails_string", "string"),
    ]


def test_each_typed_column_holds_the_rows_of_its_own_leg(store: Store) -> None:
    result = run_kql(
        store,
        f"{_BOTH} | summarize dynamic_rows = countif(isnotnull(LocationDetails_dynamic)),"
        " string_rows = countif(isnotnull(LocationDetails_string)), rows = count()",
    )
    interactive = run_kql(store, "SigninLogs | where isnotnull(LocationDetails) | count")
    other = run_kql(
        store, "AADNonInteractiveUserSignInLogs | where isnotnull(LocationDetails) | count"
    )
    (row,) = result.rows
    assert row[0] == interactive.rows[0][0] > 0
    assert row[1] == other.rows[0][0] > 0
    assert row[2] == _count(store, "SigninLogs") + _count(store, "AADNonInteractiveUserSignInLogs")


def test_the_untyped_name_is_gone_as_in_kusto(store: Store) -> None:
    result = run_kql(store, f"{_BOTH} | take 1")
    assert "LocationDetails" not in result.columns
    assert "Location" in result.columns  # a string in both legs: one column, its own name


def test_the_dynamic_column_is_still_dynamic(store: Store) -> None:
    result = run_kql(
        store,
        f"{_BOTH} | where isnotnull(LocationDetails_dynamic)"
        " | summarize by City = tostring(LocationDetails_dynamic.city) | where isnotempty(City)",
    )
    assert result.rows


def test_piped_union_of_query_legs_with_withsource(store: Store) -> None:
    result = run_kql(
        store,
        "SigninLogs | union withsource=Source (AADNonInteractiveUserSignInLogs | where true)"
        " | summarize n = count(), typed = countif(isnotnull(Status_string)) by Source",
    )
    rows = {source: (n, typed) for source, n, typed in result.rows}
    other = _count(store, "AADNonInteractiveUserSignInLogs")
    assert rows["union_arg1"] == (other, other)
    assert rows["SigninLogs"][1] == 0


def test_inner_union_keeps_only_columns_of_one_name_and_type(store: Store) -> None:
    result = run_kql(store, "union kind=inner SigninLogs, AADNonInteractiveUserSignInLogs | take 1")
    assert "Location" in result.columns
    assert not any(column.startswith("LocationDetails") for column in result.columns)


def test_legs_that_agree_on_types_render_as_before(store: Store) -> None:
    sql, _ = translate(store, "union SigninLogs, SigninLogs | take 1")
    assert "EXCLUDE" not in sql
    assert "LocationDetails" in run_kql(store, "union SigninLogs, SigninLogs | take 1").columns
