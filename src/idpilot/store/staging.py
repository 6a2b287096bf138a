"""The `_stage` temp table an ingest reads each snapshot file's records into, and its queries.

Each JSON document is parsed once: the record id and every typed column's value are extracted
together (`json_extract` with a list of paths) into `v`, which the checks and the merge use.
"""

from __future__ import annotations

from typing import Any

import duckdb

from idpilot.store.columns import Column, ColumnKind

STAGE_TABLE = (
    "CREATE OR REPLACE TEMP TABLE _stage "
    "(file_no INTEGER, parent BIGINT, item_no BIGINT, raw JSON, v JSON[], key VARCHAR, "
    "suspicious BOOLEAN, is_page BOOLEAN, note VARCHAR, context VARCHAR)"
)
INGEST_TEMP_TABLES = ("_stage", "_incoming", "_merged", "_changed_ids", "_deleted_ids")

# Positions in the per-record list `v` of extracted JSON values (DuckDB lists are 1-based).
ID, FALLBACK, VALUE = 1, 2, 3
FIRST_COLUMN = 4
# Records of one element of an array of pages are numbered below this (Graph pages hold at most
# 999; a file's array may hold millions of elements, still far within BIGINT).
ITEMS_PER_ELEMENT = 1_000_000

KEY = f"""CASE WHEN json_type(v[{ID}]) = 'VARCHAR' THEN json_extract_string(v[{ID}], '$')
    WHEN v[{ID}] IS NULL AND json_type(v[{FALLBACK}]) = 'VARCHAR'
    THEN json_extract_string(v[{FALLBACK}], '$') END"""

# File order of a staged record: its document's row (a page's elements stand where the page
# stood), then its place in the page.
POSITION = "[coalesce(parent, rowid), item_no]"

_PROPERTIES = "json_type(json, '$.properties') = 'OBJECT'"
_ENVELOPE_DOCUMENT = f"""CASE WHEN NOT {_PROPERTIES} THEN json
    WHEN json_exists(json, '$.properties.signInEventTypes') OR $defaults = '{{}}'
    THEN json -> '$.properties'
    ELSE json_merge_patch($defaults, json -> '$.properties') END"""
_ENVELOPE_NOTE = f"CASE WHEN {_PROPERTIES} THEN coalesce(json ->> '$.category', '') ELSE NULL END"


def create_stage(con: duckdb.DuckDBPyConnection) -> None:
    """An empty `_stage` table (replacing the previous collection's)."""
    con.execute(STAGE_TABLE)


def stage_documents(
    con: duckdb.DuckDBPyConnection,
    path: str | list[str],
    *,
    json_lines: bool,
    largest: int,
    paths: list[str],
    file_no: int,
    lenient: str,
    envelope: str | None = None,
) -> int:
    """Read a file's JSON documents into _stage; return how many are pages to expand.

    With `envelope` (a JSON object of defaults, possibly `{}`), each document is a
    diagnostic-settings export record and its `properties` object is staged as the record,
    with the defaults added where the record lacks them (a sign-in's `signInEventTypes`).

    A list of paths is read in one pass (export blobs: thousands of small hourly files), the
    i-th numbered `file_no + i`.

    `largest` (an int) is DuckDB's maximum_object_size, and the format one of two fixed words:
    neither can be bound, both are pasted in.
    """
    fmt = "newline_delimited" if json_lines else "unstructured"
    params: dict[str, Any] = {"path": path, "paths": paths, "file_no": file_no, "lenient": lenient}
    document, note = "json", "NULL"
    number, filename = "$file_no", ""
    if isinstance(path, list):
        number, filename = "$file_no + list_position($path, filename) - 1", ", filename = true"
    if envelope is not None:
        # A diagnostic-settings export record: the Graph object is its `properties`; `note` keeps
        # the record's category (checked by `first_off_category`) or says `properties` is missing.
        document, note = _ENVELOPE_DOCUMENT, _ENVELOPE_NOTE
        params["defaults"] = envelope
    con.execute(
        f"""
        INSERT INTO _stage (file_no, parent, item_no, raw, v, key, suspicious, is_page, note)
        -- MATERIALIZED: `v` is used several times below, and must be extracted only once.
        WITH docs AS MATERIALIZED (
            SELECT doc, note, number, CASE WHEN NOT starts_with(ltrim(doc), '[')
                                   THEN json_extract(doc, $paths) END AS v
            FROM (SELECT {document} AS doc, {note} AS note, {number} AS number
                  FROM read_json_objects($path, format = '{fmt}', compression = 'auto',
                                         maximum_object_size = {int(largest)}{filename}))
        )
        SELECT number, NULL, 0, doc, v, {KEY}, regexp_matches(doc, $lenient),
               CASE WHEN v IS NULL THEN true  -- an array of records
                    WHEN v[{ID}] IS NOT NULL OR json_type(v[{VALUE}]) <> 'ARRAY' THEN false
                    -- CASE, unlike AND, reads the whole document's keys only for candidates
                    ELSE len(list_filter(json_keys(doc),
                             lambda k: k <> 'value' AND NOT starts_with(k, '@'))) = 0 END,
               note
        FROM docs
        """,
        params,
    )
    last = file_no + (len(path) - 1 if isinstance(path, list) else 0)
    return con.execute(
        "SELECT count(*) FROM _stage WHERE is_page AND file_no BETWEEN ? AND ?", [file_no, last]
    ).fetchone()[0]


