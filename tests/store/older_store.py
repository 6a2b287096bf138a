"""A store file as an older idpilot left it: only the migrations before a version applied."""

from __future__ import annotations

from pathlib import Path

import duckdb

from idpilot.store.migrations import applied_versions, available_migrations


def store_before(path: Path, version: int) -> duckdb.DuckDBPyConnection:
    """Create `path` with every migration older than `version` applied and recorded; the open
    connection, for the test to add the rows such a store held (and close)."""
    con = duckdb.connect(str(path))
    applied_versions(con)
    for migration in available_migrations():
        if migration.version < version:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now())",
                [migration.version, migration.name],
            )
    return con
