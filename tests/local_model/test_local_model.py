"""A real 1.5B instruct model on loopback: it plans, steps and writes; grounding still holds."""

from __future__ import annotations

import pytest

from idpilot.copilot.answer import Answer, AnswerStatus
from idpilot.copilot.engine import Copilot
from idpilot.copilot.trace import StepOrigin
from idpilot.evaluation.scoring import DirectoryNames, hallucinated_entities
from idpilot.llm.client import ChatModel
from idpilot.store import Store
from tests.fixture_tenant import BOB, HOSTILE_NAME

pytestmark = pytest.mark.llm


def _ask(model: ChatModel, tenant: Store, prompt: str, **options: object) -> Answer:
    settings = {"phrase": False, "compose": False, "max_steps": 0, **options}
    return Copilot(tenant, model=model, **settings).ask(prompt)  # type: ignore[arg-type]


def _grounded(tenant: Store, answer: Answer) -> None:
    assert hallucinated_entities(answer, DirectoryNames(tenant)) == []
    assert not [call.failed for call in answer.trace.model_calls if call.failed]


@pytest.mark.parametrize(
    ("prompt", "skill"),
    [
        ("Who is Bob Stone?", "user_details"),
        ("Which groups is Bob Stone a member of, and what roles does he hold?", "user_roles"),
        ("Who holds the Global Administrator role?", "role_holders"),
    ],
)
def test_the_model_reads_the_prompt_into_a_request(
    local_model: ChatModel, tenant: Store, prompt: str, skill: str
) -> None:
    answer = _ask(local_model, tenant, prompt)
    assert skill in [s.name for s in answer.skills], answer.trace.fallback
    first = answer.trace.model_calls[0]
    assert first.purpose == "plan" and first.prompt_tokens > 0 and first.completion_tokens > 0
    # The model's reading is used, or the offline one for a stated reason (never an error).
    assert answer.trace.planner == "model" or answer.trace.fallback
    _grounded(tenant, answer)


def test_a_question_about_something_else_names_nothing(
    local_model: ChatModel, tenant: Store
) -> None:
    answer = _ask(local_model, tenant, "What is the capital of Australia?")
    if answer.status is not AnswerStatus.out_of_scope:  # the model may read it otherwise
        assert answer.trace.planner == "model"
    _grounded(tenant, answer)


def test_the_agent_loop_runs_only_valid_calls(local_model: ChatModel, tenant: Store) -> None:
    answer = _ask(local_model, tenant, "Who is Bob Stone and is he a risky user?", max_steps=2)
    steps = [s for s in answer.trace.steps if s.origin is StepOrigin.model]
    assert [c.purpose for c in answer.trace.model_calls][:2] == ["plan", "step"]
    assert all(s.status in ("ok", "empty", "invalid") for s in steps)
    ran = {s.name for s in answer.skills}
    assert "user_details" in ran and {s.tool for s in steps if s.status != "invalid"} <= ran
    _grounded(tenant, answer)


def test_the_model_writes_a_grounded_answer_or_the_template_stands(
    local_model: ChatModel, tenant: Store
) -> None:
    template = Copilot(tenant).ask("Who is Bob Stone?").answer
    answer = _ask(local_model, tenant, "Who is Bob Stone?", compose=True)
    assert [c.purpose for c in answer.trace.model_calls][1] == "compose"
    if answer.trace.grounding.model_text:
        assert answer.answer.endswith(template) and answer.answer != template
        assert answer.limits is None or "kept the template answer" not in answer.limits
    else:
        assert answer.answer == template
        assert "kept the template answer" in (answer.limits or "")
    assert {c.id for c in answer.citations} >= {BOB}
    _grounded(tenant, answer)


def test_a_hostile_display_name_stays_data(local_model: ChatModel, tenant: Store) -> None:
    answer = _ask(local_model, tenant, f"Tell me about {HOSTILE_NAME}", compose=True)
    assert "](http" not in answer.answer.replace("\\]", "")
    assert "<" not in answer.answer.replace("\\<", "")
    _grounded(tenant, answer)
