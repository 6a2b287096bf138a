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

Operators whose rendering depends on the *types* of their input (a `union` of columns whose
types differ, arithmetic on a dynamic value) are passed, in the same walk, to the typers
registered with `add_typer`: each gets the operator and a `Prober` that reads the types of the
operator's input (or of any query or expression over it) from DuckDB's binder, by running the
query cut to no rows (`take 0`), and returns the operator to render. A typer asks only when it
needs to, so a query without such operators runs no probe.

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

# What a probe returned: its column names, their DuckDB types, and its rows.
Probed = tuple[list[str], list[str], list[tuple[Any, ...]]]
# Runs a probe's SQL (with the placeholders it uses) and returns what it found.
ProbeRunner = Callable[[str, frozenset[str]], Probed]
_TYPE_PROBE_PREFIX = "__typeof_"

_RUNNER: contextvars.ContextVar[ProbeRunner | None] = contextvars.ContextVar(
    "idpilot_kql_probe_runner", default=None
)
_wrapped = False


class Prober:
    """Reads DuckDB's types for what an operator sees: its input, another query, expressions."""

    def __init__(self, before: ir.Query, schema: Any, render: Callable[..., Any]) -> None:
        self.before = before
        self.visible = list(before.lets)
        self.schema = schema
        self._render = render
        self._input: list[tuple[str, str]] | None = None

    def input_columns(self) -> list[tuple[str, str]]:
        """The operator's input columns as (name, DuckDB type), read once."""
        if self._input is None:
            self._input = self.columns(self.before)
        return self._input

    def columns(self, query: ir.Query) -> list[tuple[str, str]]:
        """`query`'s columns as (name, DuckDB type), from the query run with no rows."""
        empty = dataclasses.replace(query, operators=[*query.operators, ir.Take(0)])
        names, types, _ = _run(_probe(self._render, empty, self.schema))
        return list(zip(names, types, strict=True))

    def in_scope(self, query: ir.Query) -> ir.Query:
        """`query` (a union branch, a join's right side) with the `let`s it can see."""
        return dataclasses.replace(query, lets=[*self.visible, *query.lets])

    def expression_types(self, expressions: list[ir.Expr]) -> list[str]:
        """The DuckDB type of each expression evaluated over the operator's input."""
        if not expressions:
            return []
        named = tuple(
            ir.NamedExpr(expr, f"{_TYPE_PROBE_PREFIX}{i}") for i, expr in enumerate(expressions)
        )
        probe = dataclasses.replace(
            self.before, operators=[*self.before.operators, ir.Project(named)]
        )
        return [kind for _, kind in self.columns(probe)]


# Gives an operator its typed form, asking the prober only when it must.
Typer = Callable[[ir.Operator, Prober], ir.Operator]
_TYPERS: list[Typer] = []


def add_typer(typer: Typer) -> None:
    """Pass every operator through `typer` before it is rendered (once per typer)."""
    if typer not in _TYPERS:
        _TYPERS.append(typer)


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
            op = op.discovered(_run(_probe(render, probing, schema))[2])
        if _TYPERS and _RUNNER.get() is not None:  # without a runner, duckdb-kql's rendering
            before = ir.Query(query.source, list(operators), list(visible), query.parameters)
            prober = Prober(before, schema, render)
            for typer in _TYPERS:
                op = typer(op, prober)
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


def _probe(render: Callable[..., Any], query: ir.Query, schema: Any) -> tuple[str, frozenset[str]]:
    """A probe's SQL and the placeholders it uses, the pinned clock among them when it reads
    `now()` (duckdb-kql binds the clock for the statement, not per rendering)."""
    clock = translate._ACTIVE_CLOCK_STATE.get()
    used_before = clock is not None and clock.used
    if clock is not None:
        clock.used = False
    sql = render(query, schema)
    slots = frozenset(getattr(sql, "slots", ()) or ())
    if clock is not None:
        if clock.used:
            slots |= {translate.CLOCK_SLOT}
        clock.used = clock.used or used_before
    return str(sql), slots


def _run(probe: tuple[str, frozenset[str]]) -> Probed:
    sql, slots = probe
    runner = _RUNNER.get()
    if runner is None:
        raise PartlySupported(
            "operator:evaluate",
            hint="its columns come from the data, and this translation cannot read it",
        )
    return runner(sql, slots)
