"""The commands as an admin runs them: exit codes, output, the Answer JSON, a conversation."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import idpilot.cli
from idpilot.cli.app import app
from tests.fixture_tenant import BOB, write_fixture_tenant

for _module in pkgutil.iter_modules(idpilot.cli.__path__):
    importlib.import_module(f"idpilot.cli.{_module.name}")

ANSWER_KEYS = {
    "prompt", "status", "answer", "citations", "evidence", "skills", "next_steps", "followups",
    "kql", "limits", "session_id", "elapsed_ms", "trace", "answer_id",
}  # fmt: skip


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture tenant ingested through the command."""
    folder = write_fixture_tenant(tmp_path_factory.mktemp("cli") / "snapshot")
    path = folder.parent / "store.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "users" in result.output and "added or changed" in result.output
    return path


def test_ingest_of_a_missing_folder_exits_2_with_the_reason(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "nope"), "--store", str(tmp_path / "s.duckdb")]
    )
    assert result.exit_code == 2
    assert "not a folder" in result.output


def test_ask_json_is_the_answer_object(store_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["ask", "Who is Bob Stone?", "--json", "--store", str(store_path)]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert set(answer) == ANSWER_KEYS
    assert answer["status"] == "ok" and answer["skills"][0]["name"] == "user_details"
    assert BOB in {c["id"] for c in answer["citations"]}
    cited = {(c["kind"], c["id"]) for c in answer["citations"]}
    assert cited <= {(e["kind"], e["id"]) for e in answer["evidence"]}


def test_ask_without_a_store_says_how_to_build_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ask", "who is bob", "--store", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2
    assert "idpilot ingest" in result.output


def test_chat_keeps_the_conversation(store_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["chat", "--store", str(store_path)],
        input="Who is Bob Stone?\nwhat groups is he in?\nexit\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("Finance Approvers") >= 2  # both answers are about Bob


def test_demo_then_eval(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(
        app, ["demo", "--out", str(out), "--users", "60", "--days", "2", "--no-tour"]
    )
    assert result.exit_code == 0, result.output
    store = out / "contoso.duckdb"
    assert store.exists() and (out / "scenarios.json").exists()
    scored = CliRunner().invoke(
        app, ["eval", "--store", str(store), "--set", "contoso", "--only", "user-by-upn", "--json"]
    )
    report = json.loads(scored.output)["sets"][0]
    assert report["set"] == "contoso" and report["cases"] == 1
    assert report["accuracy"] == 1.0 and report["hallucinated_entities"] == 0
    assert scored.exit_code == 0, scored.output
    impossible = tmp_path / "impossible.yaml"
    impossible.write_text('- id: impossible\n  prompt: "Who are the global admins?"\n'
                          '  contains: ["no answer ever says 7f3a9c"]\n')  # fmt: skip
    failed = CliRunner().invoke(
        app, ["eval", "--store", str(store), "--cases", str(impossible), "--json"]
    )
    assert json.loads(failed.output)["sets"][0]["accuracy"] == 0.0
    assert failed.exit_code == 1
