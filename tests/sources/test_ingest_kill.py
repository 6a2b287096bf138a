"""A kill -9 in the middle of an ingest leaves the store exactly as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

import idpilot
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.versions import lock_path, new_version, next_path
from tests.sources.test_ingest import fingerprint

SIGN_INS = 300_000
CLI = "from idpilot.cli import main; main()"
DRIVER = """
import sys
from pathlib import Path
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

store = Store.open(sys.argv[1])
ingest_folder(store, Path(sys.argv[2]), on_stage=lambda name: print("stage", name, flush=True))
store.close()
print("done", flush=True)
"""


def _big_snapshot(folder: Path) -> None:
    folder.mkdir()
    (folder / "groups.json").write_text(
        json.dumps({"value": [{"id": "g-new", "displayName": "N"}]})
    )
    with (folder / "signIns.jsonl").open("wb") as handle:
        for n in range(SIGN_INS):
            record = {
                "id": f"s{n}",
                "createdDateTime": "2026-01-01T00:00:00Z",
                "userId": f"u{n % 500}",
                "status": {"errorCode": 0, "failureReason": None},
                "location": {"city": "Redmond", "countryOrRegion": "US"},
            }
            handle.write(orjson.dumps(record) + b"\n")


@pytest.mark.slow
def test_kill_9_mid_ingest_leaves_the_store_unchanged(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline"
    baseline.mkdir()
    (baseline / "groups.json").write_text(json.dumps([{"id": "g-old", "displayName": "Old"}]))
    path = tmp_path / "store.duckdb"
    with Store.open(path) as store:
        ingest_folder(store, baseline)
        before = fingerprint(store)
    _big_snapshot(tmp_path / "big")

    source = Path(idpilot.__file__).parents[1]  # this checkout's code, not an installed copy
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(path), str(tmp_path / "big")],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(source)},
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "stage signIns":
            break
    time.sleep(0.2)
    still_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert still_running, "ingest finished before the kill; make the snapshot bigger"

    with Store.open(path) as store:
        assert fingerprint(store) == before
        # And the store still works: the same folder ingests completely afterwards.
        report = ingest_folder(store, tmp_path / "big")
        assert report.records["signIns"] == SIGN_INS


@pytest.mark.slow
def test_kill_9_of_the_ingest_command_leaves_the_published_store(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline"
    baseline.mkdir()
    (baseline / "groups.json").write_text(json.dumps([{"id": "g-old", "displayName": "Old"}]))
    path = tmp_path / "store.duckdb"
    with new_version(path) as store:
        ingest_folder(store, baseline)
    with Store.open(path, read_only=True) as store:
        before = fingerprint(store)
    _big_snapshot(tmp_path / "big")

    source = Path(idpilot.__file__).parents[1]
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "ingest", "-q", str(tmp_path / "big"), "--store", str(path)],
        env={**os.environ, "PYTHONPATH": str(source)},
    )
    deadline = time.monotonic() + 120
    while not next_path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    still_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert still_running, "ingest finished before the kill; make the snapshot bigger"

    with Store.open(path, read_only=True) as store:
        assert fingerprint(store) == before
    # The next ingest discards the half-built version and completes.
    with new_version(path) as store:
        assert ingest_folder(store, tmp_path / "big").records["signIns"] == SIGN_INS
    assert not next_path(path).exists() and not lock_path(path).exists()
