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
from idpilot.store.post_ingest import after_collection

MAX_OBJECT_BYTES = (1 << 31) - 1
# DuckDB sizes its read buffers by maximum_object_size, so asking for 2 GiB on every file costs
# a third of the load time: JSON Lines records get this much, documents the size of the file.
LINE_OBJECT_BYTES = 32 << 20
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
    report = IngestReport(source=folder, files=len(files), skipped_files=unknown)
    by_collection: dict[Collection, list[SnapshotFile]] = defaultdict(list)
    for file in files:
        by_collection[file.collection].append(file)
    started = datetime.now(UTC)
    with store.transaction() as con:
        for collection, collection_files in by_collection.items():
            if on_stage:
                on_stage(collection.value)
            read, changed = _load_collection(con, collection, collection_files, report, on_bytes)
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


# What DuckDB's JSON reader accepts beyond the JSON standard (trailing commas, NaN, Infinity).
_LENIENT = r",\s*[\]}]|[\[:,]\s*[-+]?(NaN|Infinity|nan|inf)\b"
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
    on_bytes: ProgressCallback | None = None,
) -> tuple[int, int]:
    columns = [c for c in collection_columns(con, collection) if c.name != "id"]
    paths = _paths(columns, FALLBACK_KEYS.get(collection, "id"))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _stage "
        "(file_no INTEGER, parent BIGINT, item_no INTEGER, raw JSON, v JSON[], key VARCHAR, "
        "suspicious BOOLEAN, is_page BOOLEAN)"
    )
    for file_no, file in enumerate(files):
        try:
            _stage_file(con, file, file_no, paths)
        except duckdb.InvalidInputException as error:
            check_syntax(file)  # raises the precise error: file, line, column
            raise SnapshotError(f"unreadable JSON: {error}", path=file.path) from None
        if on_bytes:
            on_bytes(file.size)
    _check_strictness(con, files)
    _check_records(con, collection, files, columns, report)
    read = con.execute("SELECT count(*) FROM _stage").fetchone()[0]
    changed = _merge(con, collection, columns, paths)
    if collection is Collection.groups and changed:
        _rebuild_group_links(con)
    if changed:
        after_collection(con, collection.value)
    for temp in ("_stage", "_incoming", "_merged", "_changed_ids"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    return read, changed


_KEY = f"""CASE WHEN json_type(v[{_ID}]) = 'VARCHAR' THEN json_extract_string(v[{_ID}], '$')
    WHEN v[{_ID}] IS NULL AND json_type(v[{_FALLBACK}]) = 'VARCHAR'
    THEN json_extract_string(v[{_FALLBACK}], '$') END"""
# File order of a staged record: its document's row (a page's elements stand where the page
# stood), then its place in the page.
_POSITION = "[coalesce(parent, rowid), item_no]"


def _stage_file(
    con: duckdb.DuckDBPyConnection, file: SnapshotFile, file_no: int, paths: list[str]
) -> None:
    """Read a file's records into _stage in file order, each JSON document parsed once.

    A document is a record, a JSON array of records, or a Graph list response (a `value` array
    with only `@` annotations beside it), whose elements are the records. `suspicious` marks
    documents that may hold what DuckDB's lenient reader accepts and strict JSON does not.
    """
    lines = file.format is FileFormat.json_lines
    fmt = "newline_delimited" if lines else "unstructured"
    if lines:
        largest = LINE_OBJECT_BYTES
    else:  # a compressed file's documents can be far larger than the file
        largest = MAX_OBJECT_BYTES if file.compressed else min(MAX_OBJECT_BYTES, file.size + 1)
    con.execute(
        f"""
        INSERT INTO _stage (file_no, parent, item_no, raw, v, key, suspicious, is_page)
        -- MATERIALIZED: `v` is used several times below, and must be extracted only once.
        WITH docs AS MATERIALIZED (
            SELECT json AS doc, CASE WHEN NOT starts_with(ltrim(json), '[')
                                     THEN json_extract(json, $paths) END AS v
            FROM read_json_objects($path, format = '{fmt}', compression = 'auto',
                                   maximum_object_size = {largest})
        )
        SELECT $file_no, NULL, 0, doc, v, {_KEY}, regexp_matches(doc, $lenient),
               CASE WHEN v IS NULL THEN true  -- an array of records
                    WHEN v[{_ID}] IS NOT NULL OR json_type(v[{_VALUE}]) <> 'ARRAY' THEN false
                    -- CASE, unlike AND, reads the whole document's keys only for candidates
                    ELSE len(list_filter(json_keys(doc),
                             lambda k: k <> 'value' AND NOT starts_with(k, '@'))) = 0 END
        FROM docs
        """,
        {"path": str(file.path), "paths": paths, "file_no": file_no, "lenient": _LENIENT},
    )
    pages = con.execute(
        "SELECT count(*) FROM _stage WHERE is_page AND file_no = ?", [file_no]
    ).fetchone()[0]
    if not pages:
        return
    con.execute(
        f"""
        INSERT INTO _stage (file_no, parent, item_no, raw, v, key, suspicious, is_page)
        SELECT file_no, parent, item_no, raw, v, {_KEY}, suspicious, false
        FROM (SELECT file_no, parent, item_no, raw, json_extract(raw, $paths) AS v, suspicious
              FROM (SELECT file_no, rowid AS parent, suspicious,
                           generate_subscripts(items, 1) AS item_no, unnest(items) AS raw
                    FROM (SELECT rowid, file_no, suspicious,
                                 CAST(CASE WHEN starts_with(ltrim(raw), '[') THEN raw
                                      ELSE v[{_VALUE}] END AS JSON[]) AS items
                          FROM _stage WHERE is_page AND file_no = $file_no)))
        """,
        {"paths": paths, "file_no": file_no},
    )
    con.execute("DELETE FROM _stage WHERE is_page AND file_no = ?", [file_no])


def _check_strictness(con: duckdb.DuckDBPyConnection, files: list[SnapshotFile]) -> None:
    """Refuse what DuckDB's reader tolerates but JSON forbids (trailing commas, NaN).

    The regular expression can also match inside a string ("a,]"), so each flagged file is
    checked with the strict parser, which has the final word and the exact position.
    """
    flagged = con.execute("SELECT DISTINCT file_no FROM _stage WHERE suspicious").fetchall()
    for (file_no,) in flagged:
        check_syntax(files[file_no])


def _ordinal(con: duckdb.DuckDBPyConnection, file_no: int, position: list[int]) -> int:
    """The 1-based number of a record in its file, as an admin would count them."""
    return con.execute(
        "SELECT count(*) FROM _stage WHERE file_no = ? AND (coalesce(parent, rowid) < ? "
        "OR coalesce(parent, rowid) = ? AND item_no <= ?)",
        [file_no, position[0], position[0], position[1]],
    ).fetchone()[0]


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
        f"SELECT file_no, {_POSITION} AS position, json_type(raw) FROM _stage "
        "WHERE NOT starts_with(ltrim(raw), '{') ORDER BY file_no, position LIMIT 1"
    ).fetchone()
    if bad:
        ordinal = _ordinal(con, bad[0], bad[1])
        _fail(files[bad[0]], ordinal, None, f"expected a Graph object, got {bad[2].lower()}")
    bad = con.execute(
        f"SELECT file_no, {_POSITION} AS position, json_type(v[{_ID}]) FROM _stage "
        "WHERE key IS NULL OR key = '' ORDER BY file_no, position LIMIT 1"
    ).fetchone()
    if bad:
        found = "none" if bad[2] is None else f"a {bad[2].lower()}"
        message = f"every record needs a string 'id', this one has {found}"
        _fail(files[bad[0]], _ordinal(con, bad[0], bad[1]), "id", message)
    for file_no, position, key in con.execute(
        f"SELECT file_no, {_POSITION} AS position, key FROM _stage WHERE v[{_ID}] IS NULL "
        "ORDER BY file_no, position"
    ).fetchall():
        report.warnings.append(
            f"{files[file_no].path.name} record {_ordinal(con, file_no, position)} has no 'id'; "
            "keyed by "
            f"{FALLBACK_KEYS[collection]} '{key}'"
        )
    if not columns:
        return
    flags = ", ".join(
        _bad_value(index, column) for index, column in enumerate(columns, start=_FIRST_COLUMN)
    )
    rows = con.execute(
        f"SELECT file_no, position, v, flags FROM (SELECT file_no, {_POSITION} AS position, v, "
        f"[{flags}] AS flags "
        "FROM _stage) WHERE list_bool_or(flags) ORDER BY file_no, position"
    ).fetchall()
    for file_no, position, values, flagged in rows:
        ordinal = _ordinal(con, file_no, position)
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
            f"""
            CREATE OR REPLACE TEMP TABLE _incoming AS
            SELECT key, raw, v FROM _stage
            WHERE key IN (SELECT key FROM _stage GROUP BY key HAVING count(*) = 1)
            UNION ALL
            SELECT key, folded, json_extract(folded, $paths) FROM (
                SELECT key, coalesce(to_json(list_reduce(
                           list(TRY_CAST(raw AS MAP(VARCHAR, JSON)) ORDER BY file_no, {_POSITION}),
                           lambda a, b: map_concat(a, b))),
                       arg_max(raw, (file_no, {_POSITION}))) AS folded
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
