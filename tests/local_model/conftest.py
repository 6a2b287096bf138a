"""The local model `make test-llm` serves (`idpilot.llm.local_server`), and the fixture tenant.

Each module here is marked `llm` (`pytestmark`) and left out of `make test`; without a configured
endpoint they fail (they never skip): `make test-llm` runs them with the server up.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from idpilot.llm import client as llm_client
from idpilot.llm.client import ChatModel, model_from_settings
from idpilot.store import Store
from tests.fixture_tenant import store_ingested_in_process


@pytest.fixture(scope="module")
def tenant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The fixture tenant, ingested."""
    with store_ingested_in_process(tmp_path_factory.mktemp("tenant")) as store:
        yield store


@pytest.fixture
def local_model(monkeypatch: pytest.MonkeyPatch) -> ChatModel:
    """The served model (requests allowed, to loopback only: the network guard still holds)."""
    monkeypatch.setattr(llm_client, "ALLOW_MODEL_REQUESTS", True)
    model = model_from_settings()
    if model is None:
        pytest.fail("no model endpoint: run these through `make test-llm` (IDPILOT_LLM_BASE_URL)")
    return model
