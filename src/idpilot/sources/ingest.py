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


def _load_collection(
    con: duckdb.DuckDBPyConnection,
    collection: Collection,
    files: list[SnapshotFile],
    report: IngestReport,
) -> tuple[int, int]:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _stage "
        "(file_no INTEGER, ordinal BIGINT, raw JSON, key VARCHAR)"
    )
    for file_no, file in enumerate(files):
        _stage_file(con, file, file_no, FALLBACK_KEYS.get(collection, "id"))
    columns = collection_columns(con, collection)
    _check_records(con, collection, files, columns, report)
    read = con.execute("SELECT count(*) FROM _stage").fetchone()[0]
    changed = _merge(con, collection, columns)
    if collection is Collection.groups and changed:
        _rebuild_group_links(con)
    con.execute("DROP TABLE _stage")
    con.execute("DROP TABLE IF EXISTS _merged")
    return read, changed


def _stage_file(
    con: duckdb.DuckDBPyConnection, file: SnapshotFile, file_no: int, fallback_key: str
) -> None:
    """Read a file's records into _stage, numbering them in file order and keying them."""
    fmt = "newline_delimited" if file.format is FileFormat.json_lines else "unstructured"
    con.execute(
        f"""
        INSERT INTO _stage
        WITH docs AS (
            SELECT row_number() OVER () AS doc_no, json AS doc
            FROM read_json_objects(?, format = '{fmt}', compression = 'auto',
                                   maximum_object_size = {MAX_OBJECT_BYTES})
        ),
        kinds AS (
            SELECT doc_no, doc, CASE
                WHEN json_type(doc) = 'ARRAY' THEN 'array'
                WHEN json_type(doc, '$.value') = 'ARRAY' AND len(list_filter(json_keys(doc),
                     lambda k: k <> 'value' AND NOT starts_with(k, '@'))) = 0 THEN 'page'
                ELSE 'record' END AS kind
            FROM docs
        ),
        records AS (
            SELECT doc_no, 0 AS element_no, doc AS raw FROM kinds WHERE kind = 'record'
            UNION ALL
            SELECT doc_no, generate_subscripts(elements, 1), unnest(elements)
            FROM (SELECT doc_no, CAST(CASE kind WHEN 'array' THEN doc ELSE doc -> '$.value' END
                                      AS JSON[]) AS elements
                  FROM kinds WHERE kind <> 'record')
        )
        SELECT ?, row_number() OVER (ORDER BY doc_no, element_no), raw,
               CASE WHEN json_type(raw, '$.id') = 'VARCHAR' THEN json_extract_string(raw, '$.id')
                    WHEN json_type(raw, '$.id') IS NULL AND json_type(raw, ?) = 'VARCHAR'
                    THEN json_extract_string(raw, ?) END
        FROM records
        """,
        [str(file.path), file_no, f"$.{fallback_key}", f"$.{fallback_key}"],
    )


def _check_records(
    con: duckdb.DuckDBPyConnection,
    collection: Collection,
    files: list[SnapshotFile],
    columns: list[Column],
    report: IngestReport,
) -> None:
    """Refuse the first record that is not an object, lacks an id, or has a mistyped property."""
    bad = con.execute(
        "SELECT file_no, ordinal, json_type(raw) FROM _stage WHERE json_type(raw) <> 'OBJECT' "
        "ORDER BY file_no, ordinal LIMIT 1"
    ).fetchone()
    if bad:
        _fail(files[bad[0]], bad[1], None, f"expected a Graph object, got {bad[2].lower()}")
    bad = con.execute(
        "SELECT file_no, ordinal, json_type(raw, '$.id') FROM _stage "
        "WHERE key IS NULL OR key = '' ORDER BY file_no, ordinal LIMIT 1"
    ).fetchone()
    if bad:
        found = "none" if bad[2] is None else f"a {bad[2].lower()}"
        _fail(
            files[bad[0]], bad[1], "id", f"every record needs a string 'id', this one has {found}"
        )
    keyed = con.execute(
        "SELECT file_no, ordinal, key FROM _stage WHERE json_type(raw, '$.id') IS NULL "
        "ORDER BY file_no, ordinal"
    ).fetchall()
    for file_no, ordinal, key in keyed:
        report.warnings.append(
            f"{files[file_no].path.name} record {ordinal} has no 'id'; keyed by "
            f"{FALLBACK_KEYS[collection]} '{key}'"
        )
    checked = [c for c in columns if c.name != "id"]
    paths = [c.path for c in checked]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _typed AS SELECT file_no, ordinal, "
        "json_extract(raw, ?::VARCHAR[]) AS v FROM _stage",
        [paths],
    )
    for index, column in enumerate(checked, start=1):
        accepted = [*column.accepted_json_types, "NULL"]
        rows = con.execute(
            f"SELECT file_no, ordinal, json_type(v[{index}]), json_extract_string(v[{index}], '$') "
            f"FROM _typed WHERE v[{index}] IS NOT NULL AND (json_type(v[{index}]) <> ALL(?) "
            + (
                f"OR TRY_CAST(json_extract_string(v[{index}], '$') AS TIMESTAMPTZ) IS NULL "
                f"AND json_type(v[{index}]) = 'VARCHAR'"
                if column.kind is ColumnKind.timestamp
                else ""
            )
            + ") ORDER BY file_no, ordinal",
            [accepted],
        ).fetchall()
        for file_no, ordinal, json_type, text in rows:
            if json_type == "VARCHAR" and text is not None and _PLACEHOLDER.match(text):
                report.warnings.append(
                    f"{files[file_no].path.name} record {ordinal}: '{column.name}' holds the "
                    f"documentation placeholder '{text}'; kept as published, read as unknown"
                )
                continue
            shown = f"'{text}'" if json_type == "VARCHAR" else f"a {json_type.lower()}"
            _fail(files[file_no], ordinal, column.name, f"expected {column.expected}, got {shown}")
    con.execute("DROP TABLE _typed")


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


