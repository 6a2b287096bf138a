"""The published version of a store, kept open read-only for a long-lived reader (the server).

Opening the file, checking it holds records and closing it again cost a request tens of
milliseconds; a server answers many questions about one version. `PublishedStore` opens each
published version once and gives every reader a cursor of its own (a DuckDB connection is not
thread-safe; a cursor is an independent connection to the same database). When an ingest
publishes a new version (renames a new file over the path, `store.versions`), the next reader
opens it, while readers still on the old version finish there; the old version is closed when
the last of them is done.

DuckDB shares one database per path within a process, so connecting to the path again while
the old version is open would give the old version back: each version is attached, read-only,
to an in-memory database of its own, and each cursor starts with `USE` of it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from idpilot.errors import StoreError
from idpilot.store.database import (
    FileVersion,
    Store,
    configure,
    file_identity,
    retry_while_held,
)

CATALOG = "tenant"
"""The name each version is attached under in its in-memory database."""


class _Version:
    """One version of the store, attached read-only, and how many readers it has."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con, self.identity = _attach(path)
        self.readers = 0
        self.retired = False
        first = self._store(None)
        try:
            self.tables = frozenset(first.tables())
            if "signIns" not in self.tables:
                raise StoreError(f"{path} is not an idpilot store (no idpilot tables).")
            self.empty = first.is_empty()
        except BaseException:
            first.close()
            self.con.close()
            raise
        first.close()

    def _store(self, tables: frozenset[str] | None) -> Store:
        """A store over a new cursor reading this version."""
        cursor = self.con.cursor()
        cursor.execute(f"USE {CATALOG}")
        configure(cursor)
        return Store(
            cursor, self.path, read_only=True, version=self.identity, tables=tables, catalog=CATALOG
        )

    def reader(self) -> Store:
        """A store over a cursor of its own (EmptyStoreError when the version holds no
        record)."""
        store = self._store(self.tables)
        if self.empty:
            try:
                store.require_records()
            finally:
                store.close()
        return store


def _attach(path: Path) -> tuple[duckdb.DuckDBPyConnection, FileVersion]:
    """An in-memory database with the version `path` names attached, and that version's
    identity (checked before and after attaching, so a version published meanwhile is not
    mistaken for the one attached)."""
    while True:
        before = file_identity(path)
        if before is None or not path.is_file():
            if path.is_dir():
                raise StoreError(f"{path} is a folder, not a store file; name a file with --store")
            raise StoreError(
                f"No store at {path}: build one with `idpilot ingest DIR --store {path}` "
                "or `idpilot demo`."
            )
        con = retry_while_held(path, lambda: _attached(path), read_only=True)
        if file_identity(path) == before:
            return con, before
        con.close()  # a new version was published while attaching: attach that one


def _attached(path: Path) -> duckdb.DuckDBPyConnection:
    """A new in-memory database with `path` attached read-only as CATALOG."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH $path AS {CATALOG} (READ_ONLY)", {"path": str(path)})
    except BaseException:
        con.close()
        raise
    return con


class PublishedStore:
    """The store at `path`, read-only, one open database per published version."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._current: _Version | None = None
        self._open: set[_Version] = set()
        """The current version and the retired ones still being read."""

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The newest published version for one reader (it must hold records): a Store over a
        cursor of its own, closed when the block ends."""
        version = self._enter()
        try:
            store = version.reader()
            try:
                yield store
            finally:
                store.close()
        finally:
            self._leave(version)

    def opened_versions(self) -> int:
        """How many versions are open now (the published one and those still being read)."""
        with self._lock:
            return len(self._open)

    def close(self) -> None:
        """Retire the current version (closed once its readers are done; the next reader
        opens the published version again)."""
        with self._lock:
            current, self._current = self._current, None
            if current is not None:
                self._retire(current)

    def _enter(self) -> _Version:
        now = file_identity(self.path)
        with self._lock:
            current = self._current
            if current is None or current.identity != now:
                fresh = _Version(self.path)
                self._open.add(fresh)
                if current is not None:
                    self._retire(current)
                self._current = current = fresh
            current.readers += 1
            return current

    def _leave(self, version: _Version) -> None:
        with self._lock:
            version.readers -= 1
            if version.retired and version.readers == 0:
                self._retire(version)

    def _retire(self, version: _Version) -> None:
        """Mark `version` as no longer published; close it if nobody reads it (lock held)."""
        version.retired = True
        if version.readers == 0 and version in self._open:
            self._open.discard(version)
            version.con.close()
