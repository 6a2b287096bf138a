"""Staging: each snapshot file's records read by DuckDB into the `_stage` temp table.

Each JSON document is parsed once: the record id and every typed column's value are extracted
together (`json_extract` with a list of paths) into `v`, which the checks and the merge use.
"""

from __future__ import annotations

import duckdb

from idpilot.model.collections import Collection
from idpilot.sources.snapshot_files import FileFormat, SnapshotFile, check_syntax
from idpilot.store.columns import Column

STAGE_TABLE = (
    "CREATE OR REPLACE TEMP TABLE _stage "
    "(file_no INTEGER, parent BIGINT, item_no BIGINT, raw JSON, v JSON[], key VARCHAR, "
    "suspicious BOOLEAN, is_page BOOLEAN)"
)
MAX_OBJECT_BYTES = (1 << 31) - 1  # DuckDB's limit for one JSON document
# DuckDB sizes its read buffers by maximum_object_size, so asking for 2 GiB on every file costs
# a third of the load time: JSON Lines records get this much, documents the size of the file.
LINE_OBJECT_BYTES = 32 << 20

# A record without `id` (published examples made with $select sometimes omit it) is keyed by
# the property Graph guarantees unique in its collection; other collections require `id`.
FALLBACK_KEYS: dict[Collection, str] = {
    Collection.applications: "appId",
    Collection.service_principals: "appId",
    Collection.users: "userPrincipalName",
    Collection.domains: "id",
}

# What DuckDB's JSON reader accepts beyond the JSON standard (trailing commas, NaN, Infinity),
# and runs of 64 nested openings (a nesting bomb the strict parser measures and refuses).
LENIENT = (
    r",\s*[\]}]|[\[:,]\s*[-+]?(NaN|Infinity|nan|inf)\b"
    r'|(?:[\[{]\s*(?:"[^"]*"\s*:\s*)?){64}'
)

# Positions in the per-record list `v` of extracted JSON values (DuckDB lists are 1-based).
ID, FALLBACK, VALUE = 1, 2, 3
FIRST_COLUMN = 4
# Records of one element of an array of pages are numbered below this (Graph pages hold at most
# 999; a file's array may hold millions of elements, still far within BIGINT).
ITEMS_PER_ELEMENT = 1_000_000


def staged_paths(columns: list[Column], fallback_key: str) -> list[str]:
    """The JSON paths extracted once per record: id, fallback key, value, then each column."""
    return ["$.id", f"$.{fallback_key}", "$.value", *(c.path for c in columns)]


KEY = f"""CASE WHEN json_type(v[{ID}]) = 'VARCHAR' THEN json_extract_string(v[{ID}], '$')
    WHEN v[{ID}] IS NULL AND json_type(v[{FALLBACK}]) = 'VARCHAR'
    THEN json_extract_string(v[{FALLBACK}], '$') END"""

# File order of a staged record: its document's row (a page's elements stand where the page
# stood), then its place in the page.
POSITION = "[coalesce(parent, rowid), item_no]"


def stage_file(
    con: duckdb.DuckDBPyConnection, file: SnapshotFile, file_no: int, paths: list[str]
) -> None:
    """Read a file's records into _stage in file order, each JSON document parsed once.

    A document is a record, a JSON array of records or of list responses, or a Graph list
    response (a `value` array with only `@` annotations beside it), whose elements are the
    records. `suspicious` marks
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
        SELECT $file_no, NULL, 0, doc, v, {KEY}, regexp_matches(doc, $lenient),
               CASE WHEN v IS NULL THEN true  -- an array of records
                    WHEN v[{ID}] IS NOT NULL OR json_type(v[{VALUE}]) <> 'ARRAY' THEN false
                    -- CASE, unlike AND, reads the whole document's keys only for candidates
                    ELSE len(list_filter(json_keys(doc),
                             lambda k: k <> 'value' AND NOT starts_with(k, '@'))) = 0 END
        FROM docs
        """,
        {"path": str(file.path), "paths": paths, "file_no": file_no, "lenient": LENIENT},
    )
    pages = con.execute(
        "SELECT count(*) FROM _stage WHERE is_page AND file_no = ?", [file_no]
    ).fetchone()[0]
    if not pages:
        return
    # Elements of an array may themselves be list responses (an array of pages): their
    # records are numbered within the element, after the element's own number.
    con.execute(
        f"""
        INSERT INTO _stage (file_no, parent, item_no, raw, v, key, suspicious, is_page)
        WITH outer_items AS (
            SELECT file_no, rowid AS parent, suspicious,
                   generate_subscripts(items, 1) AS i, unnest(items) AS raw
            FROM (SELECT rowid, file_no, suspicious,
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
            SELECT file_no, parent, i * {ITEMS_PER_ELEMENT} AS item_no, raw, suspicious
            FROM typed WHERE NOT nested_page
            UNION ALL
            SELECT file_no, parent, i * {ITEMS_PER_ELEMENT} + j, raw, suspicious
            FROM (SELECT file_no, parent, i, suspicious, generate_subscripts(sub, 1) AS j,
                         unnest(sub) AS raw
                  FROM (SELECT *, CAST(raw -> '$.value' AS JSON[]) AS sub
                        FROM typed WHERE nested_page))
        )
        SELECT file_no, parent, item_no, raw, v, {KEY}, suspicious, false
        FROM (SELECT *, json_extract(raw, $paths) AS v FROM records)
        """,
        {"paths": paths, "file_no": file_no},
    )
    con.execute("DELETE FROM _stage WHERE is_page AND file_no = ?", [file_no])


def check_strictness(con: duckdb.DuckDBPyConnection, files: list[SnapshotFile]) -> None:
    """Refuse what DuckDB's reader tolerates but JSON forbids (trailing commas, NaN).

    The regular expression can also match inside a string ("a,]"), so each flagged file is
    checked with the strict parser, which has the final word and the exact position.
    """
    flagged = con.execute("SELECT DISTINCT file_no FROM _stage WHERE suspicious").fetchall()
    for (file_no,) in flagged:
        check_syntax(files[file_no])


def ordinal_of(con: duckdb.DuckDBPyConnection, file_no: int, position: list[int]) -> int:
    """The 1-based number of a record in its file, as an admin would count them."""
    return con.execute(
        "SELECT count(*) FROM _stage WHERE file_no = ? AND (coalesce(parent, rowid) < ? "
        "OR coalesce(parent, rowid) = ? AND item_no <= ?)",
        [file_no, position[0], position[0], position[1]],
    ).fetchone()[0]
