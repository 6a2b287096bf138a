"""Ordered schema migrations, each recorded in the store once applied."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import duckdb

_PACKAGE = "idpilot.store.sql"


@dataclass(frozen=True)
class Migration:
    """One schema step: a version number, a name and the SQL that performs it."""

    version: int
    name: str
    sql: str


def available_migrations(package: str = _PACKAGE) -> list[Migration]:
    """Every migration shipped in `package` (the tenant store's by default), oldest first
    (`NNN_name.sql` files)."""
    found = []
    for entry in resources.files(package).iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text()))
    versions = [migration.version for migration in found]
    if len(versions) != len(set(versions)):
        raise RuntimeError(f"two migrations share a version number: {sorted(versions)}")
    return sorted(found, key=lambda migration: migration.version)


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Versions already applied to this database."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    return {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection, package: str = _PACKAGE) -> list[Migration]:
    """Apply the pending migrations of `package` in order, each in its own transaction; return
    them (the app state database has its own, `idpilot.store.state_sql`)."""
    done = applied_versions(con)
    applied = []
    for migration in available_migrations(package):
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now())",
                [migration.version, migration.name],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(migration)
    return applied
