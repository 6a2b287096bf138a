"""A store holding the Log Analytics fixture snapshot, built once for the KQL tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from store.log_analytics_fixture import build_store

from idpilot.store import Store


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file on disk (the CLI opens it read-only)."""
    folder = tmp_path_factory.mktemp("kql")
    path = folder / "store.duckdb"
    build_store(folder / "snapshot", path).close()
    return path


@pytest.fixture
def store(store_path: Path) -> Store:
    opened = Store.open(store_path, read_only=True)
    yield opened
    opened.close()
