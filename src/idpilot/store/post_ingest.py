"""Post-ingest hook: refresh the helper tables derived from a collection that just changed."""

from __future__ import annotations

import duckdb

from idpilot.store.audit_index import rebuild_audit_objects


def rebuild_group_parents(con: duckdb.DuckDBPyConnection) -> None:
    """Refill `group_parents` (group-in-group edges) from `group_members`."""
    con.execute("DELETE FROM group_parents")
    con.execute(
        "INSERT INTO group_parents SELECT DISTINCT member_id, group_id FROM group_members "
        "WHERE member_type = 'group'"
    )


_REBUILDERS = {
    "directoryAudits": ("audit_objects", rebuild_audit_objects),
    "groups": ("group_parents", rebuild_group_parents),
}


def after_collection(con: duckdb.DuckDBPyConnection, collection: str) -> None:
    """Rebuild what depends on `collection` (inside the ingest's transaction)."""
    if collection not in _REBUILDERS:
        return
    table, rebuild = _REBUILDERS[collection]
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_name = ?",
        [table],
    ).fetchone()[0]
    if exists:  # a store not yet migrated gets the table (and its backfill) on its next open
        rebuild(con)
