"""`evaluate` plugins: the call and its output schema, lowered for `bag_unpack` and `pivot`.

duckdb-kql 1.1 refuses every `evaluate`. Here `evaluate bag_unpack(...)` and `evaluate
pivot(...)` are lowered to the operators of `bag_unpack` and `pivot` (columns read from the data
in two steps, see `discovery`); any other plugin is left to duckdb-kql, which refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from duckdb_kql import ir, lower
from duckdb_kql.translate import TYPE_MAP

from idpilot.kql.extensions import bag_unpack, pivot
from idpilot.kql.extensions._hooks import PartlySupported, add_operator

_CALL = "NamedFunctionCallExpression"


@dataclass(frozen=True)
class PluginCall:
    """A plugin's name, positional and named arguments, and declared output columns."""

    name: str
    arguments: tuple[ir.Expr, ...]
    named: dict[str, ir.Expr]
    schema: tuple[tuple[str, str], ...] | None
    span: Any


def register() -> None:
    """Hook `evaluate` and the two plugins' rendering and column tracking."""
    add_operator(
        ("EvaluateOperator",),
        _lower,
        {
            bag_unpack.BagUnpack: (bag_unpack.render, bag_unpack.columns),
            bag_unpack.BagKeysProbe: (bag_unpack.render_probe, bag_unpack.probe_columns),
            pivot.Pivot: (pivot.render, pivot.columns),
            pivot.PivotValuesProbe: (pivot.render_probe, pivot.probe_columns),
        },
    )


def _lower(node: Any, kids: list[Any]) -> ir.Operator | Any:
    call = _plugin_call(node, kids)
    if call is None or call.name not in ("bag_unpack", "pivot"):
        return NotImplemented
    if call.name == "bag_unpack":
        return bag_unpack.lower_call(call.arguments, call.named, call.schema, call.span)
    return pivot.lower_call(call.arguments, call.named, call.schema, call.span)


def _plugin_call(node: Any, kids: list[Any]) -> PluginCall | None:
    call = next((lower._collapse(k) for k in kids if lower._cls(lower._collapse(k)) == _CALL), None)
    if call is None:
        return None
    parts = lower._rule_children(call)
    names = lower._find_names(parts[0])
    arguments: list[ir.Expr] = []
    named: dict[str, ir.Expr] = {}
    for part in parts[1:]:
        lowered = lower._lower_named(part)
        if lowered.name:
            named[lowered.name] = lowered.expr
        else:
            arguments.append(lowered.expr)
    schema = None
    for kid in kids:
        if lower._cls(kid) == "EvaluateOperatorSchemaClause":
            schema = _row_schema(kid)
    return PluginCall(names[0] if names else "", tuple(arguments), named, schema, lower._span(node))


def _row_schema(clause: Any) -> tuple[tuple[str, str], ...]:
    """`: (name:type, ...)` as (name, DuckDB type) pairs."""
    declared = []
    for row in _descendants(clause, "RowSchemaColumnDeclaration"):
        name, kind = lower._rule_children(row)[0], lower._rule_children(row)[-1]
        type_name = kind.getText().lower()
        if type_name not in TYPE_MAP:
            raise PartlySupported("operator:evaluate", hint=f"unknown type {type_name}")
        declared.append((lower._find_names(name)[0], TYPE_MAP[type_name]))
    return tuple(declared)


def _descendants(node: Any, kind: str) -> list[Any]:
    found = []
    for child in lower._rule_children(node):
        if lower._cls(child) == kind:
            found.append(child)
        else:
            found += _descendants(child, kind)
    return found
