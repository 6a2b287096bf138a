"""The store's versions and the states directory objects held in each (migration 008).

Every ingest is a version: `begin_version` opens it, `record_states` keeps the states of the
objects a collection's load added, changed or deleted, `finish_version` closes it. The
collection tables stay the current version; `states_between` reads what differs between two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from idpilot.model.collections import Collection
from idpilot.store.database import Store

VERSION_TABLES = ("store_versions", "object_versions")
# Collections whose objects others point at by id (an assignment's principal and role).
_NAMED_COLLECTIONS = (
    Collection.users.value,
    Collection.groups.value,
    Collection.service_principals.value,
    Collection.applications.value,
    Collection.role_definitions.value,
)


@dataclass(frozen=True)
class StoreVersion:
    """One version of the store: when, from what, and which collections it listed in full."""

    version: int
    started_at: datetime
    captured_at: datetime | None
    source: str
    kind: str
    collections: tuple[str, ...]

    @property
    def as_of(self) -> datetime:
        """The moment the version shows the tenant at: its snapshot's time, else its ingest's."""
        return self.captured_at or self.started_at


@dataclass(frozen=True)
class StateChange:
    """An object whose state differs between two versions (None: absent from that version)."""

    collection: str
    id: str
    before: str | None
    after: str | None
    before_version: int | None
    after_version: int | None


def has_history(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the store has the version tables (a store opened read-only before 008 has not)."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_name IN ('store_versions', 'object_versions')"
    ).fetchone()[0]
    return found == len(VERSION_TABLES)


def begin_version(
    con: duckdb.DuckDBPyConnection,
    started: datetime,
    source: str,
    captured: str | None,
    kind: str = "ingest",
) -> int:
    """Open the next version (inside the writer's transaction) and return its number."""
    number = con.execute("SELECT coalesce(max(version), 0) + 1 FROM store_versions").fetchone()[0]
    con.execute(
        "INSERT INTO store_versions VALUES (?, ?, NULL, TRY_CAST(? AS TIMESTAMPTZ), ?, ?, [])",
        [number, started, captured, source, kind],
    )
    return number


def finish_version(con: duckdb.DuckDBPyConnection, version: int, collections: list[str]) -> None:
    """Close a version, naming the directory collections it listed in full."""
    con.execute(
        "UPDATE store_versions SET finished_at = now(), collections = ? WHERE version = ?",
        [sorted(collections), version],
    )


def remove_unlisted(con: duckdb.DuckDBPyConnection, collection: Collection) -> int:
    """Delete the objects the staged listing of `collection` no longer holds (deleted in the
    tenant); add them to `_changed_ids` and return how many."""
    table = f'"{collection.value}"'  # a Collection's name, never input
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _deleted_ids AS SELECT id FROM {table} "
        "WHERE id NOT IN (SELECT key FROM _stage WHERE key IS NOT NULL)"
    )
    removed = con.execute("SELECT count(*) FROM _deleted_ids").fetchone()[0]
    if removed:
        con.execute(f"DELETE FROM {table} WHERE id IN (SELECT id FROM _deleted_ids)")
        con.execute("INSERT INTO _changed_ids SELECT id FROM _deleted_ids")
    return removed


def record_states(con: duckdb.DuckDBPyConnection, collection: Collection, version: int) -> None:
    """Close the history rows of the objects that changed or went (`_changed_ids`) and add the
    current state of those still present."""
    table = f'"{collection.value}"'
    con.execute(
        "UPDATE object_versions SET until_version = ? WHERE collection = ? "
        "AND until_version IS NULL AND id IN (SELECT id FROM _changed_ids)",
        [version, collection.value],
    )
    con.execute(
        f"INSERT INTO object_versions SELECT ?, id, ?, NULL, raw FROM {table} "
        "WHERE id IN (SELECT id FROM _changed_ids)",
        [collection.value, version],
    )


def list_versions(store: Store) -> list[StoreVersion]:
    """Every version of the store, oldest first (none for a store without history)."""
    if not has_history(store.con):
        return []
    rows = store.con.execute(
        "SELECT version, started_at, captured_at, source, kind, collections "
        "FROM store_versions ORDER BY version"
    ).fetchall()
    return [StoreVersion(r[0], r[1], r[2], r[3], r[4], tuple(r[5] or ())) for r in rows]


def states_between(store: Store, before: int, after: int) -> list[StateChange]:
    """Objects whose state in version `after` differs from their state in `before` (created,
    changed or deleted), each with both states, ordered by collection and id."""
    rows = store.con.execute(
        """
        WITH touched AS (
            SELECT DISTINCT collection, id FROM object_versions
            WHERE (first_version > $before AND first_version <= $after)
               OR (until_version > $before AND until_version <= $after)
        ),
        was AS (
            SELECT o.collection, o.id, o.raw, o.first_version FROM object_versions o
            JOIN touched USING (collection, id)
            WHERE o.first_version <= $before
              AND (o.until_version IS NULL OR o.until_version > $before)
        ),
        now AS (
            SELECT o.collection, o.id, o.raw, o.first_version FROM object_versions o
            JOIN touched USING (collection, id)
            WHERE o.first_version <= $after
              AND (o.until_version IS NULL OR o.until_version > $after)
        )
        SELECT coalesce(n.collection, w.collection), coalesce(n.id, w.id), w.raw, n.raw,
               w.first_version, n.first_version
        FROM was w FULL OUTER JOIN now n ON w.collection = n.collection AND w.id = n.id
        WHERE w.raw IS DISTINCT FROM n.raw
        ORDER BY 1, 2
        """,
        {"before": before, "after": after},
    ).fetchall()
    return [StateChange(*row) for row in rows]


def names_in_history(store: Store, ids: list[str]) -> dict[str, str]:
    """The latest display name (or user principal name) each id had in any version."""
    if not ids:
        return {}
    rows = store.con.execute(
        "SELECT id, arg_max(coalesce(raw ->> '$.displayName', raw ->> '$.userPrincipalName'), "
        "first_version) FROM object_versions WHERE list_contains($ids, id) "
        "AND list_contains($named, collection) GROUP BY id",
        {"ids": ids, "named": list(_NAMED_COLLECTIONS)},
    ).fetchall()
    return {row[0]: row[1] for row in rows if row[1]}


def audited_ids(store: Store, ids: list[str], start: datetime, end: datetime) -> set[str]:
    """The ids among `ids` that an audit event in the store names between `start` and `end`."""
    if not ids:
        return set()
    rows = store.con.execute(
        "SELECT DISTINCT object_id FROM audit_objects WHERE list_contains($ids, object_id) "
        "AND activityDateTime >= $start AND activityDateTime <= $end",
        {"ids": ids, "start": start, "end": end},
    ).fetchall()
    return {row[0] for row in rows}
