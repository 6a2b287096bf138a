"""`make-series`: arrays per group along a binned axis, defaults where a bin has no rows."""

from __future__ import annotations

from datetime import datetime

import pytest

from idpilot.kql.adapter import run_kql
from idpilot.store import Store

# Kusto's own example (make-series operator docs): the row before `from` and the row at `to`
# fall outside the series.
DATA = (
    "let data = datatable(timestamp:datetime, metric:real, g:string)["
    ' datetime(2016-12-31T06:00), 50, "a",'
    ' datetime(2017-01-01), 4, "a",'
    ' datetime(2017-01-02), 3, "b",'
    ' datetime(2017-01-03), 4, "a",'
    ' datetime(2017-01-03T03:00), 6, "a",'
    ' datetime(2017-01-05T13:40), 13, "b",'
    ' datetime(2017-01-10T05:00), 5, "c"];'
)
DAYS = [datetime(2017, 1, day) for day in range(1, 10)]


def _rows(store: Store, query: str) -> list[tuple]:
    return sorted(run_kql(store, DATA + query).rows, key=lambda row: str(row[0]))


def test_avg_over_a_fixed_range_matches_kusto(store: Store) -> None:
    result = run_kql(
        store,
        DATA + " data | make-series avg(metric) on timestamp"
        " from datetime(2017-01-01) to datetime(2017-01-10) step 1d",
    )
    assert result.columns == ["avg_metric", "timestamp"]
    assert result.rows == [([4.0, 3.0, 5.0, 0.0, 13.0, 0.0, 0.0, 0.0, 0.0], DAYS)]


def test_groups_come_first_and_a_group_without_points_is_all_default(store: Store) -> None:
    rows = _rows(
        store,
        " data | make-series n = count() default = -1, total = sum(metric) on timestamp"
        " from datetime(2017-01-01) to datetime(2017-01-04) step 1d by g",
    )
    three_days = DAYS[:3]
    assert rows == [
        ("a", [1, -1, 2], [4.0, 0.0, 10.0], three_days),
        ("b", [-1, 1, -1], [0.0, 3.0, 0.0], three_days),
        ("c", [-1, -1, -1], [0.0, 0.0, 0.0], three_days),
    ]


def test_without_from_and_to_the_axis_spans_the_data(store: Store) -> None:
    result = run_kql(
        store,
        DATA + " data | where g != 'c' | make-series n = count() on timestamp step 2d by g",
    )
    assert result.columns == ["g", "n", "timestamp"]
    axis = [datetime(2016, 12, 31), datetime(2017, 1, 2), datetime(2017, 1, 4)]
    assert sorted(result.rows) == [("a", [2, 2, 0], axis), ("b", [0, 1, 1], axis)]


def test_in_range_includes_the_stop_bin(store: Store) -> None:
    result = run_kql(
        store,
        DATA + " data | make-series n = count() on timestamp"
        " in range(datetime(2017-01-02), datetime(2017-01-03), 1d)",
    )
    assert result.rows == [([1, 2], [datetime(2017, 1, 2), datetime(2017, 1, 3)])]


def test_empty_input_gives_no_rows_unless_kind_nonempty(store: Store) -> None:
    window = " on timestamp from datetime(2017-01-01) to datetime(2017-01-03) step 1d"
    assert run_kql(store, DATA + " data | take 0 | make-series avg(metric)" + window).rows == []
    nonempty = run_kql(
        store, DATA + " data | take 0 | make-series kind=nonempty avg(metric) default=1.5" + window
    )
    assert nonempty.rows == [([1.5, 1.5], DAYS[:2])]


def test_a_null_default_leaves_gaps_for_the_fill_functions(store: Store) -> None:
    result = run_kql(
        store,
        DATA + " data | where g == 'a' | make-series m = max(metric) default = double(null)"
        " on timestamp from datetime(2017-01-01) to datetime(2017-01-05) step 1d"
        " | project m, f = series_fill_forward(m), l = series_fill_linear(m)",
    )
    assert result.rows == [([4.0, None, 6.0, None], [4.0, 4.0, 6.0, 6.0], [4.0, 5.0, 6.0, 6.0])]


def test_a_numeric_axis(store: Store) -> None:
    result = run_kql(
        store,
        "datatable(x:long, y:long)[1, 10, 2, 20, 7, 5] | make-series s = sum(y) on x step 3",
    )
    assert result.rows == [([30, 0, 5], [0, 3, 6])]


def test_the_series_expand_back_to_rows(store: Store) -> None:
    result = run_kql(
        store,
        DATA + " data | make-series n = count() on timestamp"
        " from datetime(2017-01-01) to datetime(2017-01-04) step 1d"
        " | mv-expand timestamp to typeof(datetime), n to typeof(long)",
    )
    assert result.rows == [(1, DAYS[0]), (1, DAYS[1]), (2, DAYS[2])]


def test_named_single_argument_aggregates_keep_their_names(store: Store) -> None:
    # The grammar reads `n = sum(x)` as a parameter `n=sum` and an aggregate `(x)`.
    result = run_kql(
        store,
        DATA + " data | make-series total = sum(metric), top = max(metric) on timestamp"
        " from datetime(2017-01-01) to datetime(2017-01-02) step 1d",
    )
    assert result.columns == ["total", "top", "timestamp"]
    assert result.rows == [([4.0], [4.0], [DAYS[0]])]


@pytest.mark.parametrize(
    "query", ["SigninLogs | make-series count() on TimeGenerated step 1d by AppDisplayName"]
)
def test_over_the_views(store: Store, query: str) -> None:
    result = run_kql(store, query)
    total = run_kql(store, "SigninLogs | count").rows[0][0]
    assert sum(sum(row[1]) for row in result.rows) == total


def test_from_without_to_ends_with_the_last_bin_holding_data(store: Store) -> None:
    # Bins of a day from 12:00: the last row (01-03 03:00) falls in the bin of 01-02 12:00, so
    # there is no third bin (which the day bins from midnight would have asked for).
    result = run_kql(
        store,
        DATA + " data | where g == 'a' | make-series n = count() on timestamp"
        " from datetime(2017-01-01T12:00) step 1d",
    )
    assert result.rows == [([0, 2], [datetime(2017, 1, 1, 12), datetime(2017, 1, 2, 12)])]
