"""Tenant settings as stored: which collections a snapshot brought, and their records."""

from __future__ import annotations

from typing import Any

import orjson

from idpilot.model.collections import Collection
from idpilot.store.database import Store
from idpilot.store.ingests import UNAVAILABLE_PREFIX


def collections_present(store: Store, collections: list[Collection]) -> set[Collection]:
    """Which of `collections` the snapshot brought: a file of it was ingested (even empty), or
    its table holds records (a store ingested before the list was kept). A store opened
    read-only before migration 007 has neither table: nothing is present."""
    tables = {
        row[0]
        for row in store.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    }
    seen: set[str] = set()
    if "snapshot_collections" in tables:
        rows = store.con.execute("SELECT name FROM snapshot_collections").fetchall()
        seen = {row[0] for row in rows}
    return {
        collection
        for collection in collections
        if collection.value in tables and (collection.value in seen or _has_rows(store, collection))
    }


def unavailable_collections(store: Store) -> dict[str, str]:
    """Collections the snapshot's sync could not read (a 403, a missing licence), with why."""
    rows = store.con.execute(
        "SELECT key, value FROM snapshot_info WHERE starts_with(key, ?) ORDER BY key",
        [UNAVAILABLE_PREFIX],
    ).fetchall()
    return {key.removeprefix(UNAVAILABLE_PREFIX): value for key, value in rows}


def _has_rows(store: Store, collection: Collection) -> bool:
    table = f'"{collection.value}"'  # a Collection value, never input
    return store.con.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]


def collection_objects(store: Store, collection: Collection) -> list[dict[str, Any]]:
    """Every stored record of a collection as published (`raw`), in id order."""
    table = f'"{collection.value}"'  # a Collection value, never input
    rows = store.con.execute(f"SELECT id, raw FROM {table} ORDER BY id").fetchall()
    objects = []
    for record_id, raw in rows:
        obj = orjson.loads(raw)
        obj.setdefault("id", record_id)  # singletons and partners are keyed without one
        objects.append(obj)
    return objects
