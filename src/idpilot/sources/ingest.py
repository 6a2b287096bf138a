"""`idpilot ingest`: load a snapshot folder into the store, all or nothing.

Every file is checked as strict JSON first (with the file, line and column of the first
error); then, in one transaction, DuckDB reads each collection's files, every record's typed
properties are checked against the table's columns, and the records are merged by id: a later
record replaces the properties it carries and keeps the ones only the earlier had. Any error
rolls the whole ingest back, and a killed process leaves the last committed store.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import orjson

from idpilot.errors import SnapshotError
from idpilot.model.collections import Collection
from idpilot.sources.snapshot_files import (
    FileFormat,
    ProgressCallback,
    SnapshotFile,
    check_syntax,
    list_snapshot,
    locate_record,
    read_manifest,
)
from idpilot.store.columns import Column, ColumnKind, collection_columns
from idpilot.store.database import CAPTURED_KEY, TENANT_KEY, Store

MAX_OBJECT_BYTES = 1 << 31
# Graph's documentation shows a type name where an example value would be ("Boolean",
# "String (timestamp)"); such a placeholder is read as unknown rather than refused.
_PLACEHOLDER = re.compile(
    r"^(String|Boolean|Int16|Int32|Int64|Integer|Double|Single|DateTimeOffset|Date|"
    r"TimeOfDay|Guid|Binary)( \(.*\))?$"
)

StageCallback = Callable[[str], None]

# A record without `id` (published examples made with $select sometimes omit it) is keyed by
# the property Graph guarantees unique in its collection; other collections require `id`.
FALLBACK_KEYS: dict[Collection, str] = {
    Collection.applications: "appId",
    Collection.service_principals: "appId",
    Collection.users: "userPrincipalName",
    Collection.domains: "id",
}


@dataclass
class IngestReport:
    """What an ingest read and changed, and what it could not use."""

    source: Path
    files: int = 0
    records: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    skipped_files: list[Path] = field(default_factory=list)

    @property
    def total_records(self) -> int:
        """Records read across every collection."""
        return sum(self.records.values())

    @property
    def total_changed(self) -> int:
        """Records inserted or changed across every collection."""
        return sum(self.changed.values())


def ingest_folder(
    store: Store,
    folder: Path,
    *,
    on_bytes: ProgressCallback | None = None,
    on_stage: StageCallback | None = None,
) -> IngestReport:
    """Ingest every collection file of `folder` into `store` in one transaction."""
    files, unknown = list_snapshot(folder)
    if not files:
        names = ", ".join(c.value for c in list(Collection)[:4])
        raise SnapshotError(
            f"no collection files found (expected files named after Graph collections: {names}, "
            "... with .json, .jsonl or .ndjson, optionally .gz)",
            path=folder,
        )
    manifest = read_manifest(folder)
    _check_captured_time(folder, manifest)
    for file in files:
        check_syntax(file, on_bytes)
    report = IngestReport(source=folder, files=len(files), skipped_files=unknown)
    by_collection: dict[Collection, list[SnapshotFile]] = defaultdict(list)
    for file in files:
        by_collection[file.collection].append(file)
    started = datetime.now(UTC)
    with store.transaction() as con:
        for collection, collection_files in by_collection.items():
            if on_stage:
                on_stage(collection.value)
            read, changed = _load_collection(con, collection, collection_files, report)
            report.records[collection.value] = read
            report.changed[collection.value] = changed
        for key in (TENANT_KEY, CAPTURED_KEY):
            if key in manifest:
                con.execute(
                    "INSERT OR REPLACE INTO snapshot_info VALUES (?, ?)", [key, manifest[key]]
                )
        con.execute(
            "INSERT INTO ingests VALUES (?, now(), ?, ?, ?, ?)",
            [started, str(folder), report.files, report.total_records, report.total_changed],
        )
    return report


def _check_captured_time(folder: Path, manifest: dict[str, str]) -> None:
    value = manifest.get(CAPTURED_KEY)
    if value is None:
        return
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SnapshotError(
            f"'{value}' is not an ISO 8601 timestamp",
            path=folder / "manifest.json",
            field=CAPTURED_KEY,
        ) from None


# Positions in the per-record list `v` of extracted JSON values (DuckDB lists are 1-based).
_ID, _FALLBACK, _VALUE = 1, 2, 3
_FIRST_COLUMN = 4


def _paths(columns: list[Column], fallback_key: str) -> list[str]:
    """The JSON paths extracted once per record: id, fallback key, value, then each column."""
    return ["$.id", f"$.{fallback_key}", "$.value", *(c.path for c in columns)]


def _load_collection(
    con: duckdb.DuckDBPyConnection,
    collection: Collection,
    files: list[SnapshotFile],
    report: IngestReport,
) -> tuple[int, int]:
    columns = [c for c in collection_columns(con, collection) if c.name != "id"]
    paths = _paths(columns, FALLBACK_KEYS.get(collection, "id"))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _stage "
        "(file_no INTEGER, ordinal BIGINT, raw JSON, v JSON[], key VARCHAR)"
    )
    for file_no, file in enumerate(files):
        _stage_file(con, file, file_no, paths)
    _check_records(con, collection, files, columns, report)
    read = con.execute("SELECT count(*) FROM _stage").fetchone()[0]
    changed = _merge(con, collection, columns, paths)
    if collection is Collection.groups and changed:
        _rebuild_group_links(con)
    for temp in ("_stage", "_incoming", "_merged", "_changed_ids"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    return read, changed


def _stage_file(
    con: duckdb.DuckDBPyConnection, file: SnapshotFile, file_no: int, paths: list[str]
) -> None:
    """Read a file's records into _stage, numbered in file order, each JSON parsed once.

    A document is a record, a JSON array of records, or a Graph list response (a `value` array
    with only `@` annotations beside it), whose elements are the records.
    """
    fmt = "newline_delimited" if file.format is FileFormat.json_lines else "unstructured"
    con.execute(
        f"""
        INSERT INTO _stage
        WITH docs AS (
            SELECT row_number() OVER () AS doc_no, json AS doc,
                   starts_with(ltrim(json), '[') AS is_array,
                   CASE WHEN NOT starts_with(ltrim(json), '[')
                        THEN json_extract(json, $paths) END AS v
            FROM read_json_objects($path, format = '{fmt}', compression = 'auto',
                                   maximum_object_size = {MAX_OBJECT_BYTES})
        ),
        pages AS (
            SELECT doc_no, CAST(CASE WHEN is_array THEN doc ELSE v[{_VALUE}] END AS JSON[]) AS items
            FROM docs
            WHERE is_array OR (v[{_ID}] IS NULL AND json_type(v[{_VALUE}]) = 'ARRAY'
                               AND len(list_filter(json_keys(doc),
                                   lambda k: k <> 'value' AND NOT starts_with(k, '@'))) = 0)
        ),
        records AS (
            SELECT doc_no, 0 AS item_no, doc AS raw, v FROM docs
            WHERE doc_no NOT IN (SELECT doc_no FROM pages)
            UNION ALL
            SELECT doc_no, item_no, raw, json_extract(raw, $paths)
            FROM (SELECT doc_no, generate_subscripts(items, 1) AS item_no, unnest(items) AS raw
                  FROM pages)
        )
        SELECT $file_no, row_number() OVER (ORDER BY doc_no, item_no), raw, v,
               CASE WHEN json_type(v[{_ID}]) = 'VARCHAR' THEN json_extract_string(v[{_ID}], '$')
                    WHEN v[{_ID}] IS NULL AND json_type(v[{_FALLBACK}]) = 'VARCHAR'
                    THEN json_extract_string(v[{_FALLBACK}], '$') END
        FROM records
        """,
        {"path": str(file.path), "paths": paths, "file_no": file_no},
    )


def _bad_value(index: int, column: Column) -> str:
    """SQL true when the record's value for `column` (at v[index]) has the wrong type."""
    value = f"v[{index}]"
    accepted = ", ".join(f"'{t}'" for t in (*column.accepted_json_types, "NULL"))
    condition = f"({value} IS NOT NULL AND json_type({value}) NOT IN ({accepted}))"
    if column.kind is ColumnKind.timestamp:
        condition += (
            f" OR (json_type({value}) = 'VARCHAR' AND "
            f"TRY_CAST(json_extract_string({value}, '$') AS TIMESTAMPTZ) IS NULL)"
        )
    return condition


