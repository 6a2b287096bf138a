"""What a cold `idpilot ask` process loads (issue #9): only what answering offline needs.

The structural cause of a slow start is a module loaded for nothing; these tests look at
`sys.modules` of a fresh `idpilot` process. Time is measured by `bench/bench_cold_start.py`,
never asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixture_tenant import store_ingested_through_cli

NOT_FOR_AN_OFFLINE_ASK = (
    "idpilot.kql",  # the KQL translator
    "duckdb_kql",
    "idpilot.llm",  # the LLM client, its planner and its phrasing
    "idpilot.copilot.planner_llm",
    "idpilot.copilot.phrasing",
    "openai",
    "idpilot.evaluation",
    "idpilot.sources",  # ingest and the demo generator
    "idpilot.posture",
    "tokenizers",  # the prompt is tokenized from the shipped tables, in pure Python
    "safetensors",  # the shipped index and tables are read with numpy alone
    "pycountry",  # country names come from the shipped ISO table
)
"""Packages and modules no cold offline ask imports (a name covers its submodules)."""
NOT_FOR_THIS_SKILL = (
    "idpilot.security.detections.runner",  # a skill's enum must not load every detection
    "idpilot.knowledge.sign_in_errors",  # the error catalogue: YAML and CSV files
    "idpilot.knowledge.primary_authentication",
    "yaml",
    "idpilot.ca_analysis",  # the Conditional Access analyses
    "idpilot.skills.builtin._admin_common",  # the skills' audit helpers and their models
    "idpilot.skills.builtin._audit_facts",
    "idpilot.store.audit",
)
"""What only some skills use (troubleshooting a sign-in does): loaded by the skill that runs,
never by the registry that lists them all."""

NOT_FOR_THE_VERSION = ("duckdb", "numpy", "pydantic", "jinja2", "tokenizers", "idpilot.store")


def _loaded_by(arguments: list[str], environment: dict[str, str] | None = None) -> list[str]:
    """The modules a fresh `idpilot <arguments>` process has loaded when it ends."""
    probe = (
        "import json, sys\n"
        f"sys.argv = ['idpilot', *{arguments!r}]\n"
        "from idpilot.cli import main\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert done.code in (0, None), done\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("IDPILOT_LLM")}
    env.update(environment or {})
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1])


def _within(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture tenant ingested through the command."""
    return store_ingested_through_cli(tmp_path_factory.mktemp("cold-start"), "--quiet")


@pytest.mark.parametrize(
    ("prompt", "skill", "skill_needs_more"),
    [
        ("Why did Bob Stone fail to sign in?", "signin_troubleshoot", True),
        ("Which users are risky?", "risky_users", False),
        ("Who are the global admins?", "role_holders", False),
    ],
)
def test_a_cold_offline_ask_loads_nothing_it_does_not_use(
    store_path: Path, prompt: str, skill: str, skill_needs_more: bool
) -> None:
    loaded = _loaded_by(["ask", prompt, "--offline", "--store", str(store_path)])
    skills = [m for m in loaded if m.startswith("idpilot.skills.builtin.") and "._" not in m]
    assert skills == [f"idpilot.skills.builtin.{skill}"]  # it answered, and loaded no other skill
    assert _within(loaded, NOT_FOR_AN_OFFLINE_ASK) == []
    if skill_needs_more:
        assert _within(loaded, NOT_FOR_THIS_SKILL) != []  # what the other prompts must not load
    else:
        assert _within(loaded, NOT_FOR_THIS_SKILL) == []


def test_an_ask_without_a_configured_model_does_not_load_the_llm_client(
    store_path: Path,
) -> None:
    loaded = _loaded_by(["ask", "Who is Bob Stone?", "--store", str(store_path)])
    assert _within(loaded, ("idpilot.llm",)) == []


def test_an_ask_with_a_configured_model_loads_the_llm_client(store_path: Path) -> None:
    """The other side: the client is there when a model is named (the request itself fails
    over to offline planning, nothing listens on the port)."""
    model = {"IDPILOT_LLM_BASE_URL": "http://127.0.0.1:9/v1", "IDPILOT_LLM_MODEL": "none"}
    loaded = _loaded_by(["ask", "Who is Bob Stone?", "--store", str(store_path)], model)
    assert "idpilot.llm.client" in loaded


def test_the_version_loads_neither_the_store_nor_the_engine() -> None:
    loaded = _loaded_by(["--version"])
    assert _within(loaded, NOT_FOR_THE_VERSION) == []
