"""`idpilot ask` charges the user's daily units in the app state the API charges: a limit set
low refuses the next prompt with the time capacity returns, and the refusal costs nothing; the
prompt-size limit is a setting, and a prompt over it costs nothing either."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idpilot.cli.app import app
from idpilot.state.costs import PROMPT_UNITS, skill_units
from tests.fixture_tenant import store_ingested_through_cli


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture tenant, its app state beside it, charged to the user 'ana'."""
    path = store_ingested_through_cli(tmp_path, "--quiet")
    monkeypatch.delenv("IDPILOT_STATE", raising=False)
    monkeypatch.setenv("IDPILOT_USER", "ana")
    return path


def _ask(store: Path, prompt: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["ask", prompt, "--offline", "--store", str(store)])
    return result.exit_code, result.output


def _usage(store: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["usage", "--json", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_low_limit_refuses_the_next_prompt_with_the_return_time_at_no_cost(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cost = PROMPT_UNITS + skill_units("user_details")
    monkeypatch.setenv("IDPILOT_QUOTA_UNITS_PER_DAY", str(cost))
    code, _ = _ask(store_path, "Who is Bob Stone?")
    assert code == 0
    [row] = _usage(store_path)
    assert row["user"] == "ana" and row["units"] == cost
    code, output = _ask(store_path, "Who is Bob Stone?")
    assert code == 2
    assert "Capacity returns at" in output and "T00:00:00Z" in output
    assert _usage(store_path)[0]["units"] == cost  # the refusal charged nothing


def test_the_prompt_size_limit_is_a_setting_and_a_long_prompt_costs_nothing(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDPILOT_MAX_PROMPT_CHARS", "20")
    code, output = _ask(store_path, "Who is Bob Stone, and what are his roles?")
    assert code == 2
    assert "the limit is 20" in output and "IDPILOT_MAX_PROMPT_CHARS" in output
    assert _usage(store_path) == []
    code, _ = _ask(store_path, "Who is Bob Stone?")  # 17 characters
    assert code == 0
