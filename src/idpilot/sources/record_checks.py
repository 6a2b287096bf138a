"""Record checks: every staged record is a Graph object, has an id, and has typed values."""

from __future__ import annotations

import re

import duckdb
import orjson

from idpilot.errors import SnapshotError
from idpilot.model.collections import Collection
from idpilot.sources.snapshot_files import SnapshotFile, locate_record
from idpilot.sources.staging import FALLBACK_KEYS, KEYED_WITHOUT_ID
from idpilot.store.columns import Column
from idpilot.store.staging import (
    FIRST_COLUMN,
    first_non_object,
    first_without_key,
    keyed_by_fallback,
    mistyped_records,
    ordinal_of,
)

# Graph's documentation shows a type name where an example value would be ("Boolean",
# "String (timestamp)"); such a placeholder is read as unknown rather than refused.
_PLACEHOLDER = re.compile(
    r"^(String|Boolean|Int16|Int32|Int64|Integer|Double|Single|DateTimeOffset|Date|"
    r"TimeOfDay|Guid|Binary)( \(.*\))?$"
)


def check_records(
    con: duckdb.DuckDBPyConnection,
    collection: Collection,
    files: list[SnapshotFile],
    columns: list[Column],
    warnings: list[str],
) -> None:
    """Refuse the first record that is not an object, lacks an id, or has a mistyped property."""
    bad = first_non_object(con)
    if bad:
        ordinal = ordinal_of(con, bad[0], bad[1])
        _fail(files[bad[0]], ordinal, None, f"expected a Graph object, got {bad[2].lower()}")
    bad = first_without_key(con)
    if bad:
        found = "none" if bad[2] is None else f"a {bad[2].lower()}"
        message = f"every record needs a string 'id', this one has {found}"
        if collection is Collection.workflow_versions and bad[2] is None:
            message = (
                "a workflow version is keyed by its workflow and versionNumber: save it in the "
                "list response whose @odata.context names the workflow "
                "(workflows('<id>')/versions), or give it 'workflowId'"
            )
        _fail(files[bad[0]], ordinal_of(con, bad[0], bad[1]), "id", message)
    quiet = collection.is_singleton or collection in KEYED_WITHOUT_ID
    for file_no, position, key in [] if quiet else keyed_by_fallback(con):
        warnings.append(
            f"{files[file_no].path.name} record {ordinal_of(con, file_no, position)} has no 'id'; "
            "keyed by "
            f"{FALLBACK_KEYS[collection]} '{key}'"
        )
    if not columns:
        return
    rows = mistyped_records(con, columns)
    for file_no, position, values, flagged in rows:
        ordinal = ordinal_of(con, file_no, position)
        for column, value, is_bad in zip(columns, values[FIRST_COLUMN - 1 :], flagged, strict=True):
            if is_bad:
                _refuse_or_warn(files[file_no], ordinal, column, value, warnings)


def _refuse_or_warn(
    file: SnapshotFile, ordinal: int, column: Column, value: str, warnings: list[str]
) -> None:
    parsed = orjson.loads(value)
    if isinstance(parsed, str) and _PLACEHOLDER.match(parsed):
        warnings.append(
            f"{file.path.name} record {ordinal}: '{column.name}' holds the documentation "
            f"placeholder '{parsed}'; kept as published, read as unknown"
        )
        return
    shown = f"'{parsed}'" if isinstance(parsed, str) else f"a {_json_kind(parsed)}"
    _fail(file, ordinal, column.name, f"expected {column.expected}, got {shown}")


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {dict: "object", list: "array"}.get(type(value), type(value).__name__)


def _fail(file: SnapshotFile, ordinal: int, field_name: str | None, message: str) -> None:
    if file.origin is not None:  # converted from a log export: its own lines are not these
        raise SnapshotError(
            f"record {ordinal} of {file.collection.value} read from this export: {message}",
            path=file.origin,
            field=field_name,
        )
    line, column = locate_record(file, ordinal, field_name)
    raise SnapshotError(
        f"record {ordinal} of {file.collection.value}: {message}",
        path=file.path,
        line=line,
        column=column,
        field=field_name,
    )
