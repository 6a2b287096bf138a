"""A first argument written `Name = value` names the column of a call named after its argument."""

from __future__ import annotations

from idpilot.kql.adapter import run_kql
from idpilot.store import Store


def test_the_first_argument_name_names_the_column(store: Store) -> None:
    result = run_kql(store, "print x = 4 | project round(Rate = x * 2.5), strlen(S = tostring(x))")
    assert result.columns == ["Rate", "strlen_S"]
    assert result.rows == [(10.0, 1)]


def test_a_later_operator_reads_the_named_column(store: Store) -> None:
    result = run_kql(
        store, "print x = 4 | project round(Rate = x / 3.0, 1) | where Rate > 1 | project Rate"
    )
    assert result.rows == [(1.3,)]


def test_a_function_not_named_after_its_argument_stays_positional(store: Store) -> None:
    result = run_kql(store, 'print x = 1 | project tolower(L = "A")')
    assert result.columns == ["Column1"]


def test_an_explicit_name_wins(store: Store) -> None:
    result = run_kql(store, "print x = 1 | project y = round(Rate = x * 2.5)")
    assert result.columns == ["y"]
