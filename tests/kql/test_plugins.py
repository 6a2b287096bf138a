"""`evaluate bag_unpack` and `evaluate pivot`: columns read from the data in two steps."""

from __future__ import annotations

import duckdb_kql
import pytest

from idpilot.kql import extensions
from idpilot.kql.adapter import run_kql
from idpilot.kql.errors import KqlQueryError
from idpilot.store import Store

BAGS = (
    "let d = datatable(id:long, bag:dynamic)["
    ' 1, dynamic({"Name": "John", "Age": 20}),'
    ' 2, dynamic({"Name": "Dave", "Age": 40.5, "x/y": [1]}),'
    " 3, dynamic(null),"
    ' 4, dynamic({"id": 9})];'
)
EVENTS = (
    "let e = datatable(State:string, EventType:string, Deaths:long)["
    ' "AL", "Wind", 1, "AL", "Wind", 2, "AK", "Wind", 3, "AK", "Flood", 4, "", "Flood", 9];'
)


def _sorted(result_rows: list[tuple]) -> list[tuple]:
    return sorted(result_rows, key=str)


def test_bag_unpack_adds_a_column_per_key_sorted_with_its_type(store: Store) -> None:
    result = run_kql(store, BAGS + " d | where id < 4 | evaluate bag_unpack(bag)")
    assert result.columns == ["id", "Age", "Name", "x/y"]
    # Age mixes a long and a real: dynamic, as Kusto types a slot whose values differ.
    assert result.types == ["BIGINT", "JSON", "VARCHAR", "JSON"]
    assert _sorted(result.rows) == [
        (1, 20, "John", None),
        (2, 40.5, "Dave", [1]),
        (3, None, None, None),
    ]


def test_bag_unpack_prefix_ignored_keys_and_conflicts(store: Store) -> None:
    prefixed = run_kql(
        store,
        BAGS + " d | evaluate bag_unpack(bag, 'p_', ignoredProperties=dynamic(['x/y', 'Age']))",
    )
    assert prefixed.columns == ["id", "p_Name", "p_id"]
    with pytest.raises(KqlQueryError, match="names an existing column"):
        run_kql(store, BAGS + " d | evaluate bag_unpack(bag)")
    replaced = run_kql(
        store,
        BAGS + " d | evaluate bag_unpack(bag, columnsConflict='replace_source') | where Age == 20",
    )
    assert (replaced.columns, replaced.rows) == (
        ["Age", "Name", "id", "x/y"],
        [(20, "John", None, None)],
    )
    kept = run_kql(
        store,
        BAGS + " d | evaluate bag_unpack(bag, columnsConflict='keep_source') | where id == 4",
    )
    assert (kept.columns, kept.rows) == (["id", "Age", "Name", "x/y"], [(4, None, None, None)])
    # Only the keys of the rows that reach the plugin become columns.
    alone = run_kql(store, BAGS + " d | where id == 4 | evaluate bag_unpack(bag, 'b_')")
    assert (alone.columns, alone.rows) == (["id", "b_id"], [(4, 9)])


def test_bag_unpack_with_an_output_schema_runs_no_probe(store: Store) -> None:
    result = run_kql(
        store,
        BAGS + " d | where id < 3 | evaluate bag_unpack(bag) : (id:long, Name:string, Age:real)",
    )
    assert result.columns == ["id", "Name", "Age"]
    assert _sorted(result.rows) == [(1, "John", 20.0), (2, "Dave", 40.5)]


def test_bag_unpack_of_no_rows_keeps_the_other_columns(store: Store) -> None:
    result = run_kql(store, BAGS + " d | take 0 | evaluate bag_unpack(bag)")
    assert (result.columns, result.rows) == (["id"], [])


def test_pivot_counts_by_default_with_zero_for_missing_cells(store: Store) -> None:
    result = run_kql(store, EVENTS + " e | project State, EventType | evaluate pivot(State)")
    assert result.columns == ["EventType", "AK", "AL"]
    assert _sorted(result.rows) == [("Flood", 1, 0), ("Wind", 1, 2)]


