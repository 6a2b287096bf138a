"""The app state database: API tokens, usage units, the audit trail and proposals.

A DuckDB file of its own beside the tenant store (which every ingest replaces), with its own
migrations (`idpilot.store.state_sql`). Connections are short: each use opens the file, works
and closes it, so `idpilot token create` can run while `idpilot serve` does (a command waits
for the other's moment with the file, up to IDPILOT_STORE_WAIT_SECONDS). Writes within one
process go one at a time. The typed layer above this is `idpilot.state`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from idpilot.errors import StoreError
from idpilot.store.database import open_connection
from idpilot.store.migrations import migrate

STATE_MIGRATIONS = "idpilot.store.state_sql"
WARM_SECONDS = 0.5
"""How long a server keeps a state file open after its last use (opening it cold costs tens of
milliseconds; a file left open would lock other processes out)."""
_WRITES = threading.Lock()
_WARM_LOCK = threading.Lock()
_warm: dict[Path, tuple[duckdb.DuckDBPyConnection, threading.Timer]] = {}

_TOKEN_COLUMNS = "id, user_name, role, created_at, expires_at, revoked_at"


class AppState:
    """An open connection to the app state database."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # Tokens

    def add_token(
        self,
        token_id: str,
        user: str,
        role: str,
        secret_hash: str,
        created: datetime,
        expires: datetime | None,
    ) -> None:
        """Record a new token (its secret only as a hash)."""
        with _WRITES:
            self.con.execute(
                "INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, ?, NULL)",
                [token_id, user, role, secret_hash, created, expires],
            )

    def token_by_hash(self, secret_hash: str) -> dict[str, Any] | None:
        """The token whose secret hashes to `secret_hash`, or None."""
        rows = self._rows(
            f"SELECT {_TOKEN_COLUMNS} FROM api_tokens WHERE secret_hash = ?", [secret_hash]
        )
        return rows[0] if rows else None

    def tokens(self) -> list[dict[str, Any]]:
        """Every token, oldest first (no secrets, no hashes)."""
        return self._rows(f"SELECT {_TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at, id")

    def token_count(self) -> int:
        """How many tokens were ever created."""
        row = self.con.execute("SELECT count(*) FROM api_tokens").fetchone()
        return int(row[0]) if row else 0

    def revoke_token(self, token_id: str, at: datetime) -> dict[str, Any] | None:
        """Revoke a token (a revoked one stays revoked at its first time); None if unknown."""
        with _WRITES:
            self.con.execute(
                "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
                [at, token_id],
            )
        rows = self._rows(f"SELECT {_TOKEN_COLUMNS} FROM api_tokens WHERE id = ?", [token_id])
        return rows[0] if rows else None

    # Usage

    def units_used(self, user: str, day: date) -> int:
        """Units `user` has used on `day`."""
        row = self.con.execute(
            "SELECT units FROM usage_units WHERE user_name = ? AND day = ?", [user, day]
        ).fetchone()
        return int(row[0]) if row else 0

    def charge_units(self, user: str, day: date, units: int, limit: int) -> tuple[bool, int]:
        """Add `units` to the user's day unless that would pass `limit`: (charged, used now)."""
        with _WRITES:
            used = self.units_used(user, day)
            if used + units > limit:
                return False, used
            self.con.execute(
                "INSERT INTO usage_units VALUES (?, ?, ?) ON CONFLICT (user_name, day) "
                "DO UPDATE SET units = usage_units.units + excluded.units",
                [user, day, units],
            )
            return True, used + units

    def add_units(self, user: str, day: date, units: int) -> None:
        """Add `units` to the user's day whatever the limit (work already done)."""
        with _WRITES:
            self.con.execute(
                "INSERT INTO usage_units VALUES (?, ?, ?) ON CONFLICT (user_name, day) "
                "DO UPDATE SET units = usage_units.units + excluded.units",
                [user, day, units],
            )

    def usage(self, since: date | None = None) -> list[dict[str, Any]]:
        """Units used per user and day (since `since`), newest day first."""
        return self._rows(
            "SELECT user_name, day, units FROM usage_units WHERE ? IS NULL OR day >= ? "
            "ORDER BY day DESC, user_name",
            [since, since],
        )

    # Audit trail and proposals

    def add_audit(self, event: dict[str, Any]) -> None:
        """Append one event to the audit trail."""
        with _WRITES:
            self.con.execute(
                "INSERT INTO audit_events (id, occurred_at, user_name, token_id, role, action, "
                "prompt, answer_id, proposal_id, status) VALUES ($id, $at, $user_name, $token_id, "
                "$role, $action, $prompt, $answer_id, $proposal_id, $status)",
                event,
            )

    def audit_events(self, limit: int) -> list[dict[str, Any]]:
        """The newest `limit` audit events, newest first."""
        return self._rows(
            "SELECT id, occurred_at, user_name, token_id, role, action, prompt, answer_id, "
            "proposal_id, status FROM audit_events ORDER BY occurred_at DESC, id DESC LIMIT ?",
            [limit],
        )

    def add_proposal(
        self, proposal_id: str, created: datetime, user: str, kind: str, document: str
    ) -> None:
        """Record a remediation proposal (JSON text of the proposal); it is never executed."""
        with _WRITES:
            self.con.execute(
                "INSERT INTO proposals VALUES (?, ?, ?, ?, ?)",
                [proposal_id, created, user, kind, document],
            )

    def proposals(self, limit: int) -> list[dict[str, Any]]:
        """The newest `limit` proposals, newest first (the proposal as JSON text)."""
        return self._rows(
            "SELECT id, created_at, user_name, kind, proposal::VARCHAR AS proposal "
            "FROM proposals ORDER BY created_at DESC, id DESC LIMIT ?",
            [limit],
        )


def _keep_warm(path: Path) -> None:
    """Keep one more connection to `path` open for WARM_SECONDS after this use, so the next
    use within that time finds the database open (DuckDB shares it within a process)."""
    with _WARM_LOCK:
        held = _warm.pop(path, None)
        if held is not None:
            held[1].cancel()
            anchor = held[0]
        else:
            anchor = duckdb.connect(str(path))
        timer = threading.Timer(WARM_SECONDS, _release, args=(path,))
        timer.daemon = True
        _warm[path] = (anchor, timer)
        timer.start()


def _release(path: Path) -> None:
    with _WARM_LOCK:
        held = _warm.pop(path, None)
    if held is not None:
        held[0].close()


@contextmanager
def open_app_state(path: Path, *, keep_warm: bool = False) -> Iterator[AppState]:
    """Open (creating and migrating) the app state database at `path` for one use; a server
    passes `keep_warm` to find it still open at its next request (other processes can open it
    once the server has been idle for WARM_SECONDS)."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not the app state file (IDPILOT_STATE)")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = open_connection(path, read_only=False)
    if keep_warm:
        _keep_warm(path)
    try:
        con.execute("SET TimeZone = 'UTC'")
        with _WRITES:
            migrate(con, STATE_MIGRATIONS)
        yield AppState(con, path)
    finally:
        con.close()
