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


def rebuild_sign_in_places(con: duckdb.DuckDBPyConnection) -> None:
    """Refill `sign_in_places` (the cities and countries sign-ins were made from)."""
    con.execute("DELETE FROM sign_in_places")
    con.execute(
        "INSERT INTO sign_in_places SELECT DISTINCT json_extract_string(location, '$.city'), "
        "json_extract_string(location, '$.countryOrRegion') FROM signIns "
        "WHERE coalesce(json_extract_string(location, '$.city'), '') <> ''"
    )


def rebuild_folded_user_names(con: duckdb.DuckDBPyConnection) -> None:
    """Refill `folded_user_names` (names without diacritics, for users whose names have them)."""
    con.execute("DELETE FROM folded_user_names")
    con.execute(
        "INSERT INTO folded_user_names SELECT id, fold_name(displayName), "
        "fold_name(coalesce(givenName, split_part(displayName, ' ', 1))) FROM users "
        "WHERE fold_name(displayName) <> lower(displayName) "
        "OR fold_name(coalesce(givenName, '')) <> lower(coalesce(givenName, ''))"
    )


_REBUILDERS = {
    "directoryAudits": ("audit_objects", rebuild_audit_objects),
    "groups": ("group_parents", rebuild_group_parents),
    "signIns": ("sign_in_places", rebuild_sign_in_places),
    "users": ("folded_user_names", rebuild_folded_user_names),
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
