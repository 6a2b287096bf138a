"""A published version kept open for a server: reused within a version, replaced when an
ingest publishes a new one, the old one kept for the readers still on it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from idpilot.errors import EmptyStoreError, StoreBusyError, StoreError
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store import published as published_module
from idpilot.store.published import PublishedStore
from idpilot.store.queries.log_analytics import table_rows
from idpilot.store.versions import new_version


def _publish(store_path: Path, folder: Path, users: list[str]) -> None:
    """Write a version holding `users` and publish it over `store_path`, as `idpilot ingest`."""
    folder.mkdir(parents=True)
    (folder / "users.json").write_text(json.dumps([{"id": u, "displayName": u} for u in users]))
    with new_version(store_path) as store:
        ingest_folder(store, folder)


def _users(store: Store) -> set[str]:
    return {row["id"] for row in store.query("SELECT id FROM users")}


@pytest.fixture
def attaches(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every version the published store opens, in order."""
    opened: list[Path] = []
    attach = published_module._attached

    def counted(path: Path) -> object:
        opened.append(path)
        return attach(path)

    monkeypatch.setattr(published_module, "_attached", counted)
    return opened


def test_a_version_is_opened_once_and_read_by_every_reader(
    tmp_path: Path, attaches: list[Path]
) -> None:
    path = tmp_path / "tenant.duckdb"
    _publish(path, tmp_path / "one", ["u1"])
    served = PublishedStore(path)
    for _ in range(3):
        with served.reading() as store:
            assert _users(store) == {"u1"}
            assert store.captured_at() is not None  # the store's own helpers work on a cursor
    assert attaches == [path]
    assert served.opened_versions() == 1
    served.close()
    assert served.opened_versions() == 0


def test_a_new_version_is_read_by_the_next_reader(tmp_path: Path, attaches: list[Path]) -> None:
    path = tmp_path / "tenant.duckdb"
    _publish(path, tmp_path / "one", ["u1"])
    served = PublishedStore(path)
    with served.reading() as store:
        assert _users(store) == {"u1"}
    _publish(path, tmp_path / "two", ["u1", "u2"])
    with served.reading() as store:
        assert _users(store) == {"u1", "u2"}
    assert len(attaches) == 2
    assert served.opened_versions() == 1  # the old version, read by nobody, is closed
    served.close()


def test_a_reader_on_the_old_version_finishes_there_while_others_read_the_new(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tenant.duckdb"
    _publish(path, tmp_path / "one", ["u1"])
    served = PublishedStore(path)
    with served.reading() as old:
        assert _users(old) == {"u1"}
        _publish(path, tmp_path / "two", ["u1", "u2"])
        with served.reading() as new:
            assert _users(new) == {"u1", "u2"}
            assert _users(old) == {"u1"}  # still reading the version it began on
            assert served.opened_versions() == 2
        assert _users(old) == {"u1"}
    assert served.opened_versions() == 1  # the old one closed with its last reader
    with served.reading() as store:
        assert _users(store) == {"u1", "u2"}
    served.close()


def test_readers_in_threads_each_have_their_own_cursor(tmp_path: Path) -> None:
    path = tmp_path / "tenant.duckdb"
    _publish(path, tmp_path / "one", ["u1", "u2", "u3"])
    served = PublishedStore(path)
    seen: list[set[str]] = []
    failures: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                with served.reading() as store:
                    seen.append(_users(store))
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert seen == [{"u1", "u2", "u3"}] * 120
    assert served.opened_versions() == 1
    served.close()


def test_a_batched_read_runs_on_a_cursor_reading_the_same_version(tmp_path: Path) -> None:
    path = tmp_path / "tenant.duckdb"
    _publish(path, tmp_path / "one", ["u1"])
    served = PublishedStore(path)
    with served.reading() as store:
        cursor = store.cursor()
        try:
            assert cursor.execute("SELECT id FROM users").fetchall() == [("u1",)]
        finally:
            cursor.close()
        batches = list(table_rows(store, "SigninLogs"))  # a view, read on a cursor
        assert batches == []
    served.close()


def test_a_missing_foreign_or_empty_store_is_refused_at_every_reading(tmp_path: Path) -> None:
    missing = PublishedStore(tmp_path / "gone.duckdb")
    with pytest.raises(StoreError, match="No store at"), missing.reading():
        pass
    foreign = tmp_path / "foreign.duckdb"
    foreign.write_text("not a database")
    with pytest.raises(StoreError, match="not an idpilot store"), PublishedStore(foreign).reading():
        pass
    empty = tmp_path / "empty.duckdb"
    Store.open(empty).close()
    served = PublishedStore(empty)
    for _ in range(2):
        with pytest.raises(EmptyStoreError, match="idpilot ingest"), served.reading():
            pass
    assert served.opened_versions() == 1
    served.close()


HOLD_FOR_WRITING = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
"""


def test_a_store_another_program_writes_is_waited_for_then_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tenant.duckdb"
    _publish(path, tmp_path / "one", ["u1"])
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_FOR_WRITING, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        monkeypatch.setenv("IDPILOT_STORE_WAIT_SECONDS", "0.3")
        with pytest.raises(StoreBusyError) as caught, PublishedStore(path).reading():
            pass
    finally:
        holder.communicate("\n", timeout=30)
    assert f"PID {holder.pid}" in str(caught.value)
    assert "open for writing" in str(caught.value)
