"""Evaluating with a model: a failing or invalid model scores exactly as offline; the figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import idpilot.cli.evaluate  # noqa: F401  (registers the command on the app)
from idpilot.cli._model_eval import RunFigures, comparison
from idpilot.cli.app import app
from idpilot.copilot.request_draft import TOOL_NAME
from idpilot.copilot.trace import ModelCallRecord, Step, StepOrigin, Trace
from idpilot.evaluation.cases import EvalCase, default_case_files, load_cases
from idpilot.evaluation.model_figures import ModelFigures
from idpilot.evaluation.runner import EvalReport, run_evaluation
from idpilot.evaluation.sets import SetResult
from idpilot.llm import ChatMessage, FunctionModel, LLMError, ModelTurn, ToolCall
from tests.conftest import DemoTenant

CASES = 24
"""The first cases of the shipped set: enough kinds of question, quick to ask twice."""


@pytest.fixture(scope="module")
def cases() -> list[EvalCase]:
    """The first CASES shipped cases."""
    return load_cases(default_case_files())[:CASES]


@pytest.fixture(scope="module")
def offline(demo_tenant: DemoTenant, cases: list[EvalCase]) -> EvalReport:
    """The cases answered offline."""
    return run_evaluation(demo_tenant.store, cases, demo_tenant.answer_key)


def _failing(messages: list[ChatMessage], tools: list[dict[str, object]]) -> ModelTurn:
    raise LLMError("model 'm' at http://127.0.0.1:1/v1 did not answer")


def _invalid(messages: list[ChatMessage], tools: list[dict[str, object]]) -> ModelTurn:
    call = ToolCall(id="c1", name=TOOL_NAME, arguments={"scope": "tenant", "intent": "weather"})
    return ModelTurn(tool_calls=[call])


@pytest.mark.parametrize("reply", [_failing, _invalid], ids=["model-error", "invalid-twice"])
def test_a_model_that_cannot_plan_scores_exactly_as_offline(
    demo_tenant: DemoTenant, cases: list[EvalCase], offline: EvalReport, reply: object
) -> None:
    model = FunctionModel(reply)  # type: ignore[arg-type]
    with_model = run_evaluation(demo_tenant.store, cases, demo_tenant.answer_key, model)
    assert [s.passed for s in with_model.scores] == [s.passed for s in offline.scores]
    assert with_model.hallucinated == offline.hallucinated == 0
    figures = ModelFigures.of(with_model.traces())
    assert figures.planned_by_model == 0
    assert figures.fallbacks == figures.answers == len(with_model.scored)
    per_answer = 1 if reply is _failing else 2  # an invalid call is repaired once
    assert len(model.requests) >= per_answer * figures.answers
    if reply is _failing:
        assert figures.failed_calls == figures.answers


def test_the_figures_add_up_steps_tokens_latency_and_what_grounding_kept_out() -> None:
    planned = Step(n=1, tool="user_details", status="ok")
    added = Step(n=2, tool="risky_user_summary", status="ok", origin=StepOrigin.model)
    first = Trace(
        planner="model",
        steps=[planned, added],
        model_calls=[
            ModelCallRecord(purpose="plan", latency_ms=3000, prompt_tokens=900),
            ModelCallRecord(purpose="step", latency_ms=5000, completion_tokens=100),
        ],
    )
    first.count_tokens()
    first.grounding.model_text = True
    second = Trace(planner="offline", fallback="the model failed", steps=[planned])
    second.model_calls = [ModelCallRecord(purpose="plan", latency_ms=1000, failed="timeout")]
    second.grounding.rejected = ["the model's answer: it named X"]
    figures = ModelFigures.of([first, second])
    assert figures.steps_per_answer == 1.5 and figures.model_steps == 1
    assert figures.tokens_per_answer == 500 and figures.model_calls_per_answer == 1.5
    assert figures.call_latency_p50_ms == 3000
    assert (figures.planned_by_model, figures.fallbacks, figures.failed_calls) == (1, 1, 1)
    assert (figures.composed, figures.rejected) == (1, 1)


def test_both_runs_are_reported_side_by_side(offline: EvalReport) -> None:
    data = comparison(SetResult("contoso", cases=offline), SetResult("contoso", cases=offline))
    assert data["set"] == "contoso"
    assert data["offline"] == data["model"]
    figures = RunFigures.of(SetResult("contoso", cases=offline))
    assert figures is not None and figures.counted == len(offline.scored)
    assert figures.intent_accuracy >= figures.accuracy
    assert json.dumps(data)


def test_eval_llm_without_an_endpoint_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDPILOT_LLM_BASE_URL", "")
    result = CliRunner().invoke(app, ["eval", "--store", str(tmp_path / "s.duckdb"), "--llm"])
    assert result.exit_code == 2
    assert "IDPILOT_LLM_BASE_URL" in result.output


def test_a_limit_keeps_the_first_cases_after_the_id_filter(cases: list[EvalCase]) -> None:
    from idpilot.evaluation.sets import EvalInputs, _filter

    inputs = EvalInputs(Path("s.duckdb"), Path("k.json"), Path("p.yaml"), limit=3)
    assert _filter(cases, inputs) == cases[:3]
    wanted = cases[5].id
    only = EvalInputs(Path("s.duckdb"), Path("k.json"), Path("p.yaml"), wanted, limit=1)
    assert [c.id for c in _filter(cases, only)] == [wanted]
