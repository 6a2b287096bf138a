"""The DuckDB store of one tenant: opening, migrating, and what the snapshot says of itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import orjson

from idpilot.errors import StoreError
from idpilot.store.migrations import migrate

CAPTURED_KEY = "capturedDateTime"
TENANT_KEY = "tenantId"


def _decode_json(row: tuple[Any, ...], columns: list[int]) -> tuple[Any, ...]:
    """JSON columns arrive as text; turn them into Python values."""
    values = list(row)
    for index in columns:
        if isinstance(values[index], str):
            values[index] = orjson.loads(values[index])
    return tuple(values)


class Store:
    """An open idpilot store: a DuckDB database holding one tenant's snapshot."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        self.con = con
        self.path = path

    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = False) -> Store:
        """Open (creating and migrating when writable) the store at `path`, or in memory."""
        target = Path(path) if path is not None else None
        if read_only and (target is None or not target.exists()):
            raise StoreError(
                f"No store at {target}: build one with `idpilot ingest DIR --store {target}` "
                "or `idpilot demo`."
            )
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(target) if target else ":memory:", read_only=read_only)
        except duckdb.Error as error:
            raise StoreError(f"Cannot open store {target}: {error}") from error
        con.execute("SET TimeZone = 'UTC'")
        # Progress is tracked (the ingest command shows it) but DuckDB never prints its own bar.
        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        store = cls(con, target)
        if not read_only:
            migrate(con)
        elif "signIns" not in store.tables():
            raise StoreError(f"{target} is not an idpilot store (no idpilot tables).")
        return store

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commit when the block ends, roll back when it raises."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def tables(self) -> set[str]:
        """Names of the tables in the main schema."""
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
        return {row[0] for row in rows}

    def query(
        self, sql: str, params: list[Any] | dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Run a parameterised query (positional or $named) and return rows as dicts."""
        cursor = self.con.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        json_columns = [
            i for i, column in enumerate(cursor.description) if str(column[1]) == "JSON"
        ]
        rows = cursor.fetchall()
        if json_columns:
            rows = [_decode_json(row, json_columns) for row in rows]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first column of the first row of a parameterised query (or None)."""
        row = self.con.execute(sql, params or []).fetchone()
        return row[0] if row else None

    def info(self, key: str) -> str | None:
        """A value recorded about the snapshot (`tenantId`, `capturedDateTime`)."""
        return self.scalar("SELECT value FROM snapshot_info WHERE key = ?", [key])

    def captured_at(self) -> datetime:
        """The snapshot time: manifest's capturedDateTime, else the newest event, else now."""
        recorded = self.info(CAPTURED_KEY)
        if recorded:
            return datetime.fromisoformat(recorded.replace("Z", "+00:00"))
        newest = self.scalar(
            "SELECT max(t) FROM (SELECT max(createdDateTime) AS t FROM signIns "
            "UNION ALL SELECT max(activityDateTime) FROM directoryAudits "
            "UNION ALL SELECT max(detectedDateTime) FROM riskDetections)"
        )
        if newest is None:
            return datetime.now(UTC)
        return newest if newest.tzinfo else newest.replace(tzinfo=UTC)
