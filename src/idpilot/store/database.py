"""The DuckDB store of one tenant: opening, migrating, and what the snapshot says of itself."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import orjson

from idpilot.errors import EmptyStoreError, StoreBusyError, StoreError
from idpilot.model.collections import Collection
from idpilot.settings import get_seconds
from idpilot.store.migrations import migrate

CAPTURED_KEY = "capturedDateTime"
TENANT_KEY = "tenantId"
RETRY_SECONDS = 0.1
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")
_NOT_A_DATABASE = re.compile(r"not a valid DuckDB database", re.I)
T = TypeVar("T")


def store_wait_seconds() -> float:
    """How long to wait for a store another program holds (IDPILOT_STORE_WAIT_SECONDS)."""
    return get_seconds("store_wait_seconds")


def open_connection(
    path: Path, *, read_only: bool, wait: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Connect to the DuckDB file at `path`; while another program holds it, retry for a while.

    idpilot's own ingest writes a new version beside the store and never holds it, so a conflict
    means another program (or an older idpilot) has the file open for writing, or, for a
    writer, that readers have it open.
    """
    return retry_while_held(
        path, lambda: duckdb.connect(str(path), read_only=read_only), read_only=read_only, wait=wait
    )


def retry_while_held(
    path: Path, attempt: Callable[[], T], *, read_only: bool, wait: float | None = None
) -> T:
    """`attempt` to open the DuckDB file at `path`, retried while another program holds it
    (up to `wait`, else IDPILOT_STORE_WAIT_SECONDS; StoreBusyError names the holder)."""
    limit = store_wait_seconds() if wait is None else wait
    deadline = time.monotonic() + limit
    while True:
        try:
            return attempt()
        except duckdb.Error as error:
            holder = _LOCK_HOLDER.search(str(error))
            if holder is None:
                raise _open_error(path, error) from None
            if time.monotonic() >= deadline:
                raise StoreBusyError(_busy(path, holder, read_only, limit)) from None
            time.sleep(RETRY_SECONDS)


def _open_error(path: Path, error: duckdb.Error) -> StoreError:
    if _NOT_A_DATABASE.search(str(error)):
        return StoreError(
            f"{path} is not an idpilot store (not a DuckDB database): point --store at another file"
        )
    return StoreError(f"Cannot open store {path}: {_first_line(error)}")


def _first_line(error: Exception) -> str:
    return re.sub(r"^[A-Za-z ]+ Error: ", "", str(error).split("\n")[0])


def _busy(path: Path, holder: re.Match[str], read_only: bool, waited: float) -> str:
    program = f"{Path(holder.group(1)).name}, PID {holder.group(2)}"
    if read_only:
        what = f"another program ({program}) has {path} open for writing"
        advice = (
            "idpilot's own ingest never blocks readers, so it is another tool or an older "
            "idpilot: close it, then run this again"
        )
    else:
        what = f"another program ({program}) has {path} open"
        advice = "close it (or use `idpilot ingest`, which lets readers go on), then run this again"
    return (
        f"{what}; idpilot waited {waited:g} s. {advice} "
        "(IDPILOT_STORE_WAIT_SECONDS sets how long to wait)."
    )


FileVersion = tuple[int, int, int]
"""A store file's device, inode and modification time (ns)."""


def file_identity(path: Path | None) -> FileVersion | None:
    """Which file `path` names now (device, inode, modification time): a new version is a new
    file (and an inode freed by an old version and reused is written at another time)."""
    if path is None:
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino, found.st_mtime_ns


def _decode_json(row: tuple[Any, ...], columns: list[int]) -> tuple[Any, ...]:
    """JSON columns arrive as text; turn them into Python values."""
    values = list(row)
    for index in columns:
        if isinstance(values[index], str):
            values[index] = orjson.loads(values[index])
    return tuple(values)


def configure(con: duckdb.DuckDBPyConnection) -> None:
    """Set what every connection to a store reads with: UTC, no progress bar printed."""
    con.execute("SET TimeZone = 'UTC'")
    # Progress is tracked (the ingest command shows it) but DuckDB never prints its own bar.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")


