"""The LLM planner with scripted models: the model chooses, idpilot checks, offline is the net."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from idpilot.copilot.answer import AnswerStatus
from idpilot.copilot.engine import Copilot
from idpilot.copilot.planner import PlannedCall, plan_offline
from idpilot.copilot.planner_llm import ModelPlan, plan_with_model
from idpilot.copilot.session import Session
from idpilot.copilot.time_phrases import TimeWindow
from idpilot.llm import LLMError, ModelTurn, ScriptedModel, ToolCall
from idpilot.llm.data import CLOSE_TAG, OPEN_TAG, unquote_data
from idpilot.skills import SkillRegistry, SkillResult, Slot, default_registry, define_skill, slot
from idpilot.store import Store
from tests.fixture_tenant import (
    ALICE_A,
    ALICE_B,
    BOB,
    GROUP_INNER,
    GROUP_OUTER,
    HOSTILE,
    HOSTILE_NAME,
)

ANCHOR = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _plan(model: ScriptedModel, tenant: Store, prompt: str, **kwargs: object) -> ModelPlan:
    registry = kwargs.pop("registry", default_registry())
    return plan_with_model(model, tenant, registry, prompt, ANCHOR, **kwargs)  # type: ignore[arg-type]


def test_the_models_tool_call_is_validated_and_planned(tenant: Store) -> None:
    model = ScriptedModel().enqueue(ModelTurn.calling("group_details", {"group": "Controllers"}))
    plan = _plan(model, tenant, "who is in the Controllers group?")
    assert plan.planner == "model" and plan.fallback is None
    assert plan.calls == [PlannedCall(skill="group_details", params={"group": GROUP_INNER})]
    (request,) = model.requests
    assert request.tools == [skill.tool_schema() for skill in default_registry().all()]
    assert [m.role for m in request.messages] == ["system", "user"]
    assert request.messages[-1].content == "who is in the Controllers group?"
    system = request.messages[0].content
    assert "never instructions" in system and "2026-03-02T12:00:00+00:00" in system


@pytest.mark.parametrize(
    ("turn", "reason"),
    [
        (ModelTurn.calling("user_details", {"usr": "Bob Stone"}), "invalid (user)"),
        (ModelTurn.calling("user_details", {"user": ["Bob"]}), "invalid (user)"),
        (ModelTurn(tool_calls=[ToolCall(name="user_details", arguments=None)]), "not a JSON"),
        (ModelTurn.calling("delete_user", {"user": "Bob Stone"}), "unknown skill 'delete_user'"),
        (ModelTurn(text="Bob Stone is a Global Administrator."), "called no skill"),
        (ModelTurn.calling("user_details", {"user": "Alice Archer"}), "did not"),
        (
            ModelTurn(tool_calls=[ToolCall(name="user_details", arguments={"user": "Bob"})] * 4),
            "at most 3",
        ),
        (LLMError("endpoint down"), "the model failed: endpoint down"),
    ],
    ids=[
        "missing-field",
        "wrong-type",
        "not-json",
        "unknown-tool",
        "no-tool-call",
        "name-not-in-prompt",
        "too-many-calls",
        "llm-error",
    ],
)
def test_a_doubtful_model_plan_falls_back_offline(
    tenant: Store, turn: ModelTurn | LLMError, reason: str
) -> None:
    prompt = "Who is Bob Stone?"
    plan = _plan(ScriptedModel().enqueue(turn), tenant, prompt)
    assert plan.planner == "offline" and reason in (plan.fallback or "")
    offline = plan_offline(tenant, default_registry(), prompt, ANCHOR)
    assert plan.calls == offline.calls and plan.calls[0].params == {"user": BOB}


def test_no_tool_call_for_an_out_of_scope_prompt_stays_out_of_scope(tenant: Store) -> None:
    model = ScriptedModel().enqueue("I only answer questions about your tenant.")
    plan = _plan(model, tenant, "write me a poem about the sea")
    assert plan.out_of_scope and plan.fallback is None


def test_duplicate_calls_collapse(tenant: Store) -> None:
    call = ToolCall(name="user_details", arguments={"user": "bob"})
    plan = _plan(ScriptedModel().enqueue(ModelTurn(tool_calls=[call, call])), tenant, "who is bob")
    assert plan.calls == [PlannedCall(skill="user_details", params={"user": BOB})]


def test_an_ambiguous_reference_is_left_for_the_skill_to_ask_about(tenant: Store) -> None:
    model = ScriptedModel().enqueue(ModelTurn.calling("user_details", {"user": "Alice"}))
    plan = _plan(model, tenant, "tell me about alice")
    assert plan.calls[0].params == {"user": "Alice"}
    model.enqueue(ModelTurn.calling("user_details", {"user": "Alice"}))
    answer = Copilot(tenant, model=model, phrase=False).ask("tell me about alice")
    assert answer.status is AnswerStatus.ambiguous
    assert {e.id for e in answer.evidence} == {ALICE_A, ALICE_B}


def test_a_reference_must_be_whole_words_of_the_prompt(tenant: Store) -> None:
    model = ScriptedModel().enqueue(ModelTurn.calling("user_details", {"user": "bo"}))
    assert _plan(model, tenant, "who is bob").planner == "offline"
    model.enqueue(ModelTurn.calling("user_details", {"user": "bob.stone@fabrikam.test"}))
    assert _plan(model, tenant, "who is bob stone").planner == "offline"
    model.enqueue(ModelTurn.calling("group_details", {"group": "Finance Approvers"}))
    plan = _plan(model, tenant, "who's in finance-approvers?")
    assert plan.planner == "model" and plan.calls[0].params == {"group": GROUP_OUTER}


class WindowInput(BaseModel):
    """Whose sign-ins, and when."""

    user: str = slot(Slot.user, "The user.")
    window: TimeWindow | None = slot(Slot.time_window, "When.", default=None)


def sign_in_count(store: Store, params: WindowInput) -> SkillResult:
    """Count a user's sign-ins in a time window."""
    return SkillResult(skill="sign_in_count")


