"""Fixtures: the small administration tenant, ingested once per session."""

from __future__ import annotations

import pytest

from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

from .tenant import write_tenant


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    folder = write_tenant(tmp_path_factory.mktemp("admin") / "snapshot")
    opened = Store.open(tmp_path_factory.mktemp("admin_store") / "store.duckdb")
    ingest_folder(opened, folder)
    yield opened
    opened.close()
