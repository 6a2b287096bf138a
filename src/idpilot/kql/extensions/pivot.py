"""`evaluate pivot(column [, aggregation] [, by1, by2 ...]) [: schema]`.

Each distinct value of `column` (as text) becomes a column holding the aggregation (`count()`
by default) over the rows with that value, one row per combination of the `by` columns (all
the input's columns but `column` and those the aggregation reads, when none are named). As in
Kusto, a combination without rows of a value holds 0 for `count`, `dcount` and `sum` (and their
`-if` forms), null for other aggregations. The value columns are sorted by name; rows whose
value is null or empty are left out. With `: (name:type, ...)` the value columns are the
schema's columns that are not `by` columns, and no probe runs.

Without a schema the values are read from the data first (`discovery`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from duckdb_kql import ir
from duckdb_kql.translate import quote_string, render_expr, render_summarize

from idpilot.kql.extensions._hooks import PartlySupported, quote_ident

_KEY = "__pv_key"
_VALUE = "__pv_value"
_ZERO_WHEN_EMPTY = frozenset({"count", "countif", "dcount", "dcountif", "sum", "sumif"})
_COUNT = ir.FunctionCall("count", ())


@dataclass(frozen=True)
class PivotValuesProbe(ir.Operator):
    """Lists the distinct values (as text) of the pivot column."""

    column: ir.Expr


@dataclass(frozen=True)
class Pivot(ir.Operator):
    """`pivot`: the pivot column, the aggregation, the `by` columns, and the values once known."""

    column: ir.Expr
    aggregate: ir.Expr = _COUNT
    by: tuple[str, ...] = ()
    values: tuple[str, ...] | None = None
    schema: tuple[tuple[str, str], ...] | None = None

    def probe(self) -> ir.Operator | None:
        """The value listing, unless the values are already known."""
        if self.values is not None or self.schema is not None:
            return None
        return PivotValuesProbe(self.column)

    def discovered(self, rows: list[tuple[Any, ...]]) -> ir.Operator:
        """This operator with the values found."""
        return dataclasses.replace(self, values=tuple(str(row[0]) for row in rows))


def lower_call(
    arguments: tuple[ir.Expr, ...],
    named: dict[str, ir.Expr],
    schema: tuple[tuple[str, str], ...] | None,
    span: Any,
) -> Pivot:
    """`pivot(...)`'s arguments as the operator."""
    if not arguments or named:
        raise PartlySupported("operator:evaluate pivot", hint="pivot(column, ...)", span=span)
    column, *rest = arguments
    aggregate = _COUNT
    if rest and isinstance(rest[0], ir.FunctionCall):
        aggregate = rest.pop(0)
    if not all(isinstance(item, ir.ColumnRef) for item in rest):
        raise PartlySupported(
            "operator:evaluate pivot", hint="pivot's grouping arguments are column names", span=span
        )
    by = tuple(item.name for item in rest if isinstance(item, ir.ColumnRef))
    return Pivot(column, aggregate, by, schema=schema)


def _read(expr: Any) -> set[str]:
    """The columns an expression reads."""
    if isinstance(expr, ir.ColumnRef):
        return {expr.name}
    found: set[str] = set()
    if dataclasses.is_dataclass(expr) and not isinstance(expr, type):
        for field in dataclasses.fields(expr):
            found |= _read(getattr(expr, field.name))
    elif isinstance(expr, tuple):
        for item in expr:
            found |= _read(item)
    return found


def _by(op: Pivot, cols: list[str]) -> list[str]:
    if op.by:
        return list(op.by)
    left_out = _read(op.column) | _read(op.aggregate)
    return [col for col in cols if col not in left_out]


def _values(op: Pivot, cols: list[str]) -> list[str]:
    if op.schema is not None:
        by = set(_by(op, cols))
        return [name for name, _ in op.schema if name not in by]
    if op.values is None:
        raise PartlySupported("operator:evaluate pivot", hint="pivot's values are not known")
    return sorted(op.values)


def columns(op: Pivot, cols: list[str]) -> list[str]:
    """The columns after `pivot`: the `by` columns, then one per value."""
    return [*_by(op, cols), *_values(op, cols)]


def render(op: Pivot, prev: str, cols: list[str] | None) -> str:
    """One row per `by` combination, one aggregated column per value."""
    known = cols or []
    by = _by(op, known)
    text = ir.FunctionCall("tostring", (op.column,))
    cells = render_summarize(
        ir.Summarize(
            (ir.NamedExpr(op.aggregate, _VALUE),),
            (*(ir.NamedExpr(ir.ColumnRef(name)) for name in by), ir.NamedExpr(text, _KEY)),
        ),
        prev,
        known,
    )
    name = op.aggregate.name.lower() if isinstance(op.aggregate, ir.FunctionCall) else ""
    empty = "0" if name in _ZERO_WHEN_EMPTY else "NULL"
    selected = [quote_ident(col) for col in by] + [
        f"coalesce(any_value({_VALUE}) FILTER (WHERE {_KEY} = {quote_string(value)}), {empty}) "
        f"AS {quote_ident(value)}"
        for value in _values(op, known)
    ]
    grouping = f" GROUP BY {', '.join(quote_ident(col) for col in by)}" if by else ""
    return f"SELECT {', '.join(selected)} FROM ({cells}) AS _pv{grouping}"


def render_probe(op: PivotValuesProbe, prev: str, _cols: list[str] | None) -> str:
    """The distinct non-empty values of the pivot column, as text."""
    value = render_expr(ir.FunctionCall("tostring", (op.column,)))
    return (
        f"SELECT DISTINCT {value} AS value FROM {prev} "
        f"WHERE coalesce({value}, '') <> '' ORDER BY value"
    )


def probe_columns(_op: PivotValuesProbe, _cols: list[str]) -> list[str]:
    """The probe's columns."""
    return ["value"]