def _check_records(
    con: duckdb.DuckDBPyConnection,
    collection: Collection,
    files: list[SnapshotFile],
    columns: list[Column],
    report: IngestReport,
) -> None:
    """Refuse the first record that is not an object, lacks an id, or has a mistyped property."""
    bad = con.execute(
        "SELECT file_no, ordinal, json_type(raw) FROM _stage "
        "WHERE NOT starts_with(ltrim(raw), '{') ORDER BY file_no, ordinal LIMIT 1"
    ).fetchone()
    if bad:
        _fail(files[bad[0]], bad[1], None, f"expected a Graph object, got {bad[2].lower()}")
    bad = con.execute(
        f"SELECT file_no, ordinal, json_type(v[{_ID}]) FROM _stage "
        "WHERE key IS NULL OR key = '' ORDER BY file_no, ordinal LIMIT 1"
    ).fetchone()
    if bad:
        found = "none" if bad[2] is None else f"a {bad[2].lower()}"
        _fail(
            files[bad[0]], bad[1], "id", f"every record needs a string 'id', this one has {found}"
        )
    for file_no, ordinal, key in con.execute(
        f"SELECT file_no, ordinal, key FROM _stage WHERE v[{_ID}] IS NULL ORDER BY file_no, ordinal"
    ).fetchall():
        report.warnings.append(
            f"{files[file_no].path.name} record {ordinal} has no 'id'; keyed by "
            f"{FALLBACK_KEYS[collection]} '{key}'"
        )
    if not columns:
        return
    flags = ", ".join(
        _bad_value(index, column) for index, column in enumerate(columns, start=_FIRST_COLUMN)
    )
    rows = con.execute(
        f"SELECT file_no, ordinal, v, flags FROM (SELECT file_no, ordinal, v, [{flags}] AS flags "
        "FROM _stage) WHERE list_bool_or(flags) ORDER BY file_no, ordinal"
    ).fetchall()
    for file_no, ordinal, values, flagged in rows:
        for column, value, is_bad in zip(
            columns, values[_FIRST_COLUMN - 1 :], flagged, strict=True
        ):
            if is_bad:
                _refuse_or_warn(files[file_no], ordinal, column, value, report)


