"""The three dispatch points of duckdb-kql that operator extensions hook, wrapped once each.

An extension registers, per parser class, how to lower it to IR; per IR class, how to render
it as a SELECT over the previous stage and which columns come out. Anything not registered goes
to duckdb-kql's own dispatch unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from duckdb_kql import KqlUnsupportedError, ir, lower, schema, translate

Lowering = Callable[[Any, list[Any]], "ir.Operator | list[ir.Operator] | None"]
Rendering = Callable[[Any, str, "list[str] | None"], str]
Columns = Callable[[Any, list[str]], list[str]]


class PartlySupported(KqlUnsupportedError):
    """A construct an extension handles only in part; its hint tells the user which part."""


_LOWERINGS: dict[str, Lowering] = {}
_RENDERINGS: dict[type, Rendering] = {}
_COLUMNS: dict[type, Columns] = {}
_wrapped = False


def add_operator(
    parser_classes: tuple[str, ...],
    lowering: Lowering,
    renderings: dict[type, tuple[Rendering, Columns]] | None = None,
) -> None:
    """Teach duckdb-kql an operator: how to lower its parse nodes, render and name its IR.

    A lowering may answer `NotImplemented` to leave a form it does not handle to duckdb-kql.
    """
    _wrap()
    for name in parser_classes:
        _LOWERINGS[name] = lowering
    for kind, (rendering, columns) in (renderings or {}).items():
        _RENDERINGS[kind] = rendering
        _COLUMNS[kind] = columns


def quote_ident(name: str) -> str:
    """An identifier quoted as duckdb-kql quotes it now (`case_names` gives each KQL name a SQL
    spelling of its own), looked up at each call rather than bound at import."""
    return translate.quote_ident(name)


def operator_node(node: Any) -> Any:
    """The operator's own parse node under `| ...` wrappers, as duckdb-kql unwraps it."""
    while lower._cls(node) in ("PipedOperator", "AfterPipeOperator"):
        rules = lower._rule_children(node)
        if not rules:
            break
        node = rules[0]
    return lower._collapse(node)


def _substituted(value: Any, scalars: Any) -> Any:
    """`value` with the scalar `let`s in scope put in, through every field of an extension's
    own nodes (duckdb-kql's substitution walks only the node kinds it defines)."""
    if isinstance(value, tuple):
        return tuple(_substituted(item, scalars) for item in value)
    if isinstance(value, ir.Query):
        return lower._substitute_query(value, scalars)
    if isinstance(value, ir.Operator):
        return lower._substitute_operator(value, scalars)
    if type(value).__module__ == ir.__name__:
        return lower._substitute(value, scalars)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields_substituted(value, scalars)
    return value


def _fields_substituted(node: Any, scalars: Any) -> Any:
    """`node` with each of its fields substituted."""
    changes = {
        field.name: _substituted(getattr(node, field.name), scalars)
        for field in dataclasses.fields(node)
    }
    return dataclasses.replace(node, **changes)


def _wrap() -> None:
    global _wrapped
    if _wrapped:
        return
    original_lower = lower._lower_operator
    original_render = translate.render_operator
    original_columns = schema._operator_columns_unchecked
    original_substitute = lower._substitute_operator

    def lower_operator(node: Any) -> ir.Operator | list[ir.Operator] | None:
        inner = operator_node(node)
        lowering = _LOWERINGS.get(lower._cls(inner))
        lowered = (
            NotImplemented if lowering is None else lowering(inner, lower._rule_children(inner))
        )
        return original_lower(node) if lowered is NotImplemented else lowered

    def render_operator(op: ir.Operator, prev: str, cols: list[str] | None = None) -> str:
        rendering = _RENDERINGS.get(type(op))
        if rendering is None:
            return original_render(op, prev, cols)
        return rendering(op, prev, cols)

    def operator_columns(op: ir.Operator, cols: list[str], known: Any) -> list[str]:
        columns = _COLUMNS.get(type(op))
        if columns is None:
            return original_columns(op, cols, known)
        return columns(op, cols)

    def substitute_operator(op: ir.Operator, scalars: Any) -> ir.Operator:
        if type(op) not in _RENDERINGS:
            return original_substitute(op, scalars)
        return _fields_substituted(op, scalars)

    lower._lower_operator = lower_operator
    translate.render_operator = render_operator
    schema._operator_columns_unchecked = operator_columns
    lower._substitute_operator = substitute_operator
    _wrapped = True
