"""Fixture stores for the sign-in, what-if and coverage skills."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from idpilot.store import Store
from signin.tenant import build_tenant


@pytest.fixture(scope="session")
def tenant_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture tenant's store, built once."""
    root = tmp_path_factory.mktemp("tenant")
    return build_tenant(root / "snapshot", root / "store.duckdb")


@pytest.fixture
def store(tenant_path: Path) -> Iterator[Store]:
    """The fixture tenant, opened read-only."""
    with Store.open(tenant_path, read_only=True) as opened:
        yield opened
