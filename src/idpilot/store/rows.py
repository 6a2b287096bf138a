"""Rows of a parameterised query as dicts, values exactly as DuckDB returns them."""

from __future__ import annotations

from typing import Any

from idpilot.store.database import Store


def fetch_rows(store: Store, sql: str, params: Any = None) -> list[dict[str, Any]]:
    """Rows keyed by column name; unlike `Store.query`, JSON columns stay text and `params`
    may be a dict of named parameters (`$name`)."""
    cursor = store.con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
