"""Column names that differ only in case (`Id`, `id`): each gets a SQL spelling of its own.

KQL names are case-sensitive ("Column names are case-sensitive", Kusto's columns reference):
`AuditLogs | extend id = tostring(TargetResources[0].id)` has an `Id` and an `id`. DuckDB folds
case, so duckdb-kql refuses such a column set rather than answer wrongly (its rule R7), and a
name spelled in the wrong case silently reads the other column. duckdb-kql quotes every
identifier through one function (`translate.quote_ident`); within a translation opened by
`spelling(...)`, that function gives each name its spelling: the tables' own columns keep
theirs, the first other spelling of a name keeps its own, and a later spelling that differs
only in case gets a suffix no KQL name can hold (`id#2`). The result's columns are given
their KQL names back (`Spellings.kql_name`). So both columns are kept apart, and a name in the
wrong case is an unknown column, as in Kusto. Table names are left as DuckDB finds them
(`signinlogs` still reads SigninLogs). A query without such a pair renders unchanged.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from duckdb_kql import schema, translate

# Joins a name to its spelling's rank among the spellings of that name; `#` is in no KQL name.
_MARK = "#"

_ACTIVE: contextvars.ContextVar[Spellings | None] = contextvars.ContextVar(
    "idpilot_kql_spellings", default=None
)
_wrapped = False


class Spellings:
    """The SQL spelling of each identifier of one translation."""

    def __init__(self, reserved: Iterable[str], tables: Iterable[str] = ()) -> None:
        self._reserved = set(reserved)
        self._tables = {table.casefold() for table in tables}
        self._by_fold: dict[str, list[str]] = {}
        self._kql: dict[str, str] = {}
        for name in sorted(self._reserved):
            self._by_fold.setdefault(name.casefold(), []).append(name)

    def sql_name(self, name: str) -> str:
        """The name DuckDB is given for the KQL name `name`."""
        if name in self._reserved or name.casefold() in self._tables:
            return name  # a table is found whatever the case, as before
        spellings = self._by_fold.setdefault(name.casefold(), [])
        if name not in spellings:
            spellings.append(name)
        rank = spellings.index(name)
        if rank == 0:
            return name
        spelled = f"{name}{_MARK}{rank + 1}"
        self._kql[spelled] = name
        return spelled

    def kql_name(self, sql_name: str) -> str:
        """The KQL name behind a name DuckDB returned."""
        return self._kql.get(sql_name, sql_name)

    def twins(self, name: str) -> list[str]:
        """The other spellings seen of `name`, differing from it only in case."""
        return [other for other in self._by_fold.get(name.casefold(), []) if other != name]

    def respelled(self) -> dict[str, str]:
        """The names given a suffix so far, each with its KQL name."""
        return dict(self._kql)


@contextmanager
def spelling(tables: dict[str, list[str]]) -> Iterator[Spellings]:
    """Give identifiers their spellings while translating a query over `tables` (name to
    columns), whose own names are kept as they are."""
    reserved = {column for columns in tables.values() for column in columns}
    spellings = Spellings(reserved, tables)
    token = _ACTIVE.set(spellings)
    try:
        yield spellings
    finally:
        _ACTIVE.reset(token)


def register() -> None:
    """Route duckdb-kql's identifier quoting through the active spellings, and let a column
    set with names differing only in case pass where spellings keep them apart."""
    global _wrapped
    if _wrapped:
        return
    original_quote = translate.quote_ident
    original_check = schema._no_case_collision
    original_getschema = translate.render_getschema

    def quote_ident(name: str) -> str:
        active = _ACTIVE.get()
        return original_quote(name if active is None else active.sql_name(name))

    def no_case_collision(cols: list[str], where: str) -> Any:
        if _ACTIVE.get() is not None:
            return cols
        return original_check(cols, where)

    def render_getschema(prev: str) -> str:
        sql = original_getschema(prev)
        active = _ACTIVE.get()
        respelled = active.respelled() if active is not None else {}
        if not respelled:
            return sql
        cases = " ".join(
            f"WHEN {translate.quote_string(spelled)} THEN {translate.quote_string(name)}"
            for spelled, name in respelled.items()
        )
        name = f'CASE "ColumnName" {cases} ELSE "ColumnName" END'
        return f'SELECT {name} AS "ColumnName", * EXCLUDE ("ColumnName") FROM ({sql})'

    translate.quote_ident = quote_ident
    schema._no_case_collision = no_case_collision
    translate.render_getschema = render_getschema
    _wrapped = True
