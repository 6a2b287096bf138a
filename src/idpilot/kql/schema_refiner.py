"""What a model writing KQL is told about the tables: columns, types, values, JSON fields.

Read from the store itself, through KQL (one summarizing query and one sample per view): each
view's columns and their KQL types, the values of its low-cardinality text columns (ResultType
codes, app names, operation names, risk levels), and the field paths its dynamic columns hold
(`LocationDetails.city`, `InitiatedBy.user.userPrincipalName`). `schema_text` renders the
tables that matter most first and stops at a character budget, smaller for a model with a
small context (`IDPILOT_LLM_SMALL_CONTEXT`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from idpilot.kql.adapter import LOG_ANALYTICS_TABLES, run_kql
from idpilot.store import Store

MAX_VALUES = 40
"""A text column with at most this many distinct values is listed with its values."""
SAMPLE_ROWS = 25
"""Rows read to find the field paths a dynamic column holds."""
MAX_FIELD_DEPTH = 3
SMALL_BUDGET_CHARS = 3000
"""About 800 tokens: what a 4,096-token model can spare for the schema (a larger one costs
prompt evaluation time on every question, minutes on 2 busy CPU cores)."""
LARGE_BUDGET_CHARS = 12000
MAX_VALUE_CHARS = 60
"""Longer values (descriptions, user agents) say nothing a query filters on."""
_SMALL_VALUES = 10
"""Values listed per column for a small-context model."""
_SMALL_FIELDS = 8
_KQL_TYPES = {
    "VARCHAR": "string",
    "JSON": "dynamic",
    "BIGINT": "long",
    "INTEGER": "int",
    "DOUBLE": "real",
    "FLOAT": "real",
    "BOOLEAN": "bool",
    "INTERVAL": "timespan",
}
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UNINFORMATIVE = frozenset({"TenantId", "AADTenantId", "SourceSystem", "Type"})
"""Columns every row holds the same value in; listing them costs context for nothing."""


@dataclass(frozen=True)
class ColumnInfo:
    """One column: its name, KQL type, its values when few, the fields of a dynamic one."""

    name: str
    type: str
    values: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSchema:
    """One view: its name, how many rows it holds, its columns."""

    name: str
    rows: int
    columns: tuple[ColumnInfo, ...]


_CACHE: dict[tuple[str, str], tuple[TableSchema, ...]] = {}


def refine_schema(store: Store) -> tuple[TableSchema, ...]:
    """Every Log Analytics view of `store`, described (cached per store file and snapshot)."""
    key = (str(store.path), store.captured_at().isoformat())
    if store.path is not None and key in _CACHE:
        return _CACHE[key]
    tables = tuple(_table(store, name) for name in LOG_ANALYTICS_TABLES)
    if store.path is not None:
        _CACHE[key] = tables
    return tables


def kql_type(duckdb_type: str) -> str:
    """The KQL type name of a DuckDB column type."""
    if duckdb_type.startswith("TIMESTAMP"):
        return "datetime"
    return _KQL_TYPES.get(duckdb_type, duckdb_type.lower())


def schema_text(
    tables: Sequence[TableSchema], *, first: Sequence[str] = (), small: bool = False
) -> str:
    """The tables as a model reads them, those named in `first` first, within the budget.

    The first table is always shown whole (with fewer values when small). A later table that
    does not fit whole is shown by its column line alone (no values), and one that does not
    fit even so is named on a last line (outside the budget): a table is never cut (a
    half-listed table invites a guessed column), and the model knows every table there is.
    """
    order = [t for name in dict.fromkeys(first) for t in tables if t.name == name]
    order += [t for t in tables if t not in order]
    budget = SMALL_BUDGET_CHARS if small else LARGE_BUDGET_CHARS
    blocks: list[str] = []
    unlisted: list[str] = []
    used = 0
    for table in order:
        whole = _table_text(table, small)
        block = next(
            (b for b in (whole, _columns_line(table)) if not blocks or used + len(b) <= budget),
            None,
        )
        if block is None:
            unlisted.append(table.name)
            continue
        blocks.append(block)
        used += len(block)
    if unlisted:
        blocks.append(f"Also (columns not shown): {', '.join(unlisted)}")
    return "\n".join(blocks)


def _columns_line(table: TableSchema) -> str:
    """A table's name, row count and columns (text ones untyped), on one line."""
    kept = [c for c in table.columns if c.name not in _UNINFORMATIVE]
    names = [c.name if c.type == "string" else f"{c.name}:{c.type}" for c in kept]
    return f"{table.name} ({table.rows} rows; columns are string unless typed): " + ", ".join(names)


