"""`evaluate bag_unpack(col [, prefix] [, columnsConflict] [, ignoredProperties]) [: schema]`.

Each top-level key of the property bags in `col` becomes a column (named `prefix` + key), `col`
itself goes, and the other columns stay, as in Kusto:

- the new columns come after the kept ones, sorted by name;
- a column's type is its values' JSON type when they all share one (string, long, real, bool),
  else dynamic; a row whose bag lacks the key, or whose value is not a bag, holds null there;
- a key that names an existing column is an error (`columnsConflict='error'`, the default),
  replaces it (`'replace_source'`) or is dropped (`'keep_source'`);
- `ignoredProperties=dynamic([...])` leaves keys out;
- with `: (name:type, ...)` the output is those columns exactly (an input column by its name,
  else the key of that name less the prefix, cast to the type) and no probe runs.

Without a schema the keys are read from the data first (`discovery`): the probe lists each key
and the JSON types of its values.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from duckdb_kql import ir
from duckdb_kql.translate import constant_string, quote_string

from idpilot.kql.extensions._hooks import PartlySupported, quote_ident

_BAG = "__bu_bag"
_CONFLICTS = ("error", "replace_source", "keep_source")
# JSON types of a key's values (nulls aside) -> the column's DuckDB type; others are dynamic.
_TYPES = {
    frozenset({"VARCHAR"}): "VARCHAR",
    frozenset({"BIGINT"}): "BIGINT",
    frozenset({"UBIGINT"}): "BIGINT",
    frozenset({"DOUBLE"}): "DOUBLE",
    frozenset({"BOOLEAN"}): "BOOLEAN",
}
_JSON = "JSON"
_CONSTRUCT = "operator:evaluate bag_unpack"


@dataclass(frozen=True)
class BagKeysProbe(ir.Operator):
    """Lists each key of the bags in `column` with the JSON types of its values."""

    column: str


@dataclass(frozen=True)
class BagUnpack(ir.Operator):
    """`bag_unpack`: the bag column, its options, and its keys once known."""

    column: str
    prefix: str = ""
    conflict: str = "error"
    ignored: tuple[str, ...] = ()
    schema: tuple[tuple[str, str], ...] | None = None
    slots: tuple[tuple[str, str], ...] | None = None

    def probe(self) -> ir.Operator | None:
        """The key listing, unless the keys are already known."""
        if self.slots is not None or self.schema is not None:
            return None
        return BagKeysProbe(self.column)

    def discovered(self, rows: list[tuple[Any, ...]]) -> ir.Operator:
        """This operator with the keys found and their column types."""
        slots = tuple(
            (str(key), _TYPES.get(frozenset(t for t in types if t != "NULL"), _JSON))
            for key, types in rows
            if key is not None and str(key) != "" and str(key) not in self.ignored
        )
        return dataclasses.replace(self, slots=slots)


def lower_call(
    arguments: tuple[ir.Expr, ...],
    named: dict[str, ir.Expr],
    schema: tuple[tuple[str, str], ...] | None,
    span: Any,
) -> BagUnpack:
    """`bag_unpack(...)`'s arguments as the operator."""
    if not arguments or not isinstance(arguments[0], ir.ColumnRef):
        raise PartlySupported(
            _CONSTRUCT, hint="bag_unpack unpacks a column, named first", span=span
        )
    rest = list(arguments[1:])
    prefix = _text(rest.pop(0)) if rest else ""
    conflict = _text(named.get("columnsConflict", rest.pop(0) if rest else None)) or "error"
    ignored = named.get("ignoredProperties", rest.pop(0) if rest else None)
    if conflict not in _CONFLICTS or rest:
        raise PartlySupported(
            _CONSTRUCT,
            hint="bag_unpack(column [, prefix [, columnsConflict [, ignoredProperties]]])",
            span=span,
        )
    return BagUnpack(arguments[0].name, prefix or "", conflict, _names(ignored), schema)


def _text(expr: ir.Expr | None) -> str | None:
    return None if expr is None else constant_string(expr)


def _names(expr: ir.Expr | None) -> tuple[str, ...]:
    """The strings of a `dynamic([...])` literal."""
    if expr is None:
        return ()
    value = expr.value if isinstance(expr, ir.Literal) else None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, list):
        raise PartlySupported(
            _CONSTRUCT, hint="ignoredProperties must be a dynamic([...]) of names"
        )
    return tuple(str(item) for item in value)


def _outputs(op: BagUnpack, cols: list[str]) -> list[tuple[str, str | None, str]]:
    """Each output column: its name, the key it reads (None for an input column), its type."""
    if op.schema is not None:
        return [
            (name, None, kind)
            if name in cols and name != op.column
            else (name, name.removeprefix(op.prefix), kind)
            for name, kind in op.schema
        ]
    if op.slots is None:
        raise PartlySupported(_CONSTRUCT, hint="bag_unpack's keys are not known")
    kept = [col for col in cols if col != op.column]
    new = sorted((op.prefix + key, key, kind) for key, kind in op.slots)
    clashes = [name for name, _, _ in new if name in kept]
    if clashes and op.conflict == "error":
        raise PartlySupported(
            _CONSTRUCT,
            hint=f"bag_unpack: the key {clashes[0]!r} names an existing column "
            "(columnsConflict='replace_source' or 'keep_source' resolves it)",
        )
    if op.conflict == "replace_source":
        kept = [col for col in kept if col not in clashes]
    else:
        new = [slot for slot in new if slot[0] not in clashes]
    return [(col, None, "") for col in kept] + list(new)


def columns(op: BagUnpack, cols: list[str]) -> list[str]:
    """The columns after `bag_unpack`."""
    return [name for name, _, _ in _outputs(op, cols)]


def _value(key: str, kind: str) -> str:
    """The SQL reading `key` of the row's bag as `kind`."""
    pointer = quote_string("/" + key.replace("~", "~0").replace("/", "~1"))
    if kind == _JSON:
        return f"json_extract({_BAG}, {pointer})"
    text = f"json_extract_string({_BAG}, {pointer})"
    return text if kind == "VARCHAR" else f"TRY_CAST({text} AS {kind})"


def render(op: BagUnpack, prev: str, cols: list[str] | None) -> str:
    """The input with the bag's keys as columns."""
    selected = [
        quote_ident(name) if key is None else f"{_value(key, kind)} AS {quote_ident(name)}"
        for name, key, kind in _outputs(op, cols or [])
    ]
    return (
        f"SELECT {', '.join(selected) or 'NULL AS __bu_none'} FROM (SELECT *, "
        f"TRY_CAST({quote_ident(op.column)} AS JSON) AS {_BAG} FROM {prev}) AS _bu"
    )


def render_probe(op: BagKeysProbe, prev: str, _cols: list[str] | None) -> str:
    """Each key of the bags and the JSON types of its values."""
    pointer = "'/' || replace(replace(_k, '~', '~0'), '/', '~1')"
    bags = (
        f"SELECT _j, unnest(json_keys(_j)) AS _k FROM (SELECT TRY_CAST({quote_ident(op.column)} "
        f"AS JSON) AS _j FROM {prev}) AS _b WHERE json_type(_j) = 'OBJECT'"
    )
    return (
        f"SELECT _k AS key, list(DISTINCT json_type(json_extract(_j, {pointer}))) AS types "
        f"FROM ({bags}) AS _keys GROUP BY _k ORDER BY _k"
    )


def probe_columns(_op: BagKeysProbe, _cols: list[str]) -> list[str]:
    """The probe's columns."""
    return ["key", "types"]
