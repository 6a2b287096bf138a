"""The tenant's words a prompt is read against (cities, departments) are read once per store
version, however many readers a server gives that version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idpilot.copilot.understanding import understand
from idpilot.sources.ingest import ingest_folder
from idpilot.store.published import PublishedStore
from idpilot.store.versions import new_version


def _publish(store_path: Path, folder: Path, users: list[str]) -> None:
    folder.mkdir(parents=True)
    (folder / "users.json").write_text(json.dumps([{"id": u, "displayName": u} for u in users]))
    with new_version(store_path) as store:
        ingest_folder(store, folder)


def test_readers_of_one_version_share_its_vocabulary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[object] = []
    cities = understand.sign_in_cities
    monkeypatch.setattr(understand, "sign_in_cities", lambda store: read.append(1) or cities(store))
    path = tmp_path / "tenant.duckdb"
    _publish(path, tmp_path / "one", ["u1"])
    served = PublishedStore(path)
    for _ in range(3):
        with served.reading() as store:
            understand.known_cities(store)
    assert len(read) == 1
    _publish(path, tmp_path / "two", ["u1", "u2"])
    with served.reading() as store:
        understand.known_cities(store)
    assert len(read) == 2  # a new version is read again
    served.close()
