"""Broken snapshot files are refused with the file, line and column, never a traceback."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from idpilot.errors import SnapshotError
from idpilot.sources.ingest import ingest_folder
from idpilot.sources.snapshot_files import MAX_NESTING
from idpilot.store import Store
from tests.sources.test_ingest import fingerprint


def _folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "snap"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def _refused(store: Store, folder: Path) -> SnapshotError:
    before = fingerprint(store)
    with pytest.raises(SnapshotError) as caught:
        ingest_folder(store, folder)
    assert fingerprint(store) == before
    return caught.value


def test_a_gz_file_that_is_not_gzip_is_named(tmp_path: Path, store: Store) -> None:
    folder = _folder(tmp_path, {"users.json.gz": b'[{"id": "u1"}]'})
    error = _refused(store, folder)
    assert error.path == folder / "users.json.gz"
    assert "gzip" in error.reason and "rename it without .gz" in error.reason


def test_a_corrupt_gzip_stream_is_named(tmp_path: Path, store: Store) -> None:
    packed = gzip.compress(json.dumps([{"id": f"u{n}"} for n in range(500)]).encode())
    folder = _folder(tmp_path, {"users.json.gz": packed[: len(packed) // 2]})
    error = _refused(store, folder)
    assert error.path == folder / "users.json.gz"
    assert "gzip" in error.reason


def test_a_corrupt_gzip_json_lines_file_is_named(tmp_path: Path, store: Store) -> None:
    lines = "\n".join(json.dumps({"id": f"u{n}"}) for n in range(500)).encode()
    packed = bytearray(gzip.compress(lines))
    packed[40:60] = b"\x00" * 20
    folder = _folder(tmp_path, {"users.jsonl.gz": bytes(packed)})
    error = _refused(store, folder)
    assert error.path == folder / "users.jsonl.gz"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("users.json", b"[" * 100_000 + b"]" * 100_000),
        ("users.json", b'[{"id": "u1", "x": ' + b'{"a": ' * 5_000 + b"1" + b"}" * 5_000 + b"}]"),
        ("users.jsonl", b'{"id": "u0"}\n{"id": "u1", "x": ' + b"[" * 5_000 + b"]" * 5_000 + b"}\n"),
        ("users.json", b'{"value": [{"id": "u1"}]}\n' + b"[" * 100_000 + b"]" * 100_000),
    ],
)
def test_deep_nesting_is_refused_where_it_passes_the_limit(
    tmp_path: Path, store: Store, name: str, content: bytes
) -> None:
    folder = _folder(tmp_path, {name: content})
    error = _refused(store, folder)
    assert f"nested more than {MAX_NESTING} levels" in error.reason
    assert error.line is not None and error.column is not None
    expected_line = 2 if content.count(b"\n") and not content.startswith(b"[[") else 1
    assert error.line == expected_line


def test_a_truncated_file_points_where_the_data_ends(tmp_path: Path, store: Store) -> None:
    text = '{"value": [\n  {"id": "u1", "displayName": "A"},\n  {"id": "u2", "displayN'
    folder = _folder(tmp_path, {"users.json": text.encode()})
    error = _refused(store, folder)
    assert (error.line, error.column) == (3, len('  {"id": "u2", "displayN') + 1)
    assert "truncated" in error.reason


def test_a_truncated_json_lines_record_points_at_its_line(tmp_path: Path, store: Store) -> None:
    folder = _folder(tmp_path, {"users.jsonl": b'{"id": "u1"}\n{"id": "u2", "displ\n'})
    error = _refused(store, folder)
    assert (error.line, error.column) == (2, len('{"id": "u2", "displ') + 1)


@pytest.mark.parametrize(
    ("content", "said"),
    [(b"", "is empty (0 bytes)"), (b"  \n\n\t", "holds only blank space")],
)
def test_a_blank_collection_file_is_warned_about(
    tmp_path: Path, store: Store, content: bytes, said: str
) -> None:
    folder = _folder(tmp_path, {"groups.json": content, "users.json": b'[{"id": "u1"}]'})
    report = ingest_folder(store, folder)
    assert f"groups.json {said}: no groups read from it" in report.warnings
    assert report.records["users"] == 1


def test_a_blank_gzip_file_is_warned_about(tmp_path: Path, store: Store) -> None:
    folder = _folder(tmp_path, {"groups.json.gz": gzip.compress(b"\n \n"), "users.json": b"[]"})
    report = ingest_folder(store, folder)
    assert any(w.startswith("groups.json.gz holds only blank space") for w in report.warnings)


def test_an_empty_list_is_not_a_blank_file(tmp_path: Path, store: Store) -> None:
    folder = _folder(tmp_path, {"users.json": b'{"value": []}'})
    assert ingest_folder(store, folder).warnings == []


def test_a_manifest_nested_too_deeply_is_refused(tmp_path: Path, store: Store) -> None:
    folder = _folder(
        tmp_path, {"users.json": b"[]", "manifest.json": b"[" * 50_000 + b"]" * 50_000}
    )
    error = _refused(store, folder)
    assert error.path == folder / "manifest.json"
