"""A store holding the small fixture tenant, built once per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.fixture_tenant import write_fixture_tenant


@pytest.fixture(scope="module")
def tenant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The fixture tenant, ingested."""
    folder = write_fixture_tenant(tmp_path_factory.mktemp("tenant") / "snapshot")
    store = Store.open(Path(folder.parent / "store.duckdb"))
    ingest_folder(store, folder)
    yield store
    store.close()


@pytest.fixture
def copilot(tenant: Store) -> Copilot:
    """A copilot over the fixture tenant."""
    return Copilot(tenant)
