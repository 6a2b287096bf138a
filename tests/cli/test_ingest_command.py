"""`idpilot ingest`: the published store changes only when the whole ingest succeeds."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
from typer.testing import CliRunner

from idpilot.cli.app import app
from idpilot.store import Store
from idpilot.store.versions import lock_path, next_path
from tests.sources.test_ingest import fingerprint


def _sign_ins(path: Path, ids: list[str]) -> None:
    lines = b"".join(orjson.dumps({"id": i, "userId": "u1"}) + b"\n" for i in ids)
    path.write_bytes(gzip.compress(lines))


def _ingest(folder: Path, store: Path) -> object:
    return CliRunner().invoke(app, ["ingest", str(folder), "--store", str(store), "-q"])


def test_a_malformed_file_mid_log_leaves_the_published_store_and_no_next_version(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store.duckdb"
    first = tmp_path / "first"
    first.mkdir()
    (first / "users.json").write_text(json.dumps([{"id": "u1", "displayName": "One"}]))
    _sign_ins(first / "signIns.jsonl.gz", ["old-1", "old-2"])
    assert _ingest(first, store).exit_code == 0
    with Store.open(store, read_only=True) as opened:
        before = fingerprint(opened)

    second = tmp_path / "second"
    second.mkdir()
    for number in range(4):  # the first two files are merged (and committed) before the bad one
        _sign_ins(second / f"signIns.{number:03d}.jsonl.gz", [f"n{number}-{i}" for i in range(3)])
    (second / "signIns.002.jsonl.gz").write_bytes(gzip.compress(b'{"id": "n2-0",\n'))
    result = _ingest(second, store)

    assert result.exit_code != 0
    assert "signIns.002.jsonl.gz" in result.output
    with Store.open(store, read_only=True) as opened:
        assert fingerprint(opened) == before
    assert not next_path(store).exists()
    assert not next_path(store).with_name(next_path(store).name + ".wal").exists()
    assert not lock_path(store).exists()


def test_an_ingest_of_many_log_files_commits_them_all(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    folder = tmp_path / "snap"
    folder.mkdir()
    for number in range(3):
        _sign_ins(folder / f"signIns.{number:03d}.jsonl.gz", [f"s{number}-{i}" for i in range(2)])
    result = _ingest(folder, store)
    assert result.exit_code == 0, result.output
    with Store.open(store, read_only=True) as opened:
        assert opened.scalar("SELECT count(*) FROM signIns") == 6
        assert opened.scalar("SELECT count(*) FROM ingests") == 1
    assert not next_path(store).exists()
