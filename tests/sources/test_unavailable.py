"""The manifest's `unavailable` collections: kept in the store, cleared when a later ingest
brings them, and refused when malformed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idpilot.errors import SnapshotError
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.queries.settings import unavailable_collections
from tests.fixture_tenant import write_fixture_tenant

REASON = "Graph answered 403: the tenant needs a Microsoft Entra ID P2 licence"


def _refused(folder: Path, unavailable: object) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["unavailable"] = unavailable
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_a_refused_collection_is_kept_with_its_reason_then_cleared(tmp_path: Path) -> None:
    folder = write_fixture_tenant(tmp_path / "snapshot")
    (folder / "riskyUsers.json").unlink()
    _refused(folder, {"riskyUsers": {"status": 403, "reason": REASON}})
    store = Store.open(tmp_path / "s.duckdb")
    try:
        report = ingest_folder(store, folder)
        assert unavailable_collections(store) == {"riskyUsers": REASON}
        assert any("riskyUsers was not readable" in w for w in report.warnings)
        again = write_fixture_tenant(tmp_path / "later")  # brings riskyUsers
        ingest_folder(store, again)
        assert unavailable_collections(store) == {}
    finally:
        store.close()


@pytest.mark.parametrize(
    "unavailable", [["riskyUsers"], {"notACollection": {"reason": "x"}}, {"riskyUsers": {}}]
)
def test_a_malformed_unavailable_list_is_refused(tmp_path: Path, unavailable: object) -> None:
    folder = write_fixture_tenant(tmp_path / "snapshot")
    _refused(folder, unavailable)
    store = Store.open(tmp_path / "s.duckdb")
    try:
        with pytest.raises(SnapshotError, match="unavailable"):
            ingest_folder(store, folder)
    finally:
        store.close()
