"""The app state database: its own file and migrations, quotas by UTC day, the audit trail."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from idpilot.state import AuditEvent, QuotaExceededError, charge, record_event, state_path
from idpilot.store import app_state
from idpilot.store.app_state import STATE_MIGRATIONS, open_app_state
from idpilot.store.migrations import available_migrations

LATE = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)


def test_state_has_its_own_recorded_migrations(tmp_path: Path) -> None:
    path = tmp_path / "state.duckdb"
    with open_app_state(path) as state:
        versions = [
            r[0] for r in state.con.execute("SELECT version FROM schema_migrations").fetchall()
        ]
        tables = {r[0] for r in state.con.execute("SHOW TABLES").fetchall()}
    assert versions == [m.version for m in available_migrations(STATE_MIGRATIONS)]
    assert {"api_tokens", "usage_units", "audit_events", "proposals"} <= tables
    assert {"chat_sessions", "answers", "feedback"} <= tables
    assert "signIns" not in tables  # no tenant data here
    with open_app_state(path) as state:  # reopening applies nothing twice
        assert state.con.execute("SELECT count(*) FROM schema_migrations").fetchone() == (
            len(versions),
        )


def test_the_state_file_sits_beside_the_store_unless_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IDPILOT_STATE", raising=False)
    monkeypatch.setenv("IDPILOT_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    assert state_path(tmp_path / "contoso.duckdb") == tmp_path / "contoso.state.duckdb"
    monkeypatch.setenv("IDPILOT_STATE", str(tmp_path / "elsewhere.duckdb"))
    assert state_path(tmp_path / "contoso.duckdb") == tmp_path / "elsewhere.duckdb"


def test_a_quota_counts_by_utc_day_and_says_when_capacity_returns(tmp_path: Path) -> None:
    with open_app_state(tmp_path / "s.duckdb") as state:
        assert [charge(state, "ana", 1, 2, LATE) for _ in range(2)] == [1, 2]
        with pytest.raises(QuotaExceededError) as caught:
            charge(state, "ana", 1, 2, LATE)
        assert charge(state, "bob", 2, 2, LATE) == 2  # another user's own units
        assert charge(state, "ana", 1, 2, LATE + timedelta(hours=1)) == 1  # the next UTC day
        assert state.units_used("ana", LATE.date()) == 2  # the refused unit was not counted
    error = caught.value
    assert error.retry_after == 30 * 60
    assert "2026-12-07T00:00:00Z" in str(error) and "0 h 30 min" in str(error)


def test_the_audit_trail_keeps_who_asked_what(tmp_path: Path) -> None:
    with open_app_state(tmp_path / "s.duckdb") as state:
        for n in range(3):
            record_event(
                state,
                AuditEvent(
                    at=LATE + timedelta(seconds=n),
                    user="ana",
                    action="ask",
                    prompt=f"question {n}",
                    answer_id=f"a{n}",
                ),
            )
        events = state.audit_events(2)
    assert [(e["prompt"], e["answer_id"], e["user_name"]) for e in events] == [
        ("question 2", "a2", "ana"),
        ("question 1", "a1", "ana"),
    ]


def test_a_warm_state_is_released_after_a_quiet_moment(tmp_path: Path) -> None:
    path = tmp_path / "warm.duckdb"
    with open_app_state(path, keep_warm=True) as state:
        state.token_count()
    assert path in app_state._warm
    deadline = time.monotonic() + 10 * app_state.WARM_SECONDS
    while path in app_state._warm and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path not in app_state._warm
    done = subprocess.run(  # another process can open the file for writing now
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(path)!r}).close()"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_busy_server_uses_one_connection_migrated_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "warm.duckdb"
    migrated: list[object] = []
    migrate = app_state.migrate
    monkeypatch.setattr(app_state, "migrate", lambda *a: migrated.append(a) or migrate(*a))
    with open_app_state(path, keep_warm=True) as first:
        anchor = app_state._warm[path].anchor
        with open_app_state(path, keep_warm=True) as second:  # another request meanwhile
            assert second.con is not first.con  # a cursor each: connections are not shared
            assert app_state._warm[path].anchor is anchor
            second.add_units("ana", LATE.date(), 2)
        assert first.units_used("ana", LATE.date()) == 2
    with open_app_state(path, keep_warm=True) as third:  # within the quiet moment: still open
        assert app_state._warm[path].anchor is anchor
        assert third.units_used("ana", LATE.date()) == 2
    assert len(migrated) == 1


def test_writes_in_one_block_are_all_kept_or_none(tmp_path: Path) -> None:
    path = tmp_path / "state.duckdb"
    event = AuditEvent(at=LATE, user="ana", token_id="t1", role="reader", action="ask")
    with pytest.raises(RuntimeError), open_app_state(path) as state, state.writing():
        state.add_units("ana", LATE.date(), 3)
        record_event(state, event)
        raise RuntimeError("the answer could not be kept")
    with open_app_state(path) as state:
        assert state.units_used("ana", LATE.date()) == 0
        assert state.audit_events(5) == []
        with state.writing():
            state.add_units("ana", LATE.date(), 3)
            record_event(state, event)
        assert state.units_used("ana", LATE.date()) == 3
        assert len(state.audit_events(5)) == 1
