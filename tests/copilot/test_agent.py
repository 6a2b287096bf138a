"""The agent loop with scripted models: further skills after reading evidence, checked calls."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from idpilot.copilot.agent import run_agent, skill_tools
from idpilot.copilot.answer import AnswerStatus
from idpilot.copilot.engine import Copilot
from idpilot.copilot.request_draft import TOOL_NAME
from idpilot.copilot.trace import SkillCall
from idpilot.errors import IdpilotError
from idpilot.llm import LLMError, ModelTurn, ScriptedModel, Usage
from idpilot.llm.data import CLOSE_TAG, OPEN_TAG, unquote_data
from idpilot.llm.metering import MeteredModel
from idpilot.skills import SkillRegistry, SkillResult, Slot, default_registry, define_skill, slot
from idpilot.store import Store
from tests.fixture_tenant import BOB, GLOBAL_ADMIN, HOSTILE, HOSTILE_NAME

WHO = "Who is Bob Stone?"
FILL_BOB = ModelTurn.calling(
    TOOL_NAME, {"scope": "tenant", "intent": "user_details", "names": {"users": ["Bob Stone"]}}
)
RISK_BOB = ModelTurn.calling("risky_user_summary", {"user": BOB})
ADMINS = "Who holds the Global Administrator role?"
FILL_ADMINS = ModelTurn.calling(
    TOOL_NAME,
    {"scope": "tenant", "intent": "role_holders", "names": {"roles": ["Global Administrator"]}},
)


def _turn(turn: ModelTurn, prompt: int, completion: int) -> ModelTurn:
    return turn.model_copy(
        update={"usage": Usage(prompt_tokens=prompt, completion_tokens=completion)}
    )


def _ask(model: ScriptedModel, tenant: Store, prompt: str = WHO, steps: int = 4) -> Any:
    return Copilot(tenant, model=model, phrase=False, max_steps=steps).ask(prompt)


def test_the_model_calls_a_second_skill_after_reading_the_first_and_both_are_cited(
    tenant: Store,
) -> None:
    model = ScriptedModel().enqueue(FILL_ADMINS, RISK_BOB, "DONE")
    answer = _ask(model, tenant, prompt=ADMINS)
    assert answer.status is AnswerStatus.ok and answer.limits is None
    assert [(s.name, s.params) for s in answer.skills] == [
        ("role_holders", {"role": GLOBAL_ADMIN}),
        ("risky_user_summary", {"user": BOB}),
    ]
    cited = {(c.kind, c.id) for c in answer.citations}
    first = {(c.kind, c.id) for c in Copilot(tenant).ask(ADMINS).citations}
    assert ("user", BOB) in first and ("riskyUser", BOB) not in first
    assert first | {("riskyUser", BOB)} == cited
    assert cited <= {(e.kind, e.id) for e in answer.evidence}
    trace = answer.trace
    assert [(s.tool, s.origin.value, s.status) for s in trace.steps] == [
        ("role_holders", "planner", "ok"),
        ("risky_user_summary", "model", "ok"),
    ]
    assert f"riskyUser:{BOB}" in trace.steps[1].result_ids
    assert [c.purpose for c in trace.model_calls] == ["plan", "step", "step"]
    assert trace.grounding.verdict.value == "grounded" and trace.stopped is None
    step, after = model.requests[1], model.requests[2]
    assert [t["function"]["name"] for t in step.tools] == [s.name for s in default_registry().all()]
    results = unquote_data(step.messages[2].content)
    assert results[0]["skill"] == "role_holders" and results[0]["status"] == "ok"
    assert BOB in str(results)  # the id the model then copies is in what it read
    assert [m.role for m in after.messages[-2:]] == ["assistant", "tool"]
    assert after.messages[-1].tool_call_id == after.messages[-2].tool_calls[0].id
    assert unquote_data(after.messages[-1].content)["skill"] == "risky_user_summary"


def test_tools_are_the_skills_input_models() -> None:
    registry = default_registry()
    tools = {t["function"]["name"]: t["function"] for t in skill_tools(registry)}
    skill = registry.get("signin_troubleshoot")
    assert tools[skill.name]["parameters"] == skill.input_model.model_json_schema()
    assert tools[skill.name]["description"] == skill.description


def test_a_turn_without_a_call_ends_the_loop(tenant: Store) -> None:
    model = ScriptedModel().enqueue(FILL_BOB, "The results answer it. DONE")
    answer = _ask(model, tenant)
    assert [s.name for s in answer.skills] == ["user_details"] and answer.limits is None
    assert len(model.requests) == 2


def test_the_step_bound_is_respected(tenant: Store) -> None:
    roles = ModelTurn.calling("user_roles", {"user": BOB})
    details = ModelTurn.calling("group_details", {"group": "90000000-0000-4000-8000-000000000010"})
    model = ScriptedModel().enqueue(FILL_BOB, RISK_BOB, roles, details, "DONE")
    answer = _ask(model, tenant, steps=2)
    assert [s.name for s in answer.skills] == ["user_details", "risky_user_summary", "user_roles"]
    assert len(model.requests) == 3  # the plan and two steps; the third call is never asked for
    assert len(model.queue) == 2


def test_no_steps_means_no_loop(tenant: Store) -> None:
    model = ScriptedModel().enqueue(FILL_BOB)
    answer = _ask(model, tenant, steps=0)
    assert [s.name for s in answer.skills] == ["user_details"] and len(model.requests) == 1


def test_an_invalid_call_is_repaired_once(tenant: Store) -> None:
    wrong = ModelTurn.calling("risky_user_summary", {"person": BOB})
    model = ScriptedModel().enqueue(FILL_BOB, wrong, RISK_BOB, "DONE")
    answer = _ask(model, tenant)
    assert [s.name for s in answer.skills] == ["user_details", "risky_user_summary"]
    assert answer.limits is None
    feedback = model.requests[2].messages[-1]
    assert (
        feedback.role == "tool" and "invalid arguments for risky_user_summary" in feedback.content
    )
    assert "user: Field required" in feedback.content
    assert [s.status for s in answer.trace.steps] == ["ok", "invalid", "ok"]
    assert [c.purpose for c in answer.trace.model_calls] == ["plan", "step", "repair", "step"]


def test_a_call_still_invalid_after_its_repair_ends_the_loop_with_the_planned_answer(
    tenant: Store,
) -> None:
    wrong = ModelTurn.calling("risky_user_summary", {"person": BOB})
    model = ScriptedModel().enqueue(FILL_BOB, wrong, wrong, RISK_BOB)
    answer = _ask(model, tenant)
    assert [s.name for s in answer.skills] == ["user_details"]
    assert answer.answer == Copilot(tenant).ask(WHO).answer
    assert answer.limits is not None
    assert answer.limits.startswith("agent stopped: the model's call stayed invalid after one")
    assert len(model.queue) == 1


def test_a_call_naming_an_object_nobody_mentioned_is_invalid(tenant: Store) -> None:
    invented = ModelTurn.calling("risky_user_summary", {"user": HOSTILE})
    model = ScriptedModel().enqueue(FILL_BOB, invented, "DONE")
    answer = _ask(model, tenant)
    assert [s.name for s in answer.skills] == ["user_details"]
    assert "user is not in the question or the results" in model.requests[2].messages[-1].content
    assert all(c.id != HOSTILE for c in answer.citations)


def test_unknown_tools_and_repeated_calls_are_invalid(tenant: Store) -> None:
    model = ScriptedModel().enqueue(
        FILL_BOB, ModelTurn.calling("delete_user", {"user": BOB}), RISK_BOB, RISK_BOB, "DONE"
    )
    answer = _ask(model, tenant)
    assert [s.name for s in answer.skills] == ["user_details", "risky_user_summary"]
    notes = [s.note for s in answer.trace.steps if s.status == "invalid"]
    assert notes == [
        "there is no skill named 'delete_user'",
        "risky_user_summary already ran with these arguments; its results are above",
    ]


def test_a_call_written_as_json_in_the_text_is_accepted(tenant: Store) -> None:
    call = json.dumps({"name": "risky_user_summary", "arguments": {"user": BOB}})
    text = f"<tool_call>\n{call}\n</tool_call>"
    model = ScriptedModel().enqueue(FILL_BOB, text, "DONE")
    answer = _ask(model, tenant)
    assert [s.name for s in answer.skills] == ["user_details", "risky_user_summary"]


def test_tokens_are_summed_per_answer(tenant: Store) -> None:
    model = ScriptedModel().enqueue(
        _turn(FILL_BOB, 300, 40), _turn(RISK_BOB, 500, 20), _turn(ModelTurn(text="DONE"), 700, 2)
    )
    trace = _ask(model, tenant).trace
    assert [(c.prompt_tokens, c.completion_tokens) for c in trace.model_calls] == [
        (300, 40),
        (500, 20),
        (700, 2),
    ]
    assert (trace.prompt_tokens, trace.completion_tokens, trace.total_tokens) == (1500, 62, 1562)


def test_a_model_failure_in_the_loop_keeps_what_was_found(tenant: Store) -> None:
    model = ScriptedModel().enqueue(FILL_BOB, RISK_BOB, LLMError("endpoint down"))
    answer = _ask(model, tenant)
    assert [s.name for s in answer.skills] == ["user_details", "risky_user_summary"]
    assert answer.limits == "agent stopped: the model failed: endpoint down"
    assert answer.trace.model_calls[-1].failed == "endpoint down"


def test_no_loop_after_the_planning_call_failed(tenant: Store) -> None:
    model = ScriptedModel().enqueue(LLMError("endpoint down"))
    answer = _ask(model, tenant)
    assert [s.name for s in answer.skills] == ["user_details"] and len(model.requests) == 1
    assert answer.trace.planner == "offline" and answer.trace.fallback is not None


def test_evidence_reaches_the_model_only_as_quoted_data(tenant: Store) -> None:
    hostile = ModelTurn.calling(
        TOOL_NAME,
        {"scope": "tenant", "intent": "user_details", "names": {"users": [HOSTILE]}},
    )
    model = ScriptedModel().enqueue(hostile, "DONE")
    answer = _ask(model, tenant, prompt=f"tell me about {HOSTILE}")
    # The name reads as instructions: the model is given no turn over it at all.
    assert len(model.requests) == 1 and answer.trace.steps[-1].origin.value == "planner"
    assert "ignored text in tenant data" in (answer.limits or "")
    assert "agent stopped: the results hold text that reads as instructions" in answer.limits
    # When the loop does show such data, it is one quoted block the text cannot close.
    looping = MeteredModel(ScriptedModel().enqueue("DONE"))
    result = default_registry().get("user_details").run(tenant, {"user": HOSTILE})
    done = [(SkillCall(name="user_details", params={"user": HOSTILE}), result)]
    run_agent(looping, default_registry(), "tell me about them", done, 1, lambda s, p: result)
    step = looping.model.requests[0]  # type: ignore[attr-defined]
    assert HOSTILE_NAME not in step.messages[0].content + step.messages[1].content
    block = step.messages[2].content
    assert block.count(OPEN_TAG) == 1 and block.rstrip().endswith(CLOSE_TAG)
    assert HOSTILE_NAME in str(unquote_data(block))


def test_an_offline_answer_records_its_plan_and_steps(tenant: Store) -> None:
    trace = Copilot(tenant).ask(WHO).trace
    assert trace.planner == "offline" and trace.model is None and trace.model_calls == []
    assert [c.name for c in trace.plan] == ["user_details"]
    assert [(s.tool, s.origin.value, s.result_ids) for s in trace.steps] == [
        ("user_details", "planner", trace.steps[0].result_ids)
    ]
    assert f"user:{BOB}" in trace.steps[0].result_ids and trace.total_tokens == 0
    assert trace.grounding.verdict.value == "grounded"
    assert Copilot(tenant).ask("write me a poem").trace.grounding.verdict.value == "notChecked"


class NoteInput(BaseModel):
    """A note about a user."""

    user: str = slot(Slot.user, "The user.")


def user_note(store: Store, params: NoteInput) -> SkillResult:
    """Show the helpdesk's notes about a user."""
    raise IdpilotError("the notes service is not configured")


