"""Shared fixtures: reference Graph examples, fresh stores, and a guard against the network."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from idpilot.llm import client as llm_client
from idpilot.skills import Skill, SkillResult
from idpilot.sources.demo import DemoSummary, generate_demo_tenant
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.built_once import built_once, private_copy
from tests.skill_facts import facts_problems

EVALUATION = Path(__file__).parent / "evaluation"
BROWSER_TESTS = Path(__file__).parent / "web"
"""Playwright's sync API marks its event loop running on the thread while its browser is open."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The evaluation sets (`tests/evaluation/`) carry the `evaluation` marker: `make test`
    leaves them to `make test-eval` (both run in CI)."""
    for item in items:
        if EVALUATION in item.path.parents:
            item.add_marker(pytest.mark.evaluation)


@dataclass
class DemoTenant:
    """The default demo tenant, ingested: its store, answer key, snapshot folder and what the
    generator reported."""

    store: Store
    answer_key: dict[str, Any]
    folder: Path
    summary: DemoSummary


def _build_demo_tenant(folder: Path) -> DemoSummary:
    """Generate the default demo tenant into `folder`/tenant and ingest it into demo.duckdb."""
    summary = generate_demo_tenant(folder / "tenant")
    with Store.open(folder / "demo.duckdb") as store:
        ingest_folder(store, folder / "tenant")
    return summary


@pytest.fixture(scope="session")
def demo_tenant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoTenant]:
    """Generated and ingested once per test run (its snapshot folder shared by every xdist
    worker, each with its own copy of the store); tests only read it."""
    built, summary = built_once(tmp_path_factory, "demo", _build_demo_tenant)
    store = private_copy(built / "demo.duckdb", tmp_path_factory.mktemp("demo"))
    answer_key = json.loads(Path(summary.scenarios_path).read_text())
    yield DemoTenant(store, answer_key, built / "tenant", summary)
    store.close()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection outside loopback fails the test: idpilot works offline."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise AssertionError(f"test tried to reach the network: {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _no_event_loop_left_running(request: pytest.FixtureRequest) -> None:
    """A test starts with no asyncio event loop running on its thread (the browser tests'
    own aside): a fixture that leaves one makes every later `asyncio.run` in the same process
    fail, whichever test pytest-xdist runs there next."""
    if BROWSER_TESTS in request.node.path.parents:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    pytest.fail(f"an event loop was left running on this thread by an earlier fixture: {loop}")


@pytest.fixture(autouse=True)
def _no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real model requests fail the test: use ScriptedModel, FunctionModel or the loopback."""
    monkeypatch.setattr(llm_client, "ALLOW_MODEL_REQUESTS", False)


@pytest.fixture(autouse=True)
def _skill_facts_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every skill run in any test returns the facts model its skill declares."""
    real_run = Skill.run

    def checked(self: Skill, store: Store, params: Any) -> SkillResult:
        result = real_run(self, store, params)
        problems = facts_problems(self, result)
        assert not problems, problems
        return result

    monkeypatch.setattr(Skill, "run", checked)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A new, empty store on disk."""
    opened = Store.open(tmp_path / "store.duckdb")
    yield opened
    opened.close()