def _merge(con: duckdb.DuckDBPyConnection, collection: Collection, columns: list[Column]) -> int:
    """Merge staged records into the table by id; return how many rows were added or changed."""
    table = f'"{collection.value}"'
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _merged AS
        WITH incoming AS (
            SELECT key AS id, list(json(raw) ORDER BY file_no, ordinal) AS versions
            FROM _stage GROUP BY ALL
        ),
        folded AS (
            SELECT id, CASE WHEN len(list_distinct(versions)) = 1 THEN versions[-1] ELSE coalesce(
                   to_json(list_reduce(list_transform(versions,
                                                      lambda x: TRY_CAST(x AS MAP(VARCHAR, JSON))),
                                       lambda a, b: map_concat(a, b))),
                   versions[-1]) END AS raw
            FROM incoming
        ),
        merged AS (
            SELECT f.id, t.raw AS old, CASE WHEN t.raw IS NULL OR t.raw = f.raw THEN f.raw
                   ELSE coalesce(to_json(map_concat(TRY_CAST(t.raw AS MAP(VARCHAR, JSON)),
                                                    TRY_CAST(f.raw AS MAP(VARCHAR, JSON)))),
                                 f.raw) END AS raw
            FROM folded f LEFT JOIN {table} t ON t.id = f.id
        )
        SELECT id, raw FROM merged WHERE old IS DISTINCT FROM raw
        """
    )
    changed = con.execute("SELECT count(*) FROM _merged").fetchone()[0]
    if not changed:
        return 0
    con.execute(f"DELETE FROM {table} WHERE id IN (SELECT id FROM _merged)")
    paths = [c.path for c in columns if c.name != "id"]
    expressions = ", ".join(
        _column_expression(i, c) for i, c in enumerate((c for c in columns if c.name != "id"), 1)
    )
    names = ", ".join(f'"{c.name}"' for c in columns)
    con.execute(
        f"INSERT INTO {table} ({names}, raw) SELECT id, {expressions}, raw FROM "
        "(SELECT id, raw, json_extract(raw, ?::VARCHAR[]) AS v FROM _merged)",
        [paths],
    )
    return changed


def _rebuild_group_links(con: duckdb.DuckDBPyConnection) -> None:
    """Refresh group_members and group_owners from the groups' expanded members/owners."""
    for table, prop, id_col, type_col, name_col in (
        ("group_members", "members", "member_id", "member_type", "member_display_name"),
        ("group_owners", "owners", "owner_id", "owner_type", "owner_display_name"),
    ):
        con.execute(f"DELETE FROM {table} WHERE group_id IN (SELECT id FROM _merged)")
        con.execute(
            f"""
            INSERT INTO {table} (group_id, {id_col}, {type_col}, {name_col})
            SELECT g.id, json_extract_string(m, '$.id'),
                   replace(json_extract_string(m, '$."@odata.type"'), '#microsoft.graph.', ''),
                   json_extract_string(m, '$.displayName')
            FROM groups g, unnest(CAST(g.{prop} AS JSON[])) AS u(m)
            WHERE g.id IN (SELECT id FROM _merged) AND json_extract_string(m, '$.id') IS NOT NULL
            """
        )
