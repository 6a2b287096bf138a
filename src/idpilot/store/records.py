"""Typed records read back from the store: the `raw` Graph object validated into its model."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from idpilot.model import GraphRecord, parse_record
from idpilot.model.collections import Collection
from idpilot.store.database import Store


def get_record(store: Store, collection: Collection, record_id: str) -> GraphRecord | None:
    """The record of `collection` with Graph id `record_id`, or None when the store has none."""
    # The table name comes from the Collection enum, never from input; the id is bound.
    raw = store.scalar(
        f'SELECT raw FROM "{Collection(collection).value}" WHERE id = ?', [record_id]
    )
    return None if raw is None else parse_record(collection, _loads(raw))


def raw_record(store: Store, collection: Collection, record_id: str) -> dict | None:
    """The Graph object of `collection` with id `record_id` as stored (the JSON object, every
    property kept), or None when the store has none or lacks the collection."""
    table = Collection(collection).value
    if table not in store.tables():
        return None
    # The table name comes from the Collection enum, never from input; the id is bound.
    raw = store.scalar(f'SELECT raw FROM "{table}" WHERE id = ?', [record_id])
    return None if raw is None else _loads(raw)


def iter_records(store: Store, collection: Collection, ids: Iterable[str]) -> Iterator[GraphRecord]:
    """The records of `collection` with these ids, in the order given; unknown ids are skipped."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return
    rows = store.con.execute(
        f'SELECT id, raw FROM "{Collection(collection).value}" '
        "WHERE list_contains(?::VARCHAR[], id)",
        [wanted],
    ).fetchall()
    found = dict(rows)
    for record_id in wanted:
        if record_id in found:
            yield parse_record(collection, _loads(found[record_id]))


def _loads(raw: str | bytes | dict) -> dict:
    """DuckDB hands JSON columns back as text."""
    return raw if isinstance(raw, dict) else orjson.loads(raw)