def test_pivot_with_an_aggregation_and_named_groups(store: Store) -> None:
    result = run_kql(store, EVENTS + " e | evaluate pivot(State, sum(Deaths), EventType)")
    assert result.columns == ["EventType", "AK", "AL"]
    assert _sorted(result.rows) == [("Flood", 4, 0), ("Wind", 3, 3)]
    latest = run_kql(store, EVENTS + " e | evaluate pivot(EventType, max(Deaths))")
    # Without grouping columns: every column but the pivot and the aggregated one.
    assert latest.columns == ["State", "Flood", "Wind"]
    assert _sorted(latest.rows) == [("", 9, None), ("AK", 4, 3), ("AL", None, 2)]


def test_pivot_of_no_rows_has_only_the_groups(store: Store) -> None:
    result = run_kql(store, EVENTS + " e | take 0 | evaluate pivot(State, count(), EventType)")
    assert (result.columns, result.rows) == (["EventType"], [])


def test_a_later_plugin_reads_the_columns_an_earlier_one_found(store: Store) -> None:
    result = run_kql(
        store,
        BAGS + " d | where id < 3 | evaluate bag_unpack(bag) | project id, Name"
        " | evaluate pivot(Name, count(), id)",
    )
    assert result.columns == ["id", "Dave", "John"]
    assert _sorted(result.rows) == [(1, 0, 1), (2, 1, 0)]


def test_plugins_over_the_views_inside_a_let_and_a_join(store: Store) -> None:
    query = (
        "let places = SigninLogs | project Id, LocationDetails"
        " | evaluate bag_unpack(LocationDetails, 'loc_');"
        " SigninLogs | project Id | join kind=inner places on Id | summarize dcount(loc_city)"
    )
    cities = run_kql(store, query).rows[0][0]
    assert (
        cities
        == run_kql(store, "SigninLogs | summarize dcount(tostring(LocationDetails.city))").rows[0][
            0
        ]
    )


def test_without_a_runner_the_translator_says_why(store: Store) -> None:
    extensions.install()
    with pytest.raises(duckdb_kql.KqlUnsupportedError, match="come from the data"):
        duckdb_kql.to_sql("datatable(b:dynamic)[dynamic({'a': 1})] | evaluate bag_unpack(b)")


def test_other_plugins_stay_refused(store: Store) -> None:
    with pytest.raises(KqlQueryError, match="evaluate"):
        run_kql(store, "SigninLogs | evaluate autocluster()")


def test_plugins_in_a_join_and_a_union_branch(store: Store) -> None:
    joined = run_kql(
        store,
        "SigninLogs | project Id | join kind=inner (SigninLogs | project Id, DeviceDetail"
        " | evaluate bag_unpack(DeviceDetail, 'dev_')) on Id | project Id, dev_operatingSystem",
    )
    expected = run_kql(
        store,
        "SigninLogs | project Id, dev_operatingSystem = tostring(DeviceDetail.operatingSystem)",
    )
    assert sorted(joined.rows, key=str) == sorted(expected.rows, key=str)
    both = run_kql(
        store,
        "SigninLogs | project Id, DeviceDetail | evaluate bag_unpack(DeviceDetail)"
        " | union (AADNonInteractiveUserSignInLogs | project Id, D = DeviceDetail"
        " | evaluate bag_unpack(D, 'n_')) | count",
    )
    total = run_kql(store, "union SigninLogs, AADNonInteractiveUserSignInLogs | count").rows[0][0]
    assert both.rows == [(total,)]


def test_a_probe_reads_only_the_views(store: Store) -> None:
    with pytest.raises(KqlQueryError, match="unknown table"):
        run_kql(store, "['./export.csv'] | evaluate bag_unpack(d)")
