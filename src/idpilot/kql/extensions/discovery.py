"""Operators whose output columns come from the data: translated in two steps.

`evaluate bag_unpack(d)` has a column per key found in `d`, `evaluate pivot(c)` one per value
of `c`; SQL must name its columns before it runs, and DuckDB's own dynamic `PIVOT` is a
statement of its own, not a subquery. So such an operator is lowered with its columns unknown
(`Discoverable`), and before the query is rendered each one is resolved in query order:

1. a *probe* is built from the IR: the same source, `let`s and operators up to the unresolved
   one, ending in the operator's probe (`SELECT DISTINCT key ...`); it is rendered by
   duckdb-kql like any query, so it stands alone;
2. the probe runs through the runner the caller installed with `discovering()` (idpilot's
   adapter runs it in the query's sandbox, through the same guard);
3. the operator is replaced in the IR by itself with the columns it found, and the next one
   is resolved (a later probe renders the earlier operators with their columns known).

This hooks duckdb-kql's renderer entry point (`translate.to_sql`) for the outermost query only.
Without a runner, an unresolved operator is refused with a message that says why, as is one
inside an `mv-apply` body. Each call of a tabular `let` function is expanded into IR of its
own before rendering, so each is probed on its own input.
"""

from __future__ import annotations

import contextvars
import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, runtime_checkable

from duckdb_kql import ir, translate

from idpilot.kql.extensions._hooks import PartlySupported

# Runs a probe's SQL (with the placeholders it uses) and returns its rows.
ProbeRunner = Callable[[str, frozenset[str]], list[tuple[Any, ...]]]

_RUNNER: contextvars.ContextVar[ProbeRunner | None] = contextvars.ContextVar(
    "idpilot_kql_probe_runner", default=None
)
_wrapped = False


@runtime_checkable
class Discoverable(Protocol):
    """An operator whose output columns are read from its input's rows."""

    def probe(self) -> ir.Operator | None:
        """The operator that lists what is to be found, or None when nothing is."""

    def discovered(self, rows: list[tuple[Any, ...]]) -> ir.Operator:
        """This operator with the probe's rows as its columns."""


@contextmanager
def discovering(runner: ProbeRunner) -> Iterator[None]:
    """Let translations in this block run probes through `runner`."""
    token = _RUNNER.set(runner)
    try:
        yield
    finally:
        _RUNNER.reset(token)


def register() -> None:
    """Resolve discoverable operators before duckdb-kql renders the outermost query."""
    global _wrapped
    if _wrapped:
        return
    render = translate.to_sql

    def to_sql(query: ir.Query, schema: Any = None) -> Any:
        if translate._NAMES_STATE.get() is None:
            query = _resolved(query, schema, (), render)
        return render(query, schema)

    translate.to_sql = to_sql
    _wrapped = True


def _resolved(
    query: ir.Query, schema: Any, outer: tuple[tuple[str, Any], ...], render: Callable[..., Any]
) -> ir.Query:
    """`query` with every discoverable operator in it (and in nested queries) resolved."""
    lets: list[tuple[str, Any]] = []
    for name, bound in query.lets:
        if isinstance(bound, ir.Query):
            bound = _resolved(bound, schema, (*outer, *lets), render)
        lets.append((name, bound))
    visible = (*outer, *lets)
    operators: list[ir.Operator] = []
    for op in query.operators:
        op = _nested(op, schema, visible, render)
        if isinstance(op, Discoverable) and (probe := op.probe()) is not None:
            probing = ir.Query(query.source, [*operators, probe], list(visible), query.parameters)
            op = op.discovered(_run(render(probing, schema)))
        operators.append(op)
    unchanged = all(a is b for a, b in zip(operators, query.operators, strict=True)) and all(
        a[1] is b[1] for a, b in zip(lets, query.lets, strict=True)
    )
    return query if unchanged else dataclasses.replace(query, lets=lets, operators=operators)


def _nested(node: Any, schema: Any, visible: tuple[Any, ...], render: Callable[..., Any]) -> Any:
    """`node` with the queries inside it (a join's right side, union branches) resolved."""
    if isinstance(node, ir.Query):
        return _resolved(node, schema, visible, render)
    if isinstance(node, tuple):
        items = tuple(_nested(item, schema, visible, render) for item in node)
        return node if all(a is b for a, b in zip(items, node, strict=True)) else items
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for field in dataclasses.fields(node):
            value = getattr(node, field.name)
            if isinstance(value, ir.Query | tuple) or dataclasses.is_dataclass(value):
                updated = _nested(value, schema, visible, render)
                if updated is not value:
                    changes[field.name] = updated
        return dataclasses.replace(node, **changes) if changes else node
    return node


def _run(sql: Any) -> list[tuple[Any, ...]]:
    runner = _RUNNER.get()
    if runner is None:
        raise PartlySupported(
            "operator:evaluate",
            hint="its columns come from the data, and this translation cannot read it",
        )
    return runner(str(sql), frozenset(getattr(sql, "slots", ()) or ()))
