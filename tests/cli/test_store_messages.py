"""What every command says about a store it cannot use: empty, missing, busy, misconfigured."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import idpilot.cli
from idpilot.cli.app import app
from idpilot.store import Store

for _module in pkgutil.iter_modules(idpilot.cli.__path__):
    importlib.import_module(f"idpilot.cli.{_module.name}")

READING_COMMANDS = [
    ["ask", "who are the global admins?", "--offline"],
    ["ask", "who are the global admins?", "--offline", "--json"],
    ["kql", "SigninLogs | take 1"],
    ["chat", "--offline"],
    ["whatif", "--user", "someone@example.test"],
    ["ca", "replay"],
]  # `eval` first asks for the demo's answer key, and says `idpilot demo` writes it


@pytest.fixture
def empty_store(tmp_path: Path) -> Path:
    """A store with idpilot's tables and no record (as an older failed ingest left them)."""
    path = tmp_path / "empty.duckdb"
    Store.open(path).close()
    return path


@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_command_says_an_empty_store_is_empty_and_how_to_fill_it(
    empty_store: Path, command: list[str]
) -> None:
    result = CliRunner().invoke(app, [*command, "--store", str(empty_store)], input="exit\n")
    assert result.exit_code == 2, result.output
    assert "is empty" in result.output
    assert f"idpilot ingest DIR --store {empty_store}" in result.output
    assert "idpilot demo" in result.output
    assert "No privileged role" not in result.output


def test_a_failed_ingest_into_a_new_path_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "users.json").write_text('[{"id": "u1"}, {"id": "u2"')
    store = tmp_path / "stores" / "new.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--store", str(store)])
    assert result.exit_code == 2
    assert "users.json:1:" in result.output
    assert not (tmp_path / "stores").exists()
    asked = CliRunner().invoke(app, ["ask", "who are the global admins?", "--store", str(store)])
    assert asked.exit_code == 2 and "No store at" in asked.output


def test_a_blank_file_is_warned_about_by_the_command(tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "users.json").write_text(json.dumps([{"id": "u1"}]))
    (folder / "groups.json").write_text("")
    store = tmp_path / "store.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    assert "warning: groups.json is empty (0 bytes)" in result.output


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("IDPILOT_MAX_PROMPT_CHARS", "abc", "IDPILOT_MAX_PROMPT_CHARS='abc': expected a whole"),
        ("IDPILOT_MAX_PROMPT_CHARS", "0", "IDPILOT_MAX_PROMPT_CHARS='0': expected a whole"),
        ("IDPILOT_LLM_PHRASE", "maybe", "IDPILOT_LLM_PHRASE='maybe': expected true or false"),
        ("IDPILOT_STORE_WAIT_SECONDS", "soon", "IDPILOT_STORE_WAIT_SECONDS='soon': expected"),
    ],
)
def test_a_setting_of_the_wrong_kind_is_named(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    said: str,
) -> None:
    store = tmp_path / "store.duckdb"
    with Store.open(store) as opened:
        opened.con.execute("INSERT INTO users (id, raw) VALUES ('u1', '{\"id\": \"u1\"}')")
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(app, ["ask", "who is u1?", "--offline", "--store", str(store)])
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert "Traceback" not in result.output


def test_a_missing_config_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDPILOT_CONFIG", str(tmp_path / "nowhere.toml"))
    monkeypatch.delenv("IDPILOT_STORE", raising=False)
    result = CliRunner().invoke(app, ["ask", "who are the global admins?"])
    assert result.exit_code == 2
    assert "nowhere.toml" in result.output and "no such file" in result.output


def test_a_config_value_of_the_wrong_type_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('max_prompt_chars = "lots"\n')
    monkeypatch.setenv("IDPILOT_CONFIG", str(config))
    store = tmp_path / "store.duckdb"
    with Store.open(store) as opened:
        opened.con.execute("INSERT INTO users (id, raw) VALUES ('u1', '{\"id\": \"u1\"}')")
    result = CliRunner().invoke(app, ["ask", "who is u1?", "--offline", "--store", str(store)])
    assert result.exit_code == 2
    assert f"{config}: max_prompt_chars = 'lots'" in result.output
