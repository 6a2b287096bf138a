"""`top-nested`: top values per level, each within the values kept above it."""

from __future__ import annotations

import pytest

from idpilot.kql.adapter import run_kql
from idpilot.kql.errors import KqlQueryError
from idpilot.store import Store

DATA = (
    "let d = datatable(u:string, ip:string, n:long)["
    ' "a","1",1, "a","1",2, "a","2",3, "a","3",1,'
    ' "b","1",5,'
    ' "c","9",1, "c","9",1, "c","8",1];'
)


def _rows(store: Store, query: str) -> tuple[list[str], list[tuple]]:
    result = run_kql(store, DATA + " d | " + query)
    return result.columns, sorted(result.rows, key=str)


def test_two_levels_keep_the_top_within_each_parent(store: Store) -> None:
    columns, rows = _rows(store, "top-nested 2 of u by c = count(), top-nested 1 of ip by sum(n)")
    assert columns == ["u", "c", "ip", "aggregated_ip"]
    # a: ip 1 and 2 tie at 3, broken by the key.
    assert rows == [("a", 4, "1", 3), ("c", 3, "9", 2)]


def test_ascending_and_with_others(store: Store) -> None:
    _, rows = _rows(
        store,
        "top-nested 1 of u with others = 'rest' by count(),"
        " top-nested 1 of ip with others = 'x' by count() asc",
    )
    assert rows == [("a", 4, "2", 1), ("a", 4, "x", 3), ("rest", 4, None, None)]


def test_without_n_every_value_is_kept_and_the_key_may_be_an_expression(store: Store) -> None:
    columns, rows = _rows(store, "top-nested of U = toupper(u) by max(n)")
    assert columns == ["U", "aggregated_U"]
    assert rows == [("A", 3), ("B", 5), ("C", 1)]


def test_a_single_level_over_no_rows(store: Store) -> None:
    assert _rows(store, "take 0 | top-nested 3 of u by count()")[1] == []


def test_null_keys_are_a_value(store: Store) -> None:
    result = run_kql(
        store,
        "datatable(k:long, v:long)[7, 1, 0, 2] | extend k = iff(k == 0, long(null), k)"
        " | top-nested 2 of k by s = sum(v), top-nested of v by count()",
    )
    assert sorted(result.rows, key=str) == [(7, 1, 1, 1), (None, 2, 2, 1)]


def test_others_of_an_aggregate_that_does_not_combine_is_refused(store: Store) -> None:
    with pytest.raises(KqlQueryError):
        run_kql(store, DATA + " d | top-nested 1 of u with others = 'r' by dcount(ip)")


def test_over_the_views_counts_add_up(store: Store) -> None:
    result = run_kql(
        store,
        "SigninLogs | top-nested 3 of AppDisplayName with others = 'Other' by n = count()",
    )
    total = run_kql(store, "SigninLogs | count").rows[0][0]
    assert sum(row[1] for row in result.rows) == total