def expand_pages(con: duckdb.DuckDBPyConnection, paths: list[str], file_no: int) -> None:
    """Replace the file's staged pages (list responses, arrays) by the records they hold.

    Elements of an array may themselves be list responses (an array of pages): their records
    are numbered within the element, after the element's own number.
    """
    con.execute(
        f"""
        INSERT INTO _stage (file_no, parent, item_no, raw, v, key, suspicious, is_page, context)
        WITH outer_items AS (
            SELECT file_no, rowid AS parent, suspicious, context,
                   generate_subscripts(items, 1) AS i, unnest(items) AS raw
            FROM (SELECT rowid, file_no, suspicious, raw ->> '$."@odata.context"' AS context,
                         CAST(CASE WHEN starts_with(ltrim(raw), '[') THEN raw
                              ELSE v[{VALUE}] END AS JSON[]) AS items
                  FROM _stage WHERE is_page AND file_no = $file_no)
        ),
        typed AS (
            SELECT *, CASE
                WHEN json_type(raw, '$.value') IS DISTINCT FROM 'ARRAY'
                     OR json_type(raw, '$.id') IS NOT NULL THEN false
                ELSE len(list_filter(json_keys(raw),
                         lambda k: k <> 'value' AND NOT starts_with(k, '@'))) = 0
                END AS nested_page
            FROM outer_items
        ),
        records AS (
            SELECT file_no, parent, i * {ITEMS_PER_ELEMENT} AS item_no, raw, suspicious, context
            FROM typed WHERE NOT nested_page
            UNION ALL
            SELECT file_no, parent, i * {ITEMS_PER_ELEMENT} + j, raw, suspicious, context
            FROM (SELECT file_no, parent, i, suspicious, generate_subscripts(sub, 1) AS j,
                         unnest(sub) AS raw, coalesce(page_context, context) AS context
                  FROM (SELECT *, CAST(raw -> '$.value' AS JSON[]) AS sub,
                               raw ->> '$."@odata.context"' AS page_context
                        FROM typed WHERE nested_page))
        )
        SELECT file_no, parent, item_no, raw, v, {KEY}, suspicious, false, context
        FROM (SELECT *, json_extract(raw, $paths) AS v FROM records)
        """,
        {"paths": paths, "file_no": file_no},
    )
    con.execute("DELETE FROM _stage WHERE is_page AND file_no = ?", [file_no])


def first_off_category(
    con: duckdb.DuckDBPyConnection, first: int, last: int, category: str
) -> tuple[Any, ...] | None:
    """(file_no, position, category or None) of the first staged export record of files
    `first`..`last` that is not of `category` (without case) or has no `properties` (None)."""
    return con.execute(
        f"SELECT file_no, {POSITION} AS position, note FROM _stage "
        "WHERE file_no BETWEEN ? AND ? AND (note IS NULL OR lower(note) <> lower(?)) "
        "ORDER BY file_no, position LIMIT 1",
        [first, last, category],
    ).fetchone()


def staged_counts(con: duckdb.DuckDBPyConnection, first: int, last: int) -> dict[int, int]:
    """How many records each of files `first`..`last` staged (files with none are absent)."""
    rows = con.execute(
        "SELECT file_no, count(*) FROM _stage WHERE file_no BETWEEN ? AND ? GROUP BY file_no",
        [first, last],
    ).fetchall()
    return dict(rows)


def link_parents(
    con: duckdb.DuckDBPyConnection, links: tuple[tuple[str, str], ...], paths: list[str]
) -> None:
    """Give each staged record its parents' ids (`workflowId`, `runId`...) read from its list
    response's `@odata.context` (`...workflows('<id>')/runs('<id>')/userProcessingResults`),
    unless the record already names them: Graph's records listed under a parent do not.

    `links` pairs a property with the entity set whose key in the context is its value.
    """
    for prop, entity_set in links:
        pattern = entity_set + r"\('([^']+)'\)"
        con.execute(
            """
            UPDATE _stage SET raw = json_merge_patch(raw, json_object(
                $prop, regexp_extract(context, $pattern, 1)))
            WHERE context IS NOT NULL AND regexp_matches(context, $pattern)
              AND json_type(raw) = 'OBJECT' AND (raw -> ('$.' || $prop)) IS NULL
            """,
            {"prop": prop, "pattern": pattern},
        )
    con.execute(
        "UPDATE _stage SET v = json_extract(raw, CAST(? AS VARCHAR[])) WHERE context IS NOT NULL",
        [paths],
    )
    con.execute(f"UPDATE _stage SET key = {KEY} WHERE context IS NOT NULL")


