"""`idpilot feedback add | export`: feedback kept in the app state beside the store, exported
as JSON Lines with the answer each line is about."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idpilot.cli.app import app
from idpilot.copilot.answer import Answer, Citation
from idpilot.copilot.trace import SkillCall, Trace
from idpilot.state.paths import state_path
from idpilot.state.sessions import record_answer
from idpilot.store.app_state import open_app_state

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store path whose app state holds one answer (`a1`)."""
    monkeypatch.delenv("IDPILOT_STATE", raising=False)
    path = tmp_path / "tenant.duckdb"
    answer = Answer(
        prompt="who signed in from Iran?",
        answer="Nobody [1].",
        citations=[Citation(n=1, kind="signIn", id="s1", label="a sign-in")],
        skills=[SkillCall(name="sign_in_search")],
        session_id="",
        trace=Trace(intent="sign_in_search"),
        answer_id="a1",
    )
    with open_app_state(state_path(path)) as state:
        record_answer(state, answer, "ana", NOW)
    return path


def test_feedback_added_is_exported_with_its_answer(store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["feedback", "add", "a1", "down", "--category", "inaccurate", "--comment",
         "Two users did", "--store", str(store)],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "down (inaccurate)" in added.output
    out = tmp_path / "feedback.jsonl"
    exported = runner.invoke(app, ["feedback", "export", "--out", str(out), "--store", str(store)])
    assert exported.exit_code == 0, exported.output
    [line] = out.read_text().splitlines()
    item = json.loads(line)
    assert (item["rating"], item["category"], item["comment"]) == (
        "down",
        "inaccurate",
        "Two users did",
    )
    assert (item["prompt"], item["intent"], item["skill"], item["cited"]) == (
        "who signed in from Iran?",
        "sign_in_search",
        "sign_in_search",
        ["signIn:s1"],
    )
    assert item["user"].startswith("local:")
    to_stdout = runner.invoke(app, ["feedback", "export", "--store", str(store)])
    assert to_stdout.output.splitlines() == [line]


def test_a_down_rating_without_a_category_or_an_unknown_answer_exits_2(store: Path) -> None:
    runner = CliRunner()
    no_category = runner.invoke(app, ["feedback", "add", "a1", "down", "--store", str(store)])
    unknown = runner.invoke(app, ["feedback", "add", "zz", "up", "--store", str(store)])
    assert no_category.exit_code == unknown.exit_code == 2
    assert "needs a category" in no_category.output
    assert "No answer has the id 'zz'" in unknown.output
