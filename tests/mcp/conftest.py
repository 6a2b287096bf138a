"""The MCP server over a private copy of the demo store, each test with its own app state
(this folder has no __init__.py, so that `tests/` on sys.path does not hide the `mcp` SDK)."""

from __future__ import annotations

from pathlib import Path

import pytest

from idpilot.api.config import ServerConfig
from tests.api.served import private_store
from tests.conftest import DemoTenant


@pytest.fixture(scope="session")
def mcp_store(demo_tenant: DemoTenant, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the demo tenant's store, for MCP servers to read."""
    return private_store(tmp_path_factory.mktemp("mcp-store"), demo_tenant.store)


@pytest.fixture
def config(mcp_store: Path, tmp_path: Path) -> ServerConfig:
    """A server configuration over the store, offline, with a fresh app state."""
    return ServerConfig(store=mcp_store, state=tmp_path / "state.duckdb", use_model=False)
