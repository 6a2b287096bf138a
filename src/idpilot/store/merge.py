"""Merging staged records into a collection's table by id, and refreshing derived tables."""

from __future__ import annotations

import duckdb

from idpilot.model.collections import Collection
from idpilot.store.columns import Column, ColumnKind
from idpilot.store.staging import FIRST_COLUMN, POSITION


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


def merge_staged(
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
                           list(TRY_CAST(raw AS MAP(VARCHAR, JSON)) ORDER BY file_no, {POSITION}),
                           lambda a, b: map_concat(a, b))),
                       arg_max(raw, (file_no, {POSITION}))) AS folded
                FROM _stage GROUP BY key HAVING count(*) > 1)
            """,
            {"paths": paths},
        )
        source = "_incoming"
    if _any_held(con, table, source):
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
        for index, column in enumerate(columns, start=FIRST_COLUMN)
    )
    names = ", ".join(f'"{c.name}"' for c in columns)
    con.execute(
        f"INSERT INTO {table} (id, {names}, raw) SELECT key, {expressions}, raw FROM {source}"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE _changed_ids AS SELECT key AS id FROM {source}")
    return changed


def _any_held(con: duckdb.DuckDBPyConnection, table: str, source: str) -> bool:
    """True when a staged key is already a row of the table. Only the table's ids are read:
    new events (most of a log's files) are inserted without reading its stored JSON, so an
    ingest merging a log file by file stays linear in its size."""
    query = f"SELECT EXISTS (SELECT 1 FROM {table} WHERE id IN (SELECT key FROM {source}))"
    return con.execute(query).fetchone()[0]


def rebuild_group_links(con: duckdb.DuckDBPyConnection) -> None:
    """Refresh group_members and group_owners from the groups' expanded members/owners.

    The links are unnested in the select list of a query reading only the id and the list: a
    lateral join would carry the whole group row (its `raw` JSON) into every member's row,
    which costs memory in the square of a group's size (10,000 members took 8 GB).
    """
    for table, prop, id_col, type_col, name_col in (
        ("group_members", "members", "member_id", "member_type", "member_display_name"),
        ("group_owners", "owners", "owner_id", "owner_type", "owner_display_name"),
    ):
        con.execute(f"DELETE FROM {table} WHERE group_id IN (SELECT id FROM _changed_ids)")
        con.execute(
            f"""
            INSERT INTO {table} (group_id, {id_col}, {type_col}, {name_col})
            SELECT group_id, json_extract_string(m, '$.id'),
                   replace(json_extract_string(m, '$."@odata.type"'), '#microsoft.graph.', ''),
                   json_extract_string(m, '$.displayName')
            FROM (
                SELECT id AS group_id, unnest(CAST({prop} AS JSON[])) AS m
                FROM groups WHERE id IN (SELECT id FROM _changed_ids)
            )
            WHERE json_extract_string(m, '$.id') IS NOT NULL
            """
        )


def table_count(con: duckdb.DuckDBPyConnection, collection: Collection) -> int:
    """How many records the collection's table holds."""
    return con.execute(f'SELECT count(*) FROM "{collection.value}"').fetchone()[0]
