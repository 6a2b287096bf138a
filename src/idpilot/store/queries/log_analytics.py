"""Queries over the Log Analytics views (migration 002)."""

from __future__ import annotations

from datetime import datetime

from idpilot.store.database import Store


def view_extent(store: Store, view: str) -> tuple[int, datetime | None, datetime | None]:
    """How many rows a Log Analytics view has, and its first and last TimeGenerated."""
    if view not in store.tables():  # the name is pasted in quoted: it must be a real view
        raise ValueError(f"no view {view!r} in the store")
    row = store.con.execute(
        f'SELECT count(*), min(TimeGenerated), max(TimeGenerated) FROM "{view}"'
    ).fetchone()
    return row[0], row[1], row[2]
