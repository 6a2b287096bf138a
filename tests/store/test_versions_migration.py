"""Migration 008: the version tables; a store with data starts its history with it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import orjson

from idpilot.model.collections import Collection
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.history import list_versions, states_between
from idpilot.store.migrations import available_migrations
from tests.store.older_store import store_before

USER = {"id": "u1", "displayName": "Ann", "department": "Sales"}


def _store_before_008(path: Path) -> None:
    con = store_before(path, 8)
    con.execute(
        "INSERT INTO users (id, displayName, raw) VALUES (?, ?, ?)",
        [USER["id"], USER["displayName"], orjson.dumps(USER).decode()],
    )
    con.execute("INSERT INTO ingests VALUES (now(), now(), 'old', 1, 1, 1)")
    con.close()


def test_every_directory_collection_is_kept_per_version() -> None:
    sql = "".join(m.sql for m in available_migrations() if m.version >= 8)
    versioned = {c.value for c in Collection if c.is_versioned}
    backfilled = set(re.findall(r"SELECT '(\w+)', id, 1", sql))
    assert backfilled == versioned
    assert not versioned & {"signIns", "directoryAudits", "riskDetections"}


def test_an_older_store_starts_its_history_with_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _store_before_008(path)
    with Store.open(path) as store:
        [baseline] = list_versions(store)
        assert (baseline.version, baseline.kind) == (1, "baseline")
        folder = tmp_path / "snap"
        folder.mkdir()
        moved = dict(USER, department="Finance")
        (folder / "users.json").write_text(json.dumps({"value": [moved]}))
        assert ingest_folder(store, folder).version == 2
        [change] = states_between(store, 1, 2)
        assert (change.collection, change.id) == ("users", "u1")
        assert json.loads(change.before)["department"] == "Sales"
        assert json.loads(change.after)["department"] == "Finance"


def test_a_new_store_has_no_baseline(tmp_path: Path) -> None:
    with Store.open(tmp_path / "new.duckdb") as store:
        assert list_versions(store) == []
