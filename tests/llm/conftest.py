"""Fixtures for the LLM tests: the fixture tenant, no LLM settings, and a loopback
OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from idpilot.llm import client as llm_client
from idpilot.settings import SETTINGS
from idpilot.store import Store
from tests.fixture_tenant import store_ingested_in_process

if TYPE_CHECKING:
    from tests.llm.openai_server import OpenAIServer


@pytest.fixture(scope="module")
def tenant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The fixture tenant, ingested."""
    with store_ingested_in_process(tmp_path_factory.mktemp("tenant")) as store:
        yield store


@pytest.fixture
def no_llm_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No IDPILOT_ setting, no Azure or OpenAI key in the environment, an empty config."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    for name in ("AZURE_OPENAI_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "empty.toml").write_text("")
    monkeypatch.setenv("IDPILOT_CONFIG", str(tmp_path / "empty.toml"))
    return monkeypatch


@pytest.fixture(scope="module")
def _server() -> Iterator[OpenAIServer]:
    for extra, module in (("llm", "openai"), ("api", "fastapi"), ("api", "uvicorn")):
        pytest.importorskip(module, reason=f"the {extra} extra is not installed")
    from tests.llm.openai_server import running_openai_server

    with running_openai_server() as server:
        yield server


@pytest.fixture
def openai_server(_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> OpenAIServer:
    """The loopback server, emptied, with real model requests allowed (to loopback only)."""
    _server.reset()
    monkeypatch.setattr(llm_client, "ALLOW_MODEL_REQUESTS", True)
    return _server