def test_a_skill_refusing_its_inputs_is_an_invalid_call(tenant: Store) -> None:
    registry = SkillRegistry()
    for skill in default_registry().all():
        registry.add(skill)
    registry.add(define_skill(user_note))
    note = ModelTurn.calling("user_note", {"user": BOB})
    model = ScriptedModel().enqueue(FILL_BOB, note, note)
    copilot = Copilot(tenant, registry=registry, model=model, phrase=False, max_steps=4)
    answer = copilot.ask(WHO)
    assert [s.name for s in answer.skills] == ["user_details"]
    assert answer.trace.steps[-1].note == (
        "user_note refused the arguments: the notes service is not configured"
    )
    assert (answer.limits or "").startswith("agent stopped: the model's call stayed invalid")


def test_further_results_the_grounding_check_rejects_are_left_out(
    tenant: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from idpilot.copilot import engine

    real = engine.ungrounded_entities
    planned = Copilot(tenant).ask(WHO)

    def strict(store: Store, answer: str, evidence: list[Any], prompt: str = "") -> list[str]:
        if len(answer) > len(planned.answer):  # the further result's text named someone
            return ["Mallory Smith"]
        return real(store, answer, evidence, prompt)

    monkeypatch.setattr(engine, "ungrounded_entities", strict)
    model = ScriptedModel().enqueue(FILL_BOB, RISK_BOB, "DONE")
    answer = _ask(model, tenant)
    assert [s.name for s in answer.skills] == ["user_details"]
    assert answer.answer == planned.answer and answer.citations == planned.citations
    assert answer.trace.grounding.rejected == [
        "the further skills' results: the answer named Mallory Smith"
    ]
    assert [s.tool for s in answer.trace.steps] == ["user_details", "risky_user_summary"]
