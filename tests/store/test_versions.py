"""New store versions: built beside the store, swapped in atomically, one writer at a time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from idpilot.errors import SnapshotError, StoreBusyError, StoreError
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.versions import lock_path, new_version, next_path

HOLD_OPEN = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
print("ready", flush=True)
sys.stdin.readline()
"""


def _snapshot(folder: Path, users: list[str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "users.json").write_text(json.dumps([{"id": u, "displayName": u} for u in users]))
    return folder


def _users(path: Path) -> set[str]:
    with Store.open(path, read_only=True) as store:
        return {row["id"] for row in store.query("SELECT id FROM users")}


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


@pytest.fixture
def hold_open() -> Iterator[Callable[[Path, str], subprocess.Popen[str]]]:
    """Start a process that holds a DuckDB file open (for writing or reading) until the end."""
    started: list[subprocess.Popen[str]] = []

    def start(path: Path, mode: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLD_OPEN, str(path), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        return process

    yield start
    for process in started:
        process.communicate("\n", timeout=30)


def test_a_new_version_replaces_the_store_when_it_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    with new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "one", ["u1"]))
        assert not path.exists()  # nothing is published before the block ends
    assert _users(path) == {"u1"}
    with new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "two", ["u1", "u2"]))
        assert _users(path) == {"u1"}  # readers see the last complete version meanwhile
    assert _users(path) == {"u1", "u2"}
    assert _siblings(path) == {"store.duckdb", "one", "two"}


def test_a_failed_version_into_a_new_path_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "store.duckdb"
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "users.json").write_text('[{"id": "u1"},')
    with pytest.raises(SnapshotError), new_version(path) as store:
        ingest_folder(store, broken)
    assert not (tmp_path / "new").exists()


def test_a_failed_version_leaves_the_store_and_no_leftovers(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    with new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "one", ["u1"]))
    with pytest.raises(RuntimeError), new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "two", ["u1", "u2"]))
        raise RuntimeError("stop")
    assert _users(path) == {"u1"}
    assert _siblings(path) == {"store.duckdb", "one", "two"}


def test_a_version_a_killed_writer_left_is_discarded(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    with new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "one", ["u1"]))
    next_path(path).write_bytes(b"half-written garbage")
    spilled = next_path(path).with_name(next_path(path).name + ".tmp")
    spilled.mkdir()  # DuckDB's temporary files, left by a killed writer
    (spilled / "duckdb_temp_storage_DEFAULT-0.tmp").write_bytes(b"spilled")
    with new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "two", ["u1", "u2"]))
    assert _users(path) == {"u1", "u2"}
    assert not next_path(path).exists()
    assert not spilled.exists()


def test_a_second_writer_waits_then_says_who_writes(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    with new_version(path), pytest.raises(StoreBusyError) as caught, new_version(path, wait=0.3):
        pass
    message = str(caught.value)
    assert f"PID {os.getpid()}" in message and "waited 0.3 s" in message
    assert "--store NEW_PATH" in message
    assert not lock_path(path).exists()


def test_readers_wait_then_name_a_program_that_holds_the_store_for_writing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    hold_open: Callable[[Path, str], subprocess.Popen[str]],
) -> None:
    path = tmp_path / "store.duckdb"
    with new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "one", ["u1"]))
    holder = hold_open(path, "write")
    monkeypatch.setenv("IDPILOT_STORE_WAIT_SECONDS", "0.3")
    with pytest.raises(StoreBusyError) as caught:
        Store.open(path, read_only=True)
    message = str(caught.value)
    assert f"PID {holder.pid}" in message and "open for writing" in message
    assert "duckdb" not in message.lower().replace(".duckdb", "")  # idpilot's words, not DuckDB's


def test_a_new_version_is_written_while_a_reader_holds_the_store(
    tmp_path: Path, hold_open: Callable[[Path, str], subprocess.Popen[str]]
) -> None:
    path = tmp_path / "store.duckdb"
    with new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "one", ["u1"]))
    hold_open(path, "read")
    with new_version(path, wait=5) as store:
        ingest_folder(store, _snapshot(tmp_path / "two", ["u1", "u2"]))
    assert _users(path) == {"u1", "u2"}


def test_refresh_moves_a_reader_to_the_newest_version(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    with new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "one", ["u1"]))
    reader = Store.open(path, read_only=True)
    try:
        assert reader.refresh() is False
        with new_version(path) as store:
            ingest_folder(store, _snapshot(tmp_path / "two", ["u1", "u2"]))
        assert reader.scalar("SELECT count(*) FROM users") == 1  # the version it opened
        assert reader.refresh() is True
        assert reader.scalar("SELECT count(*) FROM users") == 2
    finally:
        reader.close()


def test_a_folder_or_a_foreign_file_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path, read_only=True)
    text = tmp_path / "notes.txt"
    text.write_text("hello " * 1000)
    with pytest.raises(StoreError, match="not an idpilot store"):
        Store.open(text, read_only=True)
    with pytest.raises(StoreError, match="not an idpilot store"), new_version(text):
        pass
    assert text.read_text() == "hello " * 1000


def test_empty_store_says_how_to_fill_it(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    Store.open(path).close()
    with Store.open(path, read_only=True) as store:
        assert store.is_empty()
        with pytest.raises(StoreError, match=r"is empty.*idpilot ingest DIR.*idpilot demo"):
            store.require_records()


class _CountingConnection:
    """A connection that counts the statements run through it."""

    def __init__(self, con: object) -> None:
        self.con, self.statements = con, 0

    def execute(self, *args: object) -> object:
        self.statements += 1
        return self.con.execute(*args)  # type: ignore[attr-defined]


def test_a_reader_reads_its_tables_once_per_version(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    with new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "one", ["u1"]))
    reader = Store.open(path, read_only=True)
    try:
        counting = _CountingConnection(reader.con)
        reader.con = counting  # type: ignore[assignment]
        first = reader.tables()
        assert "users" in first and reader.tables() == first
        reader.require_records()
        assert counting.statements == 1  # the emptiness probe; the tables were known
        with new_version(path) as store:
            ingest_folder(store, _snapshot(tmp_path / "two", ["u1", "u2"]))
            store.con.execute("CREATE TABLE added_later (x INTEGER)")
        assert "added_later" not in reader.tables()  # the version it opened
        reader.con = counting.con
        assert reader.refresh() is True
        assert "added_later" in reader.tables()
    finally:
        reader.close()


def test_a_writer_sees_the_tables_it_creates(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store.duckdb") as store:
        assert "added_later" not in store.tables()
        store.con.execute("CREATE TABLE added_later (x INTEGER)")
        assert "added_later" in store.tables()


@pytest.mark.parametrize(("listing", "kept"), [("complete", {"u2"}), ("partial", {"u1", "u2"})])
def test_a_complete_listing_deletes_what_it_lacks_a_partial_one_adds(
    tmp_path: Path, listing: str, kept: set[str]
) -> None:
    path = tmp_path / "store.duckdb"
    with Store.open(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "one", ["u1"]))
        second = _snapshot(tmp_path / "two", ["u2"])
        (second / "manifest.json").write_text(json.dumps({"listing": listing}))
        ingest_folder(store, second)
    assert _users(path) == kept


def test_an_unknown_listing_is_refused_by_name(tmp_path: Path) -> None:
    folder = _snapshot(tmp_path / "one", ["u1"])
    (folder / "manifest.json").write_text(json.dumps({"listing": "some"}))
    with (
        Store.open(tmp_path / "store.duckdb") as store,
        pytest.raises(SnapshotError, match="listing"),
    ):
        ingest_folder(store, folder)
