"""One sandbox for the queries of an answer: each result and error is the one a query gets
translated and run on its own (`tail_reference`), whether it shares the sandbox or not."""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.kql import adapter
from idpilot.kql.adapter import KqlResult, KqlSession
from idpilot.kql.errors import KqlQueryError
from idpilot.store import Store, version_memo
from tests import tail_reference

FAILED_BY_USER = (
    'SigninLogs | where ResultType != "0" | summarize count() by UserPrincipalName'
    " | order by UserPrincipalName asc"
)
LATEST_PER_USER = (
    'SigninLogs | where ResultType != "0" | summarize arg_max(TimeGenerated, Id)'
    " by UserPrincipalName"
)
ROLE_CHANGES = 'AuditLogs | where OperationName == "Add member to role" | project TimeGenerated'
BAG_UNPACK = (
    'let d = datatable(id:long, bag:dynamic)[1, dynamic({"Name": "John", "Age": 20})];'
    " d | evaluate bag_unpack(bag)"
)


def _same(found: KqlResult, expected: KqlResult) -> None:
    assert (found.columns, found.types, found.sql, found.truncated) == (
        expected.columns,
        expected.types,
        expected.sql,
        expected.truncated,
    )
    assert sorted(found.rows, key=str) == sorted(expected.rows, key=str)


def _own_sandboxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries the session sent to a sandbox of their own."""
    sent: list[str] = []
    real = adapter.run_kql

    def counted(store: Store, query: str, **options: Any) -> KqlResult:
        sent.append(query)
        return real(store, query, **options)

    monkeypatch.setattr(adapter, "run_kql", counted)
    return sent


@pytest.mark.parametrize(
    ("first", "then", "shared"),
    [
        (FAILED_BY_USER, LATEST_PER_USER, True),  # the same view: one sandbox
        (FAILED_BY_USER, ROLE_CHANGES, False),  # a view not exposed: a sandbox of its own
        (FAILED_BY_USER, BAG_UNPACK, False),  # a probe: a sandbox of its own
        (BAG_UNPACK, ROLE_CHANGES, True),  # the first query's probe exposed every view
    ],
)
def test_results_are_those_of_each_query_on_its_own(
    store: Store, monkeypatch: pytest.MonkeyPatch, first: str, then: str, shared: bool
) -> None:
    own = _own_sandboxes(monkeypatch)
    with KqlSession(store) as session:
        assert session.translate(first) == tail_reference.translate_kql(store, first)
        first_result = session.run(first, limit=2)
        then_result = session.run(then, limit=50)
    _same(first_result, tail_reference.run_kql(store, first, limit=2))
    _same(then_result, tail_reference.run_kql(store, then, limit=50))
    assert own == ([] if shared else [then])


def test_a_probe_after_the_sandbox_is_locked_is_translated_on_its_own(store: Store) -> None:
    with KqlSession(store) as session:
        session.run(FAILED_BY_USER)
        assert session.translate(BAG_UNPACK) == tail_reference.translate_kql(store, BAG_UNPACK)


@pytest.mark.parametrize(
    "bad", ["SigninLogs | where", "NoSuchTable | take 1", "SigninLogs | project Nope", ".show"]
)
def test_errors_are_those_of_each_query_on_its_own(store: Store, bad: str) -> None:
    with pytest.raises(KqlQueryError) as expected:
        tail_reference.run_kql(store, bad)
    for warm_up in ([], [FAILED_BY_USER]):
        with KqlSession(store) as session:
            for query in warm_up:
                session.run(query)
            with pytest.raises(KqlQueryError) as found:
                session.run(bad)
        assert str(found.value) == str(expected.value)
        assert found.value.kind == expected.value.kind


def test_the_views_schema_is_read_once_per_version_and_handed_out_as_a_copy(
    store: Store,
) -> None:
    first = adapter._views_schema(store)
    first["SigninLogs"].clear()
    assert adapter._views_schema(store)["SigninLogs"]
    assert version_memo.kept(store, "kql_views_schema")  # kept for this version of the store