def _refuse_or_warn(
    file: SnapshotFile, ordinal: int, column: Column, value: str, report: IngestReport
) -> None:
    parsed = orjson.loads(value)
    if isinstance(parsed, str) and _PLACEHOLDER.match(parsed):
        report.warnings.append(
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
    line, column = locate_record(file, ordinal, field_name)
    raise SnapshotError(
        f"record {ordinal} of {file.collection.value}: {message}",
        path=file.path,
        line=line,
        column=column,
        field=field_name,
    )


def _column_expression(index: int, column: Column) -> str:
    value = f"v[{index}]"
    match column.kind:
        case ColumnKind.string:
            return f"json_extract_string({value}, '$')"
        case ColumnKind.boolean | ColumnKind.integer:
            return f"TRY_CAST({value} AS {column.kind.value})"
        case ColumnKind.timestamp:
            return f"TRY_CAST(json_extract_string({value}, '$') AS TIMESTAMPTZ)"
        case _:
            return f"CASE WHEN json_type({value}) IN ('OBJECT', 'ARRAY') THEN {value} END"


def _merge(
    con: duckdb.DuckDBPyConnection,
    collection: Collection,
    columns: list[Column],
    paths: list[str],
) -> int:
    """Merge staged records into the table by id; return how many rows were added or changed.

    Records of one id merge property by property, the later (file order, then position)
    winning; a row is rewritten only when its merged JSON differs from the stored one.
    """
    table = f'"{collection.value}"'
    duplicates = con.execute("SELECT count(*) - count(DISTINCT key) FROM _stage").fetchone()[0]
    source = "_stage"
    if duplicates:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _incoming AS
            SELECT key, raw, v FROM _stage
            WHERE key IN (SELECT key FROM _stage GROUP BY key HAVING count(*) = 1)
            UNION ALL
            SELECT key, folded, json_extract(folded, $paths) FROM (
                SELECT key, coalesce(to_json(list_reduce(
                           list(TRY_CAST(raw AS MAP(VARCHAR, JSON)) ORDER BY file_no, ordinal),
                           lambda a, b: map_concat(a, b))),
                       arg_max(raw, (file_no, ordinal))) AS folded
                FROM _stage GROUP BY key HAVING count(*) > 1)
            """,
            {"paths": paths},
        )
        source = "_incoming"
    existing = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if existing:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _merged AS
            SELECT key, raw, CASE WHEN old IS NULL OR raw = incoming THEN v
                                  ELSE json_extract(raw, $paths) END AS v, old
            FROM (
                SELECT i.key, i.v, i.raw AS incoming, t.raw AS old,
                       CASE WHEN t.raw IS NULL THEN i.raw ELSE coalesce(to_json(map_concat(
                           TRY_CAST(t.raw AS MAP(VARCHAR, JSON)),
                           TRY_CAST(i.raw AS MAP(VARCHAR, JSON)))), i.raw) END AS raw
                FROM {source} i LEFT JOIN {table} t ON t.id = i.key
                WHERE t.raw IS NULL OR t.raw <> i.raw
            ) WHERE old IS DISTINCT FROM raw
            """,
            {"paths": paths},
        )
        con.execute(f"DELETE FROM {table} WHERE id IN (SELECT key FROM _merged)")
        source = "_merged"
    changed = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    expressions = ", ".join(
        _column_expression(index, column)
        for index, column in enumerate(columns, start=_FIRST_COLUMN)
    )
    names = ", ".join(f'"{c.name}"' for c in columns)
    con.execute(
        f"INSERT INTO {table} (id, {names}, raw) SELECT key, {expressions}, raw FROM {source}"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE _changed_ids AS SELECT key AS id FROM {source}")
    return changed


def _rebuild_group_links(con: duckdb.DuckDBPyConnection) -> None:
    """Refresh group_members and group_owners from the groups' expanded members/owners."""
    for table, prop, id_col, type_col, name_col in (
        ("group_members", "members", "member_id", "member_type", "member_display_name"),
        ("group_owners", "owners", "owner_id", "owner_type", "owner_display_name"),
    ):
        con.execute(f"DELETE FROM {table} WHERE group_id IN (SELECT id FROM _changed_ids)")
        con.execute(
            f"""
            INSERT INTO {table} (group_id, {id_col}, {type_col}, {name_col})
            SELECT g.id, json_extract_string(m, '$.id'),
                   replace(json_extract_string(m, '$."@odata.type"'), '#microsoft.graph.', ''),
                   json_extract_string(m, '$.displayName')
            FROM groups g, unnest(CAST(g.{prop} AS JSON[])) AS u(m)
            WHERE g.id IN (SELECT id FROM _changed_ids)
              AND json_extract_string(m, '$.id') IS NOT NULL
            """
        )