def without_parent(con: duckdb.DuckDBPyConnection, prop: str) -> int:
    """How many staged records name no parent in `prop` (not in the record, nor in the
    `@odata.context` of the list they came in)."""
    return con.execute(
        "SELECT count(*) FROM _stage WHERE json_type(raw) = 'OBJECT' "
        "AND json_type(raw -> ('$.' || ?)) IS DISTINCT FROM 'VARCHAR'",
        [prop],
    ).fetchone()[0]


def key_by_parent(con: duckdb.DuckDBPyConnection, parent: str, number: str, segment: str) -> None:
    """Key the staged records without an `id` `{parent}/{segment}/{number}` (a workflow's
    version has none: Graph addresses it `/workflows/{workflowId}/versions/{versionNumber}`)."""
    con.execute(
        f"""
        UPDATE _stage SET key = (raw ->> ('$.' || $parent)) || '/' || $segment || '/'
                                || (raw ->> ('$.' || $number))
        WHERE v[{ID}] IS NULL AND json_type(raw) = 'OBJECT'
          AND json_type(raw -> ('$.' || $parent)) = 'VARCHAR'
          AND json_type(raw -> ('$.' || $number)) IN ('BIGINT', 'UBIGINT')
        """,
        {"parent": parent, "number": number, "segment": segment},
    )


def key_singletons(con: duckdb.DuckDBPyConnection, key: str) -> None:
    """Key the staged records without an `id` by `key` (a setting Graph returns as one object,
    such as `adminConsentRequestPolicy`, may carry no id)."""
    con.execute(f"UPDATE _stage SET key = ? WHERE v[{ID}] IS NULL", [key])


def suspicious_files(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Numbers of the files with a document the lenient-JSON pattern matched."""
    rows = con.execute("SELECT DISTINCT file_no FROM _stage WHERE suspicious").fetchall()
    return [row[0] for row in rows]


def ordinal_of(con: duckdb.DuckDBPyConnection, file_no: int, position: list[int]) -> int:
    """The 1-based number of a record in its file, as an admin would count them."""
    return con.execute(
        "SELECT count(*) FROM _stage WHERE file_no = ? AND (coalesce(parent, rowid) < ? "
        "OR coalesce(parent, rowid) = ? AND item_no <= ?)",
        [file_no, position[0], position[0], position[1]],
    ).fetchone()[0]


def staged_count(con: duckdb.DuckDBPyConnection, file_no: int | None = None) -> int:
    """How many records are staged (of one file, when given)."""
    if file_no is None:
        return con.execute("SELECT count(*) FROM _stage").fetchone()[0]
    return con.execute("SELECT count(*) FROM _stage WHERE file_no = ?", [file_no]).fetchone()[0]


def drop_ingest_temps(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp tables one collection's load made."""
    for temp in INGEST_TEMP_TABLES:  # fixed names
        con.execute(f"DROP TABLE IF EXISTS {temp}")


def first_non_object(con: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """(file_no, position, JSON type) of the first staged record that is not an object."""
    return con.execute(
        f"SELECT file_no, {POSITION} AS position, json_type(raw) FROM _stage "
        "WHERE NOT starts_with(ltrim(raw), '{') ORDER BY file_no, position LIMIT 1"
    ).fetchone()


def first_without_key(con: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """(file_no, position, JSON type of its id) of the first staged record with no key."""
    return con.execute(
        f"SELECT file_no, {POSITION} AS position, json_type(v[{ID}]) FROM _stage "
        "WHERE key IS NULL OR key = '' ORDER BY file_no, position LIMIT 1"
    ).fetchone()


def keyed_by_fallback(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """(file_no, position, key) of every staged record without an id, keyed by its fallback."""
    return con.execute(
        f"SELECT file_no, {POSITION} AS position, key FROM _stage WHERE v[{ID}] IS NULL "
        "ORDER BY file_no, position"
    ).fetchall()


def mistyped_records(
    con: duckdb.DuckDBPyConnection, columns: list[Column]
) -> list[tuple[Any, ...]]:
    """(file_no, position, v, flags) of the staged records with a value of the wrong type for
    one of `columns` (v[FIRST_COLUMN] onwards); flags says which, column by column."""
    flags = ", ".join(
        _mistyped(index, column) for index, column in enumerate(columns, start=FIRST_COLUMN)
    )
    return con.execute(
        f"SELECT file_no, position, v, flags FROM (SELECT file_no, {POSITION} AS position, v, "
        f"[{flags}] AS flags "
        "FROM _stage) WHERE list_bool_or(flags) ORDER BY file_no, position"
    ).fetchall()


def _mistyped(index: int, column: Column) -> str:
    """SQL true when the record's value for `column` (at v[index]) has the wrong type.

    Built from the column's declared kind (never from input).
    """
    value = f"v[{index}]"
    accepted = ", ".join(f"'{t}'" for t in (*column.accepted_json_types, "NULL"))
    condition = f"({value} IS NOT NULL AND json_type({value}) NOT IN ({accepted}))"
    if column.kind is ColumnKind.timestamp:
        condition += (
            f" OR (json_type({value}) = 'VARCHAR' AND "
            f"TRY_CAST(json_extract_string({value}, '$') AS TIMESTAMPTZ) IS NULL)"
        )
    return condition
