"""A locked-down DuckDB connection that sees a few views of a store and nothing else outside.

The connection belongs to a DuckDB database of its own, in memory. The store is attached to it
read-only, each view asked for is re-created in that in-memory database over the attached one,
and only then are external access (files, URLs, other databases, extensions) switched off and
the configuration locked, so nothing run on the connection can read a file, reach the network,
install or load an extension, or change a setting back. Extension autoloading and autoinstall are
off from the first moment.

A store this process holds open for writing cannot be attached a second time: it is checkpointed
and its file copied (milliseconds), and that copy attached. The views of a store in memory are
copied into a temporary database file. Either copy is deleted on close.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import orjson

from idpilot.errors import StoreError
from idpilot.store.database import Store

# Set when the database is created: before any statement can run.
_CONFIG: dict[str, Any] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "python_enable_replacements": False,
}
_ALIAS = "idpilot_store"
_COPY_ALIAS = "idpilot_kql_copy"
_VIEW_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class Sandbox:
    """An in-memory DuckDB database for one query of one store: parse, expose views, run.

    Until `expose` it holds nothing and can only parse. `expose` attaches the store, re-creates
    the views asked for, then switches external access off and locks the configuration; only
    then does `execute` run anything.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.con = duckdb.connect(":memory:", config=_CONFIG)
        self.locked = False
        self._folder: Path | None = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection and delete any copy of the views."""
        self.con.close()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    def parse_tree(self, sql: str) -> dict[str, Any]:
        """DuckDB's own parse of `sql` as JSON (`json_serialize_sql`): only SELECTs serialise."""
        row = self.con.execute("SELECT json_serialize_sql($sql)", {"sql": sql}).fetchone()
        return orjson.loads(row[0]) if row else {"error": True}

    def expose(self, views: Iterable[str]) -> None:
        """Make `views` of the store readable, then cut external access and lock the settings."""
        if self.locked:
            raise RuntimeError("the sandbox is already locked")
        names = sorted(set(views))
        for name in names:
            if not _VIEW_NAME.match(name):
                raise ValueError(f"not a view name: {name!r}")
        path = self.store.path
        source = path if path is not None and path.exists() else None
        if names and (source is None or not _attach(self.con, source)):
            self._folder = Path(tempfile.mkdtemp(prefix="idpilot-kql-"))
            if source is not None and _checkpoint(self.store):
                source = Path(shutil.copyfile(source, self._folder / "store.duckdb"))
            else:
                source = _copy_views(self.store, names, self._folder / "views.duckdb")
            if not _attach(self.con, source):
                raise StoreError(f"Cannot read the store's views from {source}")
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET enable_progress_bar = false")
        for name in names:
            self.con.execute(f'CREATE VIEW main."{name}" AS SELECT * FROM {_ALIAS}.main."{name}"')
        self.con.execute("SET enable_external_access = false")
        self.con.execute("SET lock_configuration = true")
        self.locked = True

    def execute(
        self, sql: str, parameters: dict[str, Any] | None = None
    ) -> duckdb.DuckDBPyConnection:
        """Run `sql` (bound to `parameters`) once the sandbox is locked."""
        if not self.locked:
            raise RuntimeError("expose the views (which locks the sandbox) before running SQL")
        return self.con.execute(sql, parameters) if parameters else self.con.execute(sql)

    def fetch(
        self, sql: str, parameters: dict[str, Any] | None = None, limit: int | None = None
    ) -> tuple[list[str], list[str], list[tuple[Any, ...]]]:
        """Run `sql` and return its column names, column types and rows (at most `limit` + 1,
        so a caller can tell the result was cut)."""
        cursor = self.execute(sql, parameters)
        columns = [column[0] for column in cursor.description]
        types = [str(column[1]) for column in cursor.description]
        rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit + 1)
        return columns, types, rows


def _attach(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Attach `path` read-only; False when this process already holds it open for writing."""
    try:
        con.execute(f"ATTACH $path AS {_ALIAS} (READ_ONLY)", {"path": str(path)})
    except duckdb.Error as error:
        if isinstance(error, duckdb.ResourceInUseException) or "handle conflict" in str(error):
            return False
        if "lock" in str(error).lower():
            raise StoreError(
                f"Cannot read {path} for KQL: another process holds it open for writing (an "
                "ingest?). Run the query again once it has finished."
            ) from None
        reason = str(error).splitlines()[0].split(" See also")[0] if str(error) else ""
        raise StoreError(f"Cannot read {path} for KQL: {reason or type(error).__name__}") from None
    return True


def _checkpoint(store: Store) -> bool:
    """Write the store's log into its file, so a copy of the file is the whole store."""
    try:
        store.con.execute("CHECKPOINT")
    except duckdb.Error:
        return False
    return True


def _copy_views(store: Store, names: list[str], target: Path) -> Path:
    """Copy `names` of `store` into a new database file at `target` (through the store's own
    connection, which may write a file)."""
    store.con.execute(f"ATTACH $path AS {_COPY_ALIAS}", {"path": str(target)})
    try:
        for name in names:
            store.con.execute(
                f'CREATE TABLE {_COPY_ALIAS}.main."{name}" AS SELECT * FROM main."{name}"'
            )
    finally:
        store.con.execute(f"DETACH {_COPY_ALIAS}")
    return target
