"""Column-shaping operators duckdb-kql 1.1 does not lower: project-reorder, project-keep,
serialize.

- `project-reorder a, b*, c desc`: the named columns (a wildcard matches in input order; `asc`
  / `desc` sort the matches by name) move to the front, the rest keep their order after them.
- `project-keep a, b*`: only the matching columns, in input order.
- `distinct *`: the distinct rows, every column kept.
- `serialize [name = expr, ...]`: the row set keeps its order (rows already flow in order
  here), and its expressions are an `extend` that may use `row_number()`, `prev()`, `next()`.

Both projections need the input's columns, which duckdb-kql knows for every table through the
schema idpilot passes; without them the operator is refused rather than guessed.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

from duckdb_kql import KqlUnsupportedError, ir, lower

from idpilot.kql.extensions._hooks import add_operator, quote_ident

_ORDERS = ("asc", "desc", "granny-asc", "granny-desc")


@dataclass(frozen=True)
class ColumnPattern(ir.Node):
    """A column name or wildcard, and for project-reorder the order of its matches."""

    pattern: str
    order: str | None = None


@dataclass(frozen=True)
class ProjectReorder(ir.Operator):
    """`project-reorder`: move the matching columns to the front."""

    patterns: tuple[ColumnPattern, ...]


@dataclass(frozen=True)
class ProjectKeep(ir.Operator):
    """`project-keep`: keep only the matching columns, in input order."""

    patterns: tuple[ColumnPattern, ...]


@dataclass(frozen=True)
class DistinctRows(ir.Operator):
    """`distinct *`: every column, duplicates removed."""


def register() -> None:
    """Hook the operators into duckdb-kql's lowering, rendering and column tracking."""
    add_operator(
        ("ProjectReorderOperator",),
        _lower_reorder,
        {ProjectReorder: (_render_projection, reordered_columns)},
    )
    add_operator(
        ("ProjectKeepOperator",),
        _lower_keep,
        {ProjectKeep: (_render_projection, kept_columns)},
    )
    add_operator(("SerializeOperator",), _lower_serialize)
    add_operator(
        ("DistinctOperator",),
        _lower_distinct_rows,
        {DistinctRows: (_render_distinct_rows, lambda _op, cols: cols)},
    )


def _lower_distinct_rows(node: Any, kids: list[Any]) -> ir.Operator:
    """`distinct *`; any other `distinct` is duckdb-kql's."""
    if any(lower._cls(kid) == "DistinctOperatorStarTarget" for kid in kids):
        return DistinctRows()
    return NotImplemented


def _render_distinct_rows(_op: DistinctRows, prev: str, _cols: list[str] | None) -> str:
    return f"SELECT DISTINCT * FROM {prev}"


def _lower_reorder(node: Any, kids: list[Any]) -> ir.Operator:
    patterns = []
    for kid in kids:
        name = lower._rule_children(kid)[0].getText() if lower._rule_children(kid) else ""
        order = kid.getText()[len(name) :].lower() or None
        if not name or (order is not None and order not in _ORDERS):
            raise KqlUnsupportedError("operator:project-reorder", span=lower._span(kid))
        patterns.append(ColumnPattern(_unescaped(name), order))
    return ProjectReorder(tuple(patterns))


def _lower_keep(node: Any, kids: list[Any]) -> ir.Operator:
    patterns = tuple(ColumnPattern(_unescaped(kid.getText())) for kid in kids)
    if not patterns:
        raise KqlUnsupportedError("operator:project-keep", span=lower._span(node))
    return ProjectKeep(patterns)


def _lower_serialize(node: Any, kids: list[Any]) -> ir.Operator | None:
    expressions = tuple(lower._lower_named(kid) for kid in kids)
    return ir.Extend(expressions) if expressions else None


def _unescaped(name: str) -> str:
    """`['Total Count']` and `["x"]` as the column name they escape."""
    if name.startswith("[") and name.endswith("]"):
        return name[2:-2]
    return name


def _matches(pattern: ColumnPattern, cols: list[str]) -> list[str]:
    found = [col for col in cols if fnmatch.fnmatchcase(col, pattern.pattern)]
    if pattern.order in ("asc", "granny-asc"):
        return sorted(found)
    if pattern.order in ("desc", "granny-desc"):
        return sorted(found, reverse=True)
    return found


def reordered_columns(op: ProjectReorder, cols: list[str]) -> list[str]:
    """The columns after `project-reorder`."""
    front: list[str] = []
    for pattern in op.patterns:
        front += [col for col in _matches(pattern, cols) if col not in front]
    return front + [col for col in cols if col not in front]


def kept_columns(op: ProjectKeep, cols: list[str]) -> list[str]:
    """The columns after `project-keep`."""
    kept = {col for pattern in op.patterns for col in _matches(pattern, cols)}
    return [col for col in cols if col in kept]


def _render_projection(op: ProjectReorder | ProjectKeep, prev: str, cols: list[str] | None) -> str:
    if cols is None:
        raise KqlUnsupportedError(
            "operator:project-reorder"
            if isinstance(op, ProjectReorder)
            else "operator:project-keep",
            hint="the input's columns are not known here",
        )
    chosen = (
        reordered_columns(op, cols) if isinstance(op, ProjectReorder) else kept_columns(op, cols)
    )
    return f"SELECT {', '.join(quote_ident(col) for col in chosen)} FROM {prev}"
