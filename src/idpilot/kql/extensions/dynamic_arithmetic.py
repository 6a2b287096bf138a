"""Arithmetic between a `dynamic` value and a typed one: the dynamic read as the other's type.

Kusto's `+`, `-`, `*`, `/` and `%` accept a dynamic operand beside a typed one and give the
typed operand's type (an `int` gives `long`): `list_count - avg_count` after `mv-expand
list_count` is a `real` (the operator signatures of Kusto.Language, `Operators.cs`; Sentinel's
hunting queries rely on it). DuckDB has no arithmetic on JSON, so such an operand is converted
first with the KQL conversion to the other operand's type (`todouble`, `tolong`,
`todatetime`, `totimespan`), which is what Kusto's signature means; nothing else changes.

Which operand is dynamic is known without the data for a path (`d.count`), a dynamic literal
or `parse_json(...)`; a column is dynamic when the input's type says so (`discovery.Prober`,
asked only when the pipeline expands something with `mv-expand`, where dynamic columns come
from). The other operand's type is read from the IR where it says (a literal, a conversion),
else from the input's column types or DuckDB's type for the expression. Two dynamic operands
are left alone (Kusto gives a dynamic there).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from duckdb_kql import ir, translate
from duckdb_kql.types import kusto_type

from idpilot.kql.extensions import discovery

_ARITHMETIC = frozenset({"+", "-", "*", "/", "%"})
# Operators a datetime or timespan may meet a dynamic in (the rest take numbers only).
_ADDITIVE = frozenset({"+", "-"})
_DYNAMIC = "dynamic"
# The KQL conversion that reads a dynamic as each type the other operand may have.
_CONVERSIONS = {
    "int": "tolong",
    "long": "tolong",
    "real": "todouble",
    "decimal": "todouble",
    "datetime": "todatetime",
    "timespan": "totimespan",
}
_NUMBERS = frozenset({"int", "long", "real", "decimal"})
_LITERAL_KINDS = frozenset(_CONVERSIONS) | {_DYNAMIC}


def register() -> None:
    """Type arithmetic on dynamic operands before rendering."""
    discovery.add_typer(typed)


def typed(op: ir.Operator, prober: discovery.Prober) -> ir.Operator:
    """`op` with each dynamic operand of arithmetic converted to the other operand's type."""
    if not _has_arithmetic(op):
        return op
    reader = _Types(prober, columns_may_be_dynamic=_expands(prober.before))
    return _rewritten(op, reader)


class _Types:
    """What is known of the types of the expressions of one operator's input."""

    def __init__(self, prober: discovery.Prober, *, columns_may_be_dynamic: bool) -> None:
        self.prober = prober
        self.columns_may_be_dynamic = columns_may_be_dynamic

    def is_dynamic(self, expr: ir.Expr) -> bool:
        """Whether `expr` is certainly a dynamic value."""
        if translate._is_dynamic_expr(expr):
            return True
        if isinstance(expr, ir.ColumnRef) and self.columns_may_be_dynamic:
            return self.column_type(expr.name) == _DYNAMIC
        return False

    def column_type(self, name: str) -> str | None:
        """The Kusto type of an input column, or None when the input has no such column."""
        for column, kind in self.prober.input_columns():
            if column == name:
                return kusto_type(kind)
        return None

    def kind(self, expr: ir.Expr) -> str | None:
        """The Kusto type of a typed operand (the IR's word for it first, then DuckDB's)."""
        if isinstance(expr, ir.Literal | ir.Parameter):
            return expr.kind if expr.kind in _LITERAL_KINDS else None
        for test, kind in (
            (translate._is_int_expr, "int"),
            (translate._is_real_expr, "real"),
            (translate._is_datetime_expr, "datetime"),
            (translate._is_timespan_expr, "timespan"),
        ):
            if test(expr):
                return kind
        if isinstance(expr, ir.ColumnRef):
            return self.column_type(expr.name)
        return kusto_type(self.prober.expression_types([expr])[0])


def _rewritten(node: Any, types: _Types) -> Any:
    """`node` with its arithmetic typed, innermost first; nested queries are left to their own
    pass (discovery types each query over its own input)."""
    if isinstance(node, ir.Query) or not dataclasses.is_dataclass(node) or isinstance(node, type):
        return node
    changes = {}
    for field in dataclasses.fields(node):
        value = getattr(node, field.name)
        updated = (
            tuple(_rewritten(item, types) for item in value)
            if isinstance(value, tuple)
            else _rewritten(value, types)
        )
        if updated != value:
            changes[field.name] = updated
    node = dataclasses.replace(node, **changes) if changes else node
    if isinstance(node, ir.BinaryOp) and node.op in _ARITHMETIC:
        return _typed_operation(node, types)
    return node


def _typed_operation(node: ir.BinaryOp, types: _Types) -> ir.BinaryOp:
    """One arithmetic operation with its dynamic operand converted, when there is one."""
    left_dynamic, right_dynamic = types.is_dynamic(node.left), types.is_dynamic(node.right)
    if left_dynamic == right_dynamic:
        return node
    dynamic, other = (node.left, node.right) if left_dynamic else (node.right, node.left)
    kind = types.kind(other)
    allowed = _NUMBERS | ({"datetime", "timespan"} if node.op in _ADDITIVE else set())
    if kind not in allowed:
        return node
    converted = ir.FunctionCall(_CONVERSIONS[kind], (dynamic,))
    if left_dynamic:
        return dataclasses.replace(node, left=converted)
    return dataclasses.replace(node, right=converted)


def _has_arithmetic(node: Any) -> bool:
    """Whether an arithmetic operation appears in `node` outside nested queries."""
    if isinstance(node, ir.BinaryOp) and node.op in _ARITHMETIC:
        return True
    if isinstance(node, tuple):
        return any(_has_arithmetic(item) for item in node)
    if isinstance(node, ir.Query) or not dataclasses.is_dataclass(node) or isinstance(node, type):
        return False
    return any(_has_arithmetic(getattr(node, field.name)) for field in dataclasses.fields(node))


def _expands(node: Any) -> bool:
    """Whether an `mv-expand` appears in `node`: the pipeline so far, its `let`s, its sources."""
    if isinstance(node, ir.MvExpand):
        return True
    if isinstance(node, list | tuple):
        return any(_expands(item) for item in node)
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return False
    return any(_expands(getattr(node, field.name)) for field in dataclasses.fields(node))
