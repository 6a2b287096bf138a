"""The app state database: API tokens, usage units, the audit trail and proposals.

A DuckDB file of its own beside the tenant store (which every ingest replaces), with its own
migrations (`idpilot.store.state_sql`). A command opens the file for one use and closes it; a
server keeps one connection open while it is busy and for WARM_SECONDS after, each use a cursor
of it, so `idpilot token create` can run while `idpilot serve` does once the server has been
idle that long (a command waits for the other's moment with the file, up to
IDPILOT_STORE_WAIT_SECONDS). Writes within one process go one at a time. The typed layer above
this is `idpilot.state`.
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
_WRITES = threading.RLock()
"""Held by each write (and by a `writing()` block around its writes)."""
_WARM_LOCK = threading.Lock()
_warm: dict[Path, _Warm] = {}

_TOKEN_COLUMNS = "id, user_name, role, created_at, expires_at, revoked_at"


class AppState:
    """An open connection to the app state database."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The block's writes as one transaction, committed once (all or none), other writers
        of this process waiting meanwhile."""
        with _WRITES:
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            self.con.execute("COMMIT")

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


class _Warm:
    """A server's connection to one state file, kept open while it is used and WARM_SECONDS
    after: every use gets a cursor of it (migrations ran when it was opened; while it is open
    no other process can change the file)."""

    def __init__(self, path: Path) -> None:
        self.anchor = open_connection(path, read_only=False)
        try:
            with _WRITES:
                migrate(self.anchor, STATE_MIGRATIONS)
        except BaseException:
            self.anchor.close()
            raise
        self.users = 0
        self.timer: threading.Timer | None = None


def _warm_cursor(path: Path) -> duckdb.DuckDBPyConnection:
    """A cursor of the warm connection to `path` (opened, and migrated, if it is not open)."""
    with _WARM_LOCK:
        warm = _warm.get(path)
        if warm is None:
            warm = _warm[path] = _Warm(path)
        if warm.timer is not None:
            warm.timer.cancel()
            warm.timer = None
        warm.users += 1
        return warm.anchor.cursor()


def _done_with(path: Path) -> None:
    """One use of the warm connection ended: the last one starts the quiet-moment timer."""
    with _WARM_LOCK:
        warm = _warm[path]
        warm.users -= 1
        if warm.users == 0:
            warm.timer = threading.Timer(WARM_SECONDS, _release, args=(path, warm))
            warm.timer.daemon = True
            warm.timer.start()


def _release(path: Path, warm: _Warm) -> None:
    """Close the warm connection after a quiet moment, unless it was used again meanwhile."""
    with _WARM_LOCK:
        if _warm.get(path) is not warm or warm.users > 0:
            return
        del _warm[path]
    warm.anchor.close()


@contextmanager
def open_app_state(path: Path, *, keep_warm: bool = False) -> Iterator[AppState]:
    """Open (creating and migrating) the app state database at `path` for one use; a server
    passes `keep_warm` to use a cursor of the connection it keeps open while busy and for
    WARM_SECONDS after (other processes can open the file once it has been idle that long)."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not the app state file (IDPILOT_STATE)")
    path.parent.mkdir(parents=True, exist_ok=True)
    if keep_warm:
        con = _warm_cursor(path)
        try:
            con.execute("SET TimeZone = 'UTC'")
            yield AppState(con, path)
        finally:
            con.close()
            _done_with(path)
        return
    con = open_connection(path, read_only=False)
    try:
        con.execute("SET TimeZone = 'UTC'")
        with _WRITES:
            migrate(con, STATE_MIGRATIONS)
        yield AppState(con, path)
    finally:
        con.close()