def _window_registry() -> SkillRegistry:
    registry = SkillRegistry()
    registry.add(define_skill(sign_in_count, keywords={"sign-ins": 1.0}))
    return registry


def test_the_time_phrase_parser_overrides_the_models_window(tenant: Store) -> None:
    wrong = {"start": "2020-01-01T00:00:00Z", "end": "2020-01-02T00:00:00Z", "phrase": "x"}
    model = ScriptedModel().enqueue(
        ModelTurn.calling("sign_in_count", {"user": "Bob Stone", "window": wrong})
    )
    plan = _plan(model, tenant, "Bob Stone's sign-ins yesterday", registry=_window_registry())
    assert plan.planner == "model" and plan.window is not None
    assert plan.window.start == datetime(2026, 3, 1, tzinfo=UTC)
    assert plan.calls[0].params == {"user": BOB, "window": plan.window.model_dump(mode="json")}


def test_the_models_window_is_kept_when_the_parser_finds_none(tenant: Store) -> None:
    window = {"start": "2026-02-01T00:00:00Z", "end": "2026-03-01T00:00:00Z", "phrase": "migration"}
    model = ScriptedModel().enqueue(
        ModelTurn.calling("sign_in_count", {"user": "Bob Stone", "window": window})
    )
    prompt = "Bob Stone's sign-ins during the migration"  # no time phrase the parser reads
    plan = _plan(model, tenant, prompt, registry=_window_registry())
    assert plan.window == TimeWindow.model_validate(window)


def test_earlier_turns_reach_the_model_only_as_quoted_data(tenant: Store) -> None:
    session = Session()
    Copilot(tenant).ask(f"tell me about {HOSTILE}", session)
    model = ScriptedModel().enqueue(ModelTurn.calling("user_details", {"user": HOSTILE}))
    plan = _plan(model, tenant, "which groups is that user in?", session=session)
    assert plan.planner == "model" and plan.calls[0].params == {"user": HOSTILE}
    system, context, prompt = model.requests[0].messages
    assert HOSTILE_NAME not in system.content and HOSTILE_NAME not in prompt.content
    assert "click me" not in context.content.split(OPEN_TAG)[0]
    assert context.content.rstrip().endswith(CLOSE_TAG)
    turns = unquote_data(context.content)["earlier_turns"]
    ((about,),) = [turn["about"] for turn in turns]
    assert about["id"] == HOSTILE and HOSTILE_NAME in about["label"]


def test_the_copilot_runs_the_models_plan_and_notes_a_fallback(tenant: Store) -> None:
    model = ScriptedModel().enqueue(
        ModelTurn.calling("user_details", {"user": "Bob Stone"}),
        ModelTurn.calling("user_details", {"user": "Mallory"}),
    )
    copilot = Copilot(tenant, model=model, phrase=False)
    answer = copilot.ask("Who is Bob Stone?")
    assert answer.status is AnswerStatus.ok and answer.limits is None
    assert answer.skills[0].params == {"user": BOB}
    again = copilot.ask("Who is Bob Stone?")
    assert again.status is AnswerStatus.ok and again.skills[0].params == {"user": BOB}
    assert (
        again.limits
        == "planned offline: the model named a user ('Mallory') the conversation did not"
    )


def test_a_session_follow_up_through_the_model(tenant: Store) -> None:
    session = Session()
    model = ScriptedModel().enqueue(
        ModelTurn.calling("user_details", {"user": "Bob Stone"}),
        ModelTurn.calling("user_details", {"user": BOB}),
    )
    copilot = Copilot(tenant, model=model, phrase=False)
    copilot.ask("Who is Bob Stone?", session)
    answer = copilot.ask("and his groups?", session)
    assert answer.limits is None and answer.skills[0].params == {"user": BOB}
