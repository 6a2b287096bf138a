"""What an ingest records about itself: snapshot facts (`snapshot_info`) and the `ingests` log."""

from __future__ import annotations

from datetime import datetime

import duckdb


def record_snapshot_info(
    con: duckdb.DuckDBPyConnection, key: str, value: str, *, replace: bool = True
) -> None:
    """Record a fact about the snapshot (`tenantId`, `capturedDateTime`); without `replace`, a
    value already recorded is kept."""
    if replace:
        con.execute("INSERT OR REPLACE INTO snapshot_info VALUES (?, ?)", [key, value])
    else:
        con.execute("INSERT OR IGNORE INTO snapshot_info VALUES (?, ?)", [key, value])


def record_ingest(
    con: duckdb.DuckDBPyConnection,
    started: datetime,
    source: str,
    files: int,
    records: int,
    changed: int,
) -> None:
    """Log one ingest: when it started and ended, its folder, files, records and changes."""
    con.execute(
        "INSERT INTO ingests VALUES (?, now(), ?, ?, ?, ?)",
        [started, source, files, records, changed],
    )


def record_collection(con: duckdb.DuckDBPyConnection, collection: str, records: int) -> None:
    """Note that the snapshot brought `collection` (even with no record), with its row count.

    A store not yet migrated to 007 has no list to keep; it gets one on its next writable open.
    """
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_name = 'snapshot_collections'"
    ).fetchone()[0]
    if not exists:
        return
    con.execute("INSERT OR REPLACE INTO snapshot_collections VALUES (?, ?)", [collection, records])


UNAVAILABLE_PREFIX = "unavailable:"
"""`snapshot_info` keys naming a collection the snapshot's sync could not read."""


def record_unavailable(con: duckdb.DuckDBPyConnection, collection: str, reason: str) -> None:
    """Note that the sync could not read `collection`, and why (Graph's 403, in a sentence)."""
    record_snapshot_info(con, UNAVAILABLE_PREFIX + collection, reason)


def clear_unavailable(con: duckdb.DuckDBPyConnection, collection: str) -> None:
    """Forget an earlier refusal: this ingest brought the collection."""
    con.execute("DELETE FROM snapshot_info WHERE key = ?", [UNAVAILABLE_PREFIX + collection])