def _table_text(table: TableSchema, small: bool) -> str:
    """One table: its column line, then the values and fields worth knowing."""
    kept = [c for c in table.columns if c.name not in _UNINFORMATIVE]
    lines = [_columns_line(table)]
    shown_values = _SMALL_VALUES if small else MAX_VALUES
    for column in kept:
        if column.values and not (small and len(column.values) == 1):
            values = ", ".join(f'"{v}"' for v in column.values[:shown_values])
            more = ", ..." if len(column.values) > shown_values else ""
            lines.append(f"  {column.name} values: {values}{more}")
        if column.fields:
            fields = ", ".join(column.fields[: _SMALL_FIELDS if small else None])
            lines.append(f"  {column.name} fields: {fields}")
    return "\n".join(lines)


def _table(store: Store, name: str) -> TableSchema:
    described = run_kql(store, f"{name} | take 0")
    types = dict(zip(described.columns, described.types, strict=True))
    texts = [c for c, t in types.items() if t == "VARCHAR" and _IDENTIFIER.match(c)]
    sample = run_kql(store, f"{name} | take {SAMPLE_ROWS}").records()
    values, json_texts, rows = _text_values(store, name, texts)
    json_texts |= {
        c for c in texts if any(str(r.get(c) or "").startswith(("[", "{")) for r in sample)
    }
    dynamic = [c for c, t in types.items() if t == "JSON"]
    fields = _dynamic_fields(sample, dynamic, json_texts)
    columns = tuple(
        ColumnInfo(
            name=column,
            type="string (JSON text: parse_json it)" if column in json_texts else kql_type(kind),
            values=values.get(column, ()),
            fields=fields.get(column, ()),
        )
        for column, kind in types.items()
    )
    return TableSchema(name=name, rows=rows, columns=columns)


def _text_values(
    store: Store, table: str, columns: list[str]
) -> tuple[dict[str, tuple[str, ...]], set[str], int]:
    """The values of each text column that has few, most frequent first; the columns whose
    few values are JSON text; and the table's row count (one query reading the text columns)."""
    if not columns:
        rows = run_kql(store, f"{table} | count").rows
        return {}, set(), int(rows[0][0]) if rows else 0
    result = run_kql(store, f"{table} | project {', '.join(columns)}")
    counts: list[Counter[str] | None] = [Counter() for _ in columns]
    json_texts: set[str] = set()
    for row in result.rows:
        for index, cell in enumerate(row):
            seen = counts[index]
            if seen is None or cell in (None, ""):
                continue
            seen[cell] += 1
            if len(seen) > MAX_VALUES:
                counts[index] = None
    found: dict[str, tuple[str, ...]] = {}
    for column, seen in zip(columns, counts, strict=True):
        if not seen:
            continue
        if any(str(v).startswith(("[", "{")) for v in seen):
            json_texts.add(column)
        elif all(len(str(v)) <= MAX_VALUE_CHARS and not _GUID.match(str(v)) for v in seen):
            found[column] = tuple(str(v) for v, _ in seen.most_common())
    return found, json_texts, len(result.rows)


def _dynamic_fields(
    records: list[dict[str, Any]], dynamic: list[str], json_texts: set[str]
) -> dict[str, tuple[str, ...]]:
    """The field paths the dynamic columns (and text columns holding JSON) hold in a sample of
    rows (`[0]` for an array)."""
    columns = [*dynamic, *sorted(json_texts)]
    found: dict[str, tuple[str, ...]] = {}
    for column in columns:
        paths: dict[str, None] = {}
        for record in records:
            value = record.get(column)
            if isinstance(value, str) and column in json_texts:
                value = _parsed(value)
            _paths(value, column, 0, paths)
        if paths:
            found[column] = tuple(paths)
    return found


def _parsed(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _paths(value: Any, prefix: str, depth: int, into: dict[str, None]) -> None:
    """Collect the leaf paths under `value` (arrays as their first element, `[0]`)."""
    if depth >= MAX_FIELD_DEPTH:
        return
    if isinstance(value, list):
        if value:
            _paths(value[0], f"{prefix}[0]", depth + 1, into)
        return
    if not isinstance(value, dict):
        return
    for key, child in value.items():
        path = f"{prefix}.{key}"
        if isinstance(child, dict | list) and child:
            _paths(child, path, depth + 1, into)
        else:
            into[path] = None
