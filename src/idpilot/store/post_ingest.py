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
    "directoryAudits": rebuild_audit_objects,
    "groups": rebuild_group_parents,
}


def after_collection(con: duckdb.DuckDBPyConnection, collection: str) -> None:
    """Rebuild what depends on `collection` (inside the ingest's transaction)."""
    rebuild = _REBUILDERS.get(collection)
    if rebuild is not None:
        rebuild(con)
