"""What a newcomer hit (issue #8, item 8) and the cold start (issue #9): version, JSON errors,
a closed pipe, the chat prompt, flag help, and commands loaded only when they run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idpilot import __version__
from idpilot.cli.app import (
    EXIT_BROKEN_PIPE,
    app,
    command_modules,
    error_code,
    error_document,
    load_commands,
)
from idpilot.cli.chat import chat_prompt
from idpilot.copilot.session import Session, Turn
from idpilot.errors import PromptError, SnapshotError, StoreError
from idpilot.store.lookup import EntityMatch, MatchQuality
from tests.fixture_tenant import BOB, store_ingested_through_cli

MAIN = "from idpilot.cli import main; main()"  # the `idpilot` script, in a fresh process


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture tenant ingested through the command."""
    return store_ingested_through_cli(tmp_path_factory.mktemp("cli-hardening"), "--quiet")


def test_version_is_printed() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"idpilot {__version__}"


@pytest.mark.parametrize("command", ["ask", "chat", "demo", "eval", "ingest", "kql", "whatif"])
def test_help_shows_no_value_type_on_flags(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=120)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert "--help" in result.output


def test_every_command_module_is_listed_in_help() -> None:
    result = CliRunner().invoke(app, ["--help"])
    for name in ("ask", "ca", "chat", "demo", "eval", "ingest", "kql", "whatif"):
        assert f"  {name} " in result.output


def test_a_user_error_under_json_is_a_json_document(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    result = CliRunner().invoke(app, ["ask", "who is bob", "--json", "--store", str(missing)])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["error"]["code"] == "store"
    assert "idpilot ingest" in document["error"]["message"]


def test_a_usage_error_under_json_is_a_json_document() -> None:
    result = CliRunner().invoke(app, ["ask", "--json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["error"]["code"] == "usage"
    assert "prompt" in document["error"]["message"].lower()


def test_an_error_document_carries_the_snapshot_position_and_no_invisible_character() -> None:
    error = SnapshotError("bad \u202evalue", path=Path("users.json"), line=3, column=7)
    text = error_document(error_code(error), str(error), path="users.json", line=3, column=7)
    assert "\u202e" not in text and "\\u202e" in text  # escaped in the JSON text
    document = json.loads(text)
    assert document == {
        "error": {
            "code": "snapshot",
            "message": "users.json:3:7: bad \u202evalue",
            "path": "users.json",
            "line": 3,
            "column": 7,
        }
    }


def test_error_codes_are_stable() -> None:
    assert error_code(StoreError("x")) == "store"
    assert error_code(PromptError("x")) == "prompt"
    assert error_code(SnapshotError("x", path=Path("users.json"))) == "snapshot"

    class KqlQueryError(Exception):
        pass

    assert error_code(KqlQueryError()) == "kql_query"


def test_a_closed_pipe_ends_quietly(store_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before idpilot writes a byte (`| head -0`)
    try:
        result = subprocess.run(
            [sys.executable, "-c", MAIN, "ask", "Who is Bob Stone?", "--store", str(store_path)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.returncode == EXIT_BROKEN_PIPE
    assert result.stderr == ""


def test_the_chat_prompt_names_the_subject_not_empty_parentheses(store_path: Path) -> None:
    assert chat_prompt(Session()) == "idpilot> "
    session = Session()
    bob = EntityMatch(
        kind="user", id=BOB, label="Bob \x1b[31mStone", phrase="", quality=MatchQuality.id
    )
    session.remember(Turn(prompt="who is bob", skill=None, params={}, subjects=[bob], status="ok"))
    assert chat_prompt(session) == "idpilot (Bob {U+001B}[31mStone)> "
    result = CliRunner().invoke(
        app, ["chat", "--store", str(store_path)], input="Who is Bob Stone?\nexit\n"
    )
    assert result.exit_code == 0, result.output
    assert "idpilot ()" not in result.output
    assert "idpilot> " in result.output and "idpilot (" in result.output


def test_ask_loads_only_its_own_command_and_not_the_kql_translator(store_path: Path) -> None:
    probe = (
        "import sys\n"
        f"sys.argv = ['idpilot', 'ask', 'Who is Bob Stone?', '--store', {str(store_path)!r}]\n"
        "from idpilot.cli import main\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert done.code in (0, None), done\n"
        "print(sorted(m for m in sys.modules if m.startswith('idpilot.cli.') and "
        "not m.startswith('idpilot.cli._') or "
        "m.startswith('duckdb_kql') or m == 'idpilot.sources.ingest'), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded = result.stderr.strip().splitlines()[-1]
    assert loaded == "['idpilot.cli.app', 'idpilot.cli.ask']"


def test_loading_a_command_by_a_name_that_is_not_its_module_loads_them_all() -> None:
    assert "evaluate" in command_modules() and "app" not in command_modules()
    load_commands("eval")
    assert {"idpilot.cli.evaluate", "idpilot.cli.kql"} <= set(sys.modules)
