"""`idpilot chat` keeps its session in the app state (/history, /feedback, /new, --session to
continue it) and runs promptbooks; `idpilot promptbook list | show | run`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idpilot.cli.app import app, load_commands
from tests.fixture_tenant import BOB, store_ingested_through_cli

load_commands()

TWO_STEPS = """\
name: bob-and-groups
title: Bob and his groups
description: Who a user is, then their groups.
parameters:
  - name: who
    description: the user
steps:
  - id: profile
    prompt: Who is {who}?
  - prompt: what groups is {profile.subject} in?
"""


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture tenant ingested; its app state beside it, fresh for this module."""
    return store_ingested_through_cli(tmp_path_factory.mktemp("chat"))


@pytest.fixture(autouse=True)
def _state_beside_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IDPILOT_STATE", raising=False)


def _chat(store_path: Path, lines: list[str], *more: str) -> str:
    result = CliRunner().invoke(
        app, ["chat", "--offline", "--store", str(store_path), *more], input="\n".join(lines) + "\n"
    )
    assert result.exit_code == 0, result.output
    return result.output


def _session_id(output: str) -> str:
    return output.split("session ", 1)[1].split()[0]


def test_a_chat_is_kept_rated_and_continued(store_path: Path) -> None:
    first = _chat(
        store_path,
        ["Who is Bob Stone?", "/feedback down incomplete no manager shown", "/history", "exit"],
    )
    assert "feedback kept: down (incomplete)" in first
    assert "Who is Bob Stone?" in first  # the history lists the question
    session_id = _session_id(first)
    exported = CliRunner().invoke(app, ["feedback", "export", "--store", str(store_path)])
    lines = [json.loads(line) for line in exported.output.splitlines()]
    mine = [line for line in lines if line["session_id"] == session_id]
    assert [(m["prompt"], m["comment"]) for m in mine] == [
        ("Who is Bob Stone?", "no manager shown")
    ]
    assert f"user:{BOB}" in mine[0]["cited"]

    continued = _chat(
        store_path, ["what groups is he in?", "/history", "exit"], "--session", session_id
    )
    assert f"Continuing session {session_id} (1 turns)" in continued
    assert "Finance Approvers" in continued  # "he" is Bob, from the kept session
    assert continued.count("Who is Bob Stone?") == 1 and "what groups is he in?" in continued


def test_new_forgets_the_earlier_questions(store_path: Path) -> None:
    output = _chat(
        store_path, ["Who is Bob Stone?", "/new", "what groups is he in?", "/history", "exit"]
    )
    assert "New session" in output
    after_new = output.split("New session", 1)[1]
    assert "Finance Approvers" not in after_new
    assert "Who is Bob Stone?" not in after_new  # the new session's history has one question


def test_chat_commands_misused_say_how_to_use_them(store_path: Path) -> None:
    output = _chat(
        store_path,
        ["/feedback up", "Who is Bob Stone?", "/feedback down", "/feedback sideways",
         "/promptbook nope", "/promptbook troubleshoot-sign-in", "/nope", "/help", "exit"],
    )  # fmt: skip
    assert "ask something first" in output
    assert "needs a category first: inaccurate, incomplete, unclear, offensive, other" in output
    assert "/feedback up [comment] or /feedback down CATEGORY [comment]" in output
    assert "No promptbook is named 'nope'" in output
    assert "needs the parameter user" in output
    assert "unknown command '/nope'" in output and "/promptbook [NAME" in output


def test_a_promptbook_file_runs_in_a_kept_session(store_path: Path, tmp_path: Path) -> None:
    book = tmp_path / "bob.yaml"
    book.write_text(TWO_STEPS)
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["promptbook", "run", str(book), "--param", "who=Bob Stone", "--json", "--offline",
         "--store", str(store_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    run = json.loads(result.output)
    assert [s["prompt"] for s in run["steps"]] == [
        "Who is Bob Stone?",
        f"what groups is {run['steps'][0]['objects']['subject']} in?",
    ]
    assert BOB in {c["id"] for c in run["steps"][1]["answer"]["citations"]}
    continued = _chat(store_path, ["/history", "exit"], "--session", run["session_id"])
    assert "(2 turns)" in continued


def test_promptbook_list_show_and_a_missing_parameter(store_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["promptbook", "list"])
    shown = runner.invoke(app, ["promptbook", "show", "troubleshoot-sign-in"])
    missing = runner.invoke(
        app, ["promptbook", "run", "troubleshoot-sign-in", "--store", str(store_path)]
    )
    assert listed.exit_code == shown.exit_code == 0
    assert "respond-to-password-spray" in listed.output
    assert "What does error {failures.top_error} mean?" in shown.output
    assert missing.exit_code == 2 and "needs the parameter user" in missing.output
