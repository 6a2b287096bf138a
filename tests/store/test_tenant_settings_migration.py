"""Migration 007: the settings tables, and domains of an older store filled from `raw`."""

from __future__ import annotations

from pathlib import Path

import orjson

from idpilot.model.collections import Collection
from idpilot.posture.tenant_settings import SETTINGS_COLLECTIONS
from idpilot.store import Store
from idpilot.store.columns import collection_columns
from idpilot.store.queries.settings import collections_present
from tests.store.older_store import store_before

DOMAIN = {
    "id": "contoso.com",
    "authenticationType": "Managed",
    "isDefault": True,
    "isRoot": True,
    "isAdminManaged": True,
    "passwordValidityPeriodInDays": 90,
    "passwordNotificationWindowInDays": 14,
    "supportedServices": ["Email"],
}


def _store_before_007(path: Path) -> None:
    con = store_before(path, 7)
    con.execute(
        "INSERT INTO domains (id, isDefault, raw) VALUES (?, true, ?)",
        [DOMAIN["id"], orjson.dumps(DOMAIN).decode()],
    )
    con.close()


def test_an_older_store_gets_the_domain_columns_filled_from_raw(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _store_before_007(path)
    store = Store.open(path)
    assert store.con.execute(
        "SELECT isRoot, isAdminManaged, passwordValidityPeriodInDays, "
        "passwordNotificationWindowInDays, supportedServices FROM domains"
    ).fetchall() == [(True, True, 90, 14, '["Email"]')]
    assert collections_present(store, SETTINGS_COLLECTIONS) == {Collection.domains}


def test_a_store_read_before_007_has_no_settings_tables_but_its_domains(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _store_before_007(path)
    store = Store.open(path, read_only=True)  # not migrated: no 007 tables to read
    assert collections_present(store, SETTINGS_COLLECTIONS) == {Collection.domains}


def test_every_collection_has_a_table_with_raw(store: Store) -> None:
    for collection in Collection:
        names = {c.name for c in collection_columns(store.con, collection)}
        assert "id" in names, collection
        raw = store.con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = ? "
            "AND column_name = 'raw'",
            [collection.value],
        ).fetchone()[0]
        assert raw == 1, collection