class Store:
    """An open idpilot store: a DuckDB database holding one tenant's snapshot."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        path: Path | None,
        *,
        read_only: bool = False,
        version: FileVersion | None = None,
        tables: frozenset[str] | None = None,
        catalog: str | None = None,
    ) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        self._version = version if version is not None else file_identity(path)
        self._tables: frozenset[str] | None = tables
        """The tables of a read-only store's version, read once (they cannot change)."""
        self._catalog = catalog
        """The database `con` reads when it is not its default (a version kept open by
        `store.published`)."""

    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = False) -> Store:
        """Open (creating and migrating when writable) the store at `path`, or in memory."""
        target = Path(path) if path is not None else None
        if read_only and (target is None or not target.exists()):
            raise StoreError(
                f"No store at {target}: build one with `idpilot ingest DIR --store {target}` "
                "or `idpilot demo`."
            )
        if target is not None and target.is_dir():
            raise StoreError(f"{target} is a folder, not a store file; name a file with --store")
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            con = open_connection(target, read_only=read_only)
        else:
            con = duckdb.connect(":memory:")
        configure(con)
        store = cls(con, target, read_only=read_only)
        if not read_only:
            migrate(con)
        elif "signIns" not in store.tables():
            con.close()
            raise StoreError(f"{target} is not an idpilot store (no idpilot tables).")
        return store

    def refresh(self) -> bool:
        """Move a read-only store to the newest complete version, if one was published.

        An ingest publishes a new version by renaming a new file over the store's path; this
        connection keeps reading the version it opened until it is refreshed (between questions,
        never during one).
        """
        if not self.read_only or self.path is None:
            return False
        now = file_identity(self.path)
        if now is None or now == self._version:
            return False
        # DuckDB shares one database per path within a process: close the old version first.
        self.con.close()
        self.con = open_connection(self.path, read_only=True)
        configure(self.con)
        self._version = now
        self._tables = None
        return True

    def is_empty(self) -> bool:
        """True when no collection table holds a record (nothing was ingested, or nothing read)."""
        present = self.tables()
        tables = [c.value for c in Collection if c.value in present]
        if not tables:
            return True
        probes = " AND ".join(f'NOT EXISTS (SELECT 1 FROM "{table}")' for table in tables)
        return bool(self.scalar(f"SELECT {probes}"))

    def require_records(self) -> None:
        """Raise EmptyStoreError, saying how to fill it, when the store holds no record."""
        if self.is_empty():
            where = self.path if self.path is not None else "in memory"
            option = f" --store {self.path}" if self.path is not None else ""
            raise EmptyStoreError(
                f"The store {where} is empty: nothing has been ingested into it. Fill it with "
                f"`idpilot ingest DIR{option}` (a snapshot folder of Graph JSON files) or try "
                "`idpilot demo`."
            )

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def version_key(self) -> tuple[str, FileVersion] | None:
        """What a read-only store reads, the same for every reader of it: its path and the
        version it opened (None for a writable or in-memory store, which can change)."""
        if not self.read_only or self.path is None or self._version is None:
            return None
        return str(self.path), self._version

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own to the same database, reading what this store reads (for a
        result read in batches while the store's connection runs other queries); the caller
        closes it."""
        cursor = self.con.cursor()
        if self._catalog is not None:
            cursor.execute(f"USE {self._catalog}")  # an identifier of the code, never input
        configure(cursor)
        return cursor

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

    @staticmethod
    def commit_and_go_on(con: duckdb.DuckDBPyConnection) -> None:
        """Inside `transaction`: commit what was done so far and go on in a new transaction
        (a failed commit ends the transaction too, so the caller's rollback finds one)."""
        try:
            con.execute("COMMIT")
        finally:
            con.execute("BEGIN TRANSACTION")

    def tables(self) -> set[str]:
        """Names of the tables in the main schema (read once per version of a read-only store:
        opening it, checking it holds records and several lookups ask)."""
        if self._tables is None or not self.read_only:
            rows = self.con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
            self._tables = frozenset(row[0] for row in rows)
        return set(self._tables)

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
