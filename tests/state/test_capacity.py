"""Capacity: one cost table (prompt, skills by name, model tokens), admitted then settled."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from idpilot.copilot.trace import Step, StepOrigin, Trace
from idpilot.skills import default_registry
from idpilot.state.capacity import admit, answer_within_capacity, settle
from idpilot.state.costs import (
    PROMPT_UNITS,
    SKILL_UNITS,
    TOKENS_PER_UNIT,
    answer_units,
    model_units,
    skill_units,
)
from idpilot.state.quota import QuotaExceededError
from idpilot.store.app_state import open_app_state

NOW = datetime(2026, 12, 6, 22, 30, tzinfo=UTC)


def test_every_built_in_skill_declares_its_cost() -> None:
    names = {skill.name for skill in default_registry().all()}
    assert names == set(SKILL_UNITS)
    assert all(units >= 1 for units in SKILL_UNITS.values())


@pytest.mark.parametrize(
    ("tokens", "units"), [(0, 0), (1, 1), (TOKENS_PER_UNIT, 1), (TOKENS_PER_UNIT + 1, 2)]
)
def test_model_tokens_cost_a_unit_per_thousand_begun(tokens: int, units: int) -> None:
    assert model_units(tokens) == units


def _trace(*tools: str, invalid: str | None = None, tokens: int = 0) -> Trace:
    steps = [Step(n=i + 1, tool=tool, status="ok") for i, tool in enumerate(tools)]
    if invalid:
        steps.append(Step(n=9, tool=invalid, status="invalid", origin=StepOrigin.model))
    return Trace(steps=steps, total_tokens=tokens)


def test_an_answer_costs_its_prompt_its_skills_and_its_tokens() -> None:
    trace = _trace("user_details", "posture_assessment", invalid="reset_password", tokens=2500)
    expected = PROMPT_UNITS + skill_units("user_details") + skill_units("posture_assessment") + 3
    assert answer_units(trace) == expected
    assert answer_units(_trace()) == PROMPT_UNITS  # "what can you do?" runs no skill


def test_a_prompt_over_the_limit_is_refused_with_the_return_time_and_costs_nothing(
    tmp_path: Path,
) -> None:
    with open_app_state(tmp_path / "state.duckdb") as state:
        admit(state, "ana", 3, NOW)
        settle(state, "ana", _trace("user_details", "ca_whatif"), NOW)  # 1 + 1 + 2 = 4 units
        assert state.units_used("ana", NOW.date()) == 4  # done work counts past the limit
        with pytest.raises(QuotaExceededError) as refused:
            admit(state, "ana", 3, NOW)
        assert state.units_used("ana", NOW.date()) == 4
    assert "Capacity returns at 2026-12-07T00:00:00Z" in str(refused.value)
    assert refused.value.retry_after == 90 * 60


def test_answer_within_capacity_never_runs_a_refused_prompt(tmp_path: Path) -> None:
    path = tmp_path / "state.duckdb"
    ran: list[str] = []

    class Answered:
        trace = _trace("risky_users")

    def answer() -> Answered:
        ran.append("ran")
        return Answered()

    assert answer_within_capacity(path, "bo", 2, answer, lambda: NOW).trace.steps
    with pytest.raises(QuotaExceededError):
        answer_within_capacity(path, "bo", 2, answer, lambda: NOW)
    assert ran == ["ran"]
    with open_app_state(path) as state:
        assert state.units_used("bo", NOW.date()) == PROMPT_UNITS + skill_units("risky_users")
