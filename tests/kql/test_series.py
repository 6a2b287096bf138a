"""The `series_*` functions, and `extend` of the ones with several results."""

from __future__ import annotations

import pytest

from idpilot.kql.adapter import run_kql
from idpilot.kql.errors import KqlQueryError
from idpilot.store import Store

GAPS = "print s = dynamic([null, 1.0, null, null, 4.0, null])"


def _one(store: Store, query: str) -> tuple:
    return run_kql(store, query).rows[0]


def test_fill_functions(store: Store) -> None:
    row = _one(
        store,
        GAPS + " | project series_fill_forward(s), series_fill_backward(s),"
        " series_fill_const(s, 0), series_fill_linear(s),"
        " series_fill_linear(s, double(null), false, -1)",
    )
    assert row == (
        [None, 1.0, 1.0, 1.0, 4.0, 4.0],
        [1.0, 1.0, 4.0, 4.0, 4.0, None],
        [0.0, 1.0, 0.0, 0.0, 4.0, 0.0],
        [1.0, 1.0, 2.0, 3.0, 4.0, 4.0],
        [-1.0, 1.0, 2.0, 3.0, 4.0, -1.0],
    )


def test_fill_of_a_missing_marker_and_of_an_empty_series(store: Store) -> None:
    row = _one(
        store,
        "print a = series_fill_forward(dynamic([1, -1, 3]), -1),"
        " b = series_fill_linear(dynamic([]))",
    )
    assert row == ([1.0, 1.0, 3.0], [])


def test_stats_dynamic_is_a_bag(store: Store) -> None:
    row = _one(
        store,
        "print st = series_stats_dynamic(dynamic([2, 8, null, 5]))"
        " | extend mx = toreal(st.max), mi = toint(st.max_idx)",
    )
    stats, largest, where = row
    assert (largest, where) == (8.0, 1)
    assert stats["min"] == 2.0 and stats["min_idx"] == 0 and stats["avg"] == 5.0
    assert stats["variance"] == pytest.approx(9.0)


def test_unnamed_extend_of_series_stats_names_each_result(store: Store) -> None:
    result = run_kql(store, "print y = dynamic([1, 2, 3]) | extend series_stats(y)")
    assert result.columns == [
        "y",
        "series_stats_y_min",
        "series_stats_y_min_idx",
        "series_stats_y_max",
        "series_stats_y_max_idx",
        "series_stats_y_avg",
        "series_stats_y_stdev",
        "series_stats_y_variance",
    ]
    assert result.rows[0][1:] == (1.0, 0, 3.0, 2, 2.0, 1.0, 1.0)


def test_fit_line_of_a_straight_line(store: Store) -> None:
    result = run_kql(
        store, "print y = dynamic([1, 3, 5, 7]) | extend (r2, slope) = series_fit_line(y)"
    )
    assert result.columns == ["y", "r2", "slope"]
    assert result.rows[0][1:] == (pytest.approx(1.0), pytest.approx(2.0))


def test_outliers_score_past_the_percentile_range(store: Store) -> None:
    row = _one(store, "print series_outliers(dynamic([1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 50]))")
    scores = row[0]
    assert scores[-1] > 1.5 and all(score == 0 for score in scores[:9])


def test_decompose_anomalies_flags_a_spike(store: Store) -> None:
    spike = "dynamic([5, 5, 6, 5, 4, 5, 5, 40, 5, 6, 5, 4])"
    result = run_kql(
        store,
        f"print s = {spike} | extend (flag, score, baseline) = series_decompose_anomalies(s)"
        " | project flag, baseline",
    )
    flags, baseline = result.rows[0]
    assert flags == [0] * 7 + [1] + [0] * 4
    assert baseline == [pytest.approx(95 / 12)] * 12
    linefit = run_kql(
        store,
        f"print s = {spike}"
        " | extend (f, sc, b) = series_decompose_anomalies(s, 1.5, -1, 'linefit')",
    ).rows[0]
    assert linefit[1][7] == 1 and len(linefit[3]) == 12


def test_decompose_splits_trend_and_residual(store: Store) -> None:
    result = run_kql(store, "print y = dynamic([1, 2, 6]) | extend series_decompose(y, 0, 'avg')")
    assert result.columns[1:] == [
        "series_decompose_y_baseline",
        "series_decompose_y_seasonal",
        "series_decompose_y_trend",
        "series_decompose_y_residual",
    ]
    assert result.rows[0][1:] == ([3.0] * 3, [0.0] * 3, [3.0] * 3, [-2.0, -1.0, 3.0])


def test_decompose_anomalies_refuses_a_seasonal_period(store: Store) -> None:
    with pytest.raises(KqlQueryError, match="series_decompose_anomalies"):
        run_kql(
            store,
            "print s = dynamic([1, 2]) | extend (a, b) = series_decompose_anomalies(s, 1.5, 7)",
        )


def test_a_tuple_of_a_function_with_one_result_is_refused(store: Store) -> None:
    with pytest.raises(KqlQueryError):
        run_kql(store, "print s = 1 | extend (a, b) = strlen('x')")
