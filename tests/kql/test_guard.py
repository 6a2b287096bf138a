"""The guard admits everything the translator writes over the views, and the same rows come back."""

from __future__ import annotations

import itertools
from typing import Any

import duckdb_kql
import pytest
from duckdb_kql.translate import functions as registry

from idpilot.kql.adapter import LOG_ANALYTICS_TABLES, run_kql, translate
from idpilot.kql.guard import SCALAR_FUNCTIONS, TABLE_FUNCTIONS
from idpilot.store import Store
from idpilot.store.sandbox import Sandbox

# Arguments of each KQL type: a column of the schema below, or a literal.
_ARGUMENTS = ["s", "n", "d", "j", '"x"', "1", "1.5", "datetime(2021-01-01)", "1h", "true"]
_SCHEMA = {"T": ["s", "n", "d", "j"]}
_TRIES = 60


def _functions(tree: Any, found: set[str]) -> set[str]:
    if isinstance(tree, dict):
        if "function_name" in tree:
            found.add(tree["function_name"].casefold())
        for value in tree.values():
            _functions(value, found)
    elif isinstance(tree, list):
        for value in tree:
            _functions(value, found)
    return found


def _emitted(sandbox: Sandbox, template: str, arities: tuple[int, ...]) -> set[str] | None:
    """The DuckDB functions the first translatable call of `template` emits (None: none is)."""
    for arity in arities:
        for arguments in itertools.islice(itertools.product(_ARGUMENTS, repeat=arity), _TRIES):
            query = template.format(", ".join(arguments))
            try:
                sql = str(duckdb_kql.to_sql(query, schema=_SCHEMA, allow_write=False))
            except duckdb_kql.KqlError:
                continue
            return _functions(sandbox.parse_tree(sql), set())
    return None


def test_every_function_the_translator_emits_is_allowed(store: Store) -> None:
    """Fails when a new duckdb-kql emits a DuckDB function the allow-list does not know."""
    calls: list[tuple[str, tuple[int, ...]]] = []
    for name, spec in registry.SCALAR_FUNCTIONS.items():
        calls.append((f"T | extend r = {name}({{}})", spec.arities or (1, 2, 3)))
    for name in registry.AGGREGATE_FUNCTIONS:
        calls.append((f"T | summarize r = {name}({{}})", (1, 2, 3)))
    for operator in registry.BINARY_OPERATORS:
        calls.append((f"T | where s {operator} {{}}", (1,)))
    missing: dict[str, str] = {}
    translated = 0
    with Sandbox(store) as sandbox:
        for template, arities in calls:
            emitted = _emitted(sandbox, template, arities)
            if emitted is None:
                continue
            translated += 1
            for function in emitted - SCALAR_FUNCTIONS - TABLE_FUNCTIONS:
                missing.setdefault(function, template)
    assert translated > 150
    assert missing == {}


LEGITIMATE = [
    'SigninLogs | where ResultType != "0" | summarize count() by UserPrincipalName',
    "SigninLogs | where TimeGenerated > ago(1d) | summarize dcount(UserPrincipalName) by IPAddress",
    "union SigninLogs, AADNonInteractiveUserSignInLogs"
    " | summarize count() by bin(TimeGenerated, 1d)",
    "union withsource=Table SigninLogs, AuditLogs | summarize count() by Table",
    "let failed = SigninLogs | where ResultType != '0'; failed | summarize count() by IPAddress",
    "let recent = materialize(SigninLogs | take 5); recent | union recent | count",
    "let codes = datatable(ResultType: string, Meaning: string)['50126', 'bad password'];"
    " SigninLogs | lookup kind=leftouter codes on ResultType | project Id, Meaning",
    "SigninLogs | join kind=leftouter (AADUserRiskEvents | project UserPrincipalName, RiskLevel)"
    " on UserPrincipalName | project Id, RiskLevel",
    "SigninLogs | join kind=leftanti (AADRiskyUsers | project UserPrincipalName)"
    " on UserPrincipalName | count",
    "AuditLogs | mv-expand T = TargetResources | extend Upn = tostring(T.userPrincipalName)"
    " | project Upn",
    "SigninLogs | extend parts = split(UserPrincipalName, '@')"
    " | summarize make_set(tostring(parts[1]))",
    "SigninLogs | extend ok = iff(ResultType == '0', 'success', 'failure')"
    " | summarize count() by ok",
    "SigninLogs | summarize arg_max(TimeGenerated, *) by UserPrincipalName | project Id",
    "SigninLogs | top 3 by TimeGenerated asc | project TimeGenerated, Id",
    "SigninLogs | where UserPrincipalName matches regex @'^user[0-9]+@'"
    " | project UserPrincipalName",
    "SigninLogs | extend d = format_datetime(TimeGenerated, 'yyyy-MM-dd') | distinct d",
    "print toscalar(SigninLogs | count)",
    "datatable(a: long, b: string)[1, 'x', 2, 'y'] | where a > 1",
    "range x from 1 to 5 step 1 | extend y = x * 2",
    "SigninLogs | getschema | project ColumnName",
]


@pytest.mark.parametrize("query", LEGITIMATE)
def test_legitimate_queries_return_what_the_store_itself_returns(store: Store, query: str) -> None:
    """The sandbox changes where a query runs, never its answer."""
    sql, parameters = translate(store, query)
    expected = store.con.execute(sql, parameters).fetchall()
    result = run_kql(store, query)
    assert len(result.rows) == len(expected)
    if "JSON" not in result.types:  # JSON cells come back parsed, the store gives text
        assert sorted(map(repr, result.rows)) == sorted(map(repr, expected))


def test_every_view_is_readable(store: Store) -> None:
    for table in LOG_ANALYTICS_TABLES:
        assert run_kql(store, f"{table} | count").rows[0][0] >= 0
