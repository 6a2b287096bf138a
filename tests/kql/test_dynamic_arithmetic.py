"""Arithmetic between a dynamic value and a typed one reads the dynamic as the other's type."""

from __future__ import annotations

import pytest
from duckdb_kql import ir

from idpilot.kql.adapter import run_kql
from idpilot.kql.errors import KqlQueryError
from idpilot.kql.extensions import discovery
from idpilot.store import Store


def test_an_expanded_number_minus_a_real_is_a_real(store: Store) -> None:
    result = run_kql(store, "print d = dynamic([5, 6]), a = 1.5 | mv-expand d | extend y = d - a")
    assert result.types[-1] == "DOUBLE"
    assert [row[-1] for row in result.rows] == [3.5, 4.5]


def test_a_dynamic_with_a_long_is_a_long(store: Store) -> None:
    result = run_kql(
        store, "print d = dynamic([5, 6]) | mv-expand d | extend y = d + 1, z = 12 / d"
    )
    assert result.types[-2:] == ["BIGINT", "BIGINT"]
    assert [row[-2:] for row in result.rows] == [(6, 2), (7, 2)]


def test_a_path_needs_no_probe_and_either_side_works(store: Store) -> None:
    result = run_kql(store, 'print b = dynamic({"n": 4}) | project x = 10.0 - b.n, y = b.n * 2')
    assert result.rows == [(6.0, 8)]


def test_the_other_operand_may_be_an_expression(store: Store) -> None:
    result = run_kql(
        store, "print d = dynamic([2]), a = 3.0 | mv-expand d | extend y = (d - a) / a * 100"
    )
    assert result.rows[0][-1] == pytest.approx(-100 / 3)


def test_a_dynamic_plus_a_timespan_is_a_timespan(store: Store) -> None:
    result = run_kql(store, 'print s = dynamic(["01:00:00"]) | mv-expand s | extend span = s + 30m')
    assert str(result.rows[0][-1]) == "1:30:00"


def test_a_dynamic_times_a_timespan_is_refused_as_kusto_does(store: Store) -> None:
    with pytest.raises(KqlQueryError):
        run_kql(store, "print d = dynamic([1]) | mv-expand d | extend span = d * 1h")


def test_an_expanded_summary_against_its_average(store: Store) -> None:
    result = run_kql(
        store,
        "SigninLogs | summarize l = make_list(1), a = avg(2.0) by UserPrincipalName"
        " | mv-expand l | extend diff = l - a | distinct diff",
    )
    assert result.rows == [(-1.0,)]


def test_arithmetic_without_expansion_reads_no_types(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    probed: list[ir.Query] = []
    columns = discovery.Prober.columns

    def counted(self: discovery.Prober, query: ir.Query) -> list[tuple[str, str]]:
        probed.append(query)
        return columns(self, query)

    monkeypatch.setattr(discovery.Prober, "columns", counted)
    run_kql(store, "SigninLogs | extend n = DurationMs * 2 | take 1")
    assert probed == []
    run_kql(store, "print d = dynamic([5]) | mv-expand d | extend y = d - 1")
    assert probed


def test_two_dynamics_stay_refused(store: Store) -> None:
    with pytest.raises(KqlQueryError):
        run_kql(
            store, "print d = dynamic([5]), e = dynamic([1]) | mv-expand d, e | extend y = d - e"
        )
