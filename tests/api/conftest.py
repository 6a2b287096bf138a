"""The API served by a real uvicorn on loopback over a private copy of the demo store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.served import Served, private_store, served
from tests.conftest import DemoTenant


@pytest.fixture(scope="session")
def demo_store(demo_tenant: DemoTenant, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the demo tenant's store, for servers to read."""
    return private_store(tmp_path_factory.mktemp("api-store"), demo_tenant.store)


@pytest.fixture(scope="session")
def api(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the session (tests that change limits or the clock start their own)."""
    state = tmp_path_factory.mktemp("api-state") / "state.duckdb"
    with served(demo_store, state) as running:
        yield running
