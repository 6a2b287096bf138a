"""An event log's files are staged and merged one at a time; a directory listing's together."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import orjson
import pytest

from idpilot.errors import SettingError, SnapshotError
from idpilot.sources import ingest as ingest_module
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store


def _json_lines_gz(path: Path, records: list[dict[str, object]]) -> None:
    lines = b"".join(orjson.dumps(record) + b"\n" for record in records)
    path.write_bytes(gzip.compress(lines))


@pytest.fixture
def staged_per_merge(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many records were staged at each merge of the ingest."""
    seen: list[int] = []
    merge = ingest_module.merge_staged

    def counting(con: duckdb.DuckDBPyConnection, *args: object) -> int:
        seen.append(con.execute("SELECT count(*) FROM _stage").fetchone()[0])
        return merge(con, *args)

    monkeypatch.setattr(ingest_module, "merge_staged", counting)
    return seen


def test_sign_in_files_are_merged_one_by_one_later_file_winning(
    tmp_path: Path, store: Store, staged_per_merge: list[int]
) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    first = [{"id": f"s{i}", "userId": "u1", "ipAddress": "10.0.0.1"} for i in range(3)]
    second = [{"id": f"s{i}", "userId": "u2", "appId": "a"} for i in range(2, 6)]
    _json_lines_gz(folder / "signIns.001.jsonl.gz", first)
    _json_lines_gz(folder / "signIns.002.jsonl.gz", second)
    report = ingest_folder(store, folder)
    assert staged_per_merge == [3, 4]
    assert report.records == {"signIns": 7}
    rows = store.query("SELECT id, userId, raw FROM signIns ORDER BY id")
    assert [r["id"] for r in rows] == [f"s{i}" for i in range(6)]
    shared = rows[2]  # in both files: the later file's values, the earlier's other properties
    assert shared["userId"] == "u2"
    assert shared["raw"] == {
        "id": "s2",
        "userId": "u2",
        "ipAddress": "10.0.0.1",
        "appId": "a",
    }


def test_a_directory_listing_in_two_files_is_merged_together(
    tmp_path: Path, store: Store, staged_per_merge: list[int]
) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "users.1.json").write_text(json.dumps([{"id": "u1"}, {"id": "u2"}]))
    (folder / "users.2.json").write_text(json.dumps([{"id": "u3"}]))
    report = ingest_folder(store, folder)
    assert staged_per_merge == [3]
    assert report.records == {"users": 3}


def test_the_ingest_runs_within_its_memory_limit_and_restores_it(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    _json_lines_gz(folder / "signIns.jsonl.gz", [{"id": "s1"}])
    before = store.scalar("SELECT current_setting('memory_limit')")
    during: list[str] = []
    merge = ingest_module.merge_staged

    def noting(con: duckdb.DuckDBPyConnection, *args: object) -> int:
        during.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return merge(con, *args)

    monkeypatch.setattr(ingest_module, "merge_staged", noting)
    monkeypatch.setenv("IDPILOT_INGEST_MEMORY_LIMIT", "1GB")
    ingest_folder(store, folder)
    assert during == ["953.6 MiB"]  # DuckDB's reading of 1 GB
    assert store.scalar("SELECT current_setting('memory_limit')") == before


@pytest.mark.parametrize("limit", ["lots", "50", "-1GB", "8GB; DROP TABLE users"])
def test_a_memory_limit_that_is_not_a_size_is_refused(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    _json_lines_gz(folder / "signIns.jsonl.gz", [{"id": "s1"}])
    monkeypatch.setenv("IDPILOT_INGEST_MEMORY_LIMIT", limit)
    with pytest.raises(SettingError, match="IDPILOT_INGEST_MEMORY_LIMIT"):
        ingest_folder(store, folder)
    assert store.scalar("SELECT count(*) FROM signIns") == 0


def _three_sign_in_files(folder: Path, *, broken_middle: bool = False) -> None:
    folder.mkdir()
    for number in range(3):
        path = folder / f"signIns.{number:03d}.jsonl.gz"
        records = [{"id": f"s{number}-{i}", "userId": "u1"} for i in range(2)]
        _json_lines_gz(path, records)
        if broken_middle and number == 1:
            path.write_bytes(gzip.compress(b'{"id": "s1-0", "userId": \n'))


@pytest.fixture
def committed_per_merge(monkeypatch: pytest.MonkeyPatch, store: Store) -> list[int]:
    """Sign-ins another connection sees (committed) when each sign-in file is merged."""
    seen: list[int] = []
    merge = ingest_module.merge_staged

    def looking(con: duckdb.DuckDBPyConnection, *args: object) -> int:
        with store.con.cursor() as other:
            seen.append(other.execute("SELECT count(*) FROM signIns").fetchone()[0])
        return merge(con, *args)

    monkeypatch.setattr(ingest_module, "merge_staged", looking)
    return seen


def test_commit_each_part_commits_each_sign_in_file_as_it_is_merged(
    tmp_path: Path, store: Store, committed_per_merge: list[int]
) -> None:
    _three_sign_in_files(tmp_path / "snap")
    report = ingest_folder(store, tmp_path / "snap", commit_each_part=True)
    assert committed_per_merge == [0, 2, 4]
    assert report.records == {"signIns": 6}
    assert store.scalar("SELECT count(*) FROM signIns") == 6


def test_without_commit_each_part_nothing_is_committed_before_the_end(
    tmp_path: Path, store: Store, committed_per_merge: list[int]
) -> None:
    _three_sign_in_files(tmp_path / "snap")
    ingest_folder(store, tmp_path / "snap")
    assert committed_per_merge == [0, 0, 0]
    assert store.scalar("SELECT count(*) FROM signIns") == 6


def test_a_broken_file_keeps_the_parts_committed_before_it_only_when_asked(
    tmp_path: Path, store: Store
) -> None:
    _three_sign_in_files(tmp_path / "snap", broken_middle=True)
    with pytest.raises(SnapshotError, match=r"signIns\.001\.jsonl\.gz"):
        ingest_folder(store, tmp_path / "snap")
    assert store.scalar("SELECT count(*) FROM signIns") == 0  # one transaction: nothing
    with pytest.raises(SnapshotError, match=r"signIns\.001\.jsonl\.gz"):
        ingest_folder(store, tmp_path / "snap", commit_each_part=True)
    # The first file was committed: the caller (a new version) discards the store.
    assert store.scalar("SELECT count(*) FROM signIns") == 2
    assert store.scalar("SELECT count(*) FROM ingests") == 0
