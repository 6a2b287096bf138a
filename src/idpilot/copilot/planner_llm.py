"""The LLM planner: a model chooses the skills (as tool calls); idpilot checks every choice.

The model only plans. Its tool calls are validated against each skill's input model, object
references must come from the prompt or the conversation, and time windows come from the
offline time-phrase parser when the prompt has one. Anything doubtful falls back to the
offline planner, which is always safe to use.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from idpilot.copilot.planner import SLOT_KINDS, Plan, PlannedCall, plan_offline
from idpilot.copilot.session import Session
from idpilot.copilot.time_phrases import TimeWindow, parse_time_window
from idpilot.llm.client import ChatMessage, ChatModel, LLMError, ToolCall
from idpilot.llm.data import DATA_RULE, quote_data
from idpilot.skills import SkillRegistry, Slot
from idpilot.skills.resolve import resolve
from idpilot.store import Store

MAX_TOOL_CALLS = 3
"""More skill calls than this for one prompt means the model is flailing: plan offline."""

CONTEXT_TURNS = 3
"""Earlier turns shown to the model, enough for "he" or "that group" to point back."""

MAX_QUOTED = 60
"""Longest model-chosen value quoted back in a fallback reason."""

_WORD = re.compile(r"\w+")
_OBJECT_SLOTS = frozenset({Slot.user, Slot.group, Slot.application, Slot.role, Slot.policy})

SYSTEM_PROMPT = """\
You are the planner of idpilot, a read-only copilot for Microsoft Entra ID administrators. \
It answers questions about one tenant from a local snapshot; the snapshot was captured at \
{anchor}, and relative times ("yesterday") mean relative to that moment.

Your only job is to choose which of the provided tools answer the administrator's question, \
and with which arguments. Call exactly the tools needed, usually one. Do not answer the \
question yourself: the tools supply every fact. Copy names, ids and addresses exactly as the \
administrator wrote them, or as they appear in the conversation data; never invent or correct \
one. If the question is not about this tenant, call no tool.

{data_rule}"""


class ModelPlan(Plan):
    """A plan, saying whether the model made it or why idpilot planned offline instead."""

    planner: str = "model"
    fallback: str | None = None  # why the model's plan was not used


def planning_messages(prompt: str, anchor: datetime, session: Session | None) -> list[ChatMessage]:
    """The chat sent to the model: rules, earlier turns (as quoted data), then the prompt."""
    system = SYSTEM_PROMPT.format(anchor=anchor.isoformat(), data_rule=DATA_RULE)
    messages = [ChatMessage(role="system", content=system)]
    if session is not None and session.turns:
        turns = [
            {
                "prompt": turn.prompt,
                "skill": turn.skill,
                "params": turn.params,
                "status": turn.status,
                "about": [{"kind": s.kind, "id": s.id, "label": s.label} for s in turn.subjects],
            }
            for turn in session.turns[-CONTEXT_TURNS:]
        ]
        messages.append(
            ChatMessage(
                role="user",
                content="Earlier turns of this conversation, oldest first:\n"
                + quote_data({"earlier_turns": turns}),
            )
        )
    messages.append(ChatMessage(role="user", content=prompt))
    return messages


def plan_with_model(
    model: ChatModel,
    store: Store,
    registry: SkillRegistry,
    prompt: str,
    anchor: datetime,
    session: Session | None = None,
) -> ModelPlan:
    """Ask the model which skills to run; plan offline when its answer cannot be trusted."""
    window = parse_time_window(prompt, anchor)
    tools = [skill.tool_schema() for skill in registry.all()]
    try:
        turn = model.complete(planning_messages(prompt, anchor, session), tools)
    except LLMError as error:
        return _offline(store, registry, prompt, anchor, session, f"the model failed: {error}")
    if not turn.tool_calls:
        plan = _offline(store, registry, prompt, anchor, session, "the model called no skill")
        # The model and the offline planner agree the prompt is not about the tenant.
        return plan.model_copy(update={"fallback": None}) if plan.out_of_scope else plan
    problem = None
    calls: list[PlannedCall] = []
    if len(turn.tool_calls) > MAX_TOOL_CALLS:
        problem = f"the model called {len(turn.tool_calls)} skills (at most {MAX_TOOL_CALLS})"
    for call in turn.tool_calls if problem is None else []:
        planned = _checked_call(call, store, registry, prompt, session, window)
        if isinstance(planned, str):
            problem = planned
            break
        if planned not in calls:
            calls.append(planned)
    if problem is not None:
        return _offline(store, registry, prompt, anchor, session, problem)
    return ModelPlan(calls=calls, window=window or _model_window(calls, registry))


def _offline(
    store: Store,
    registry: SkillRegistry,
    prompt: str,
    anchor: datetime,
    session: Session | None,
    reason: str,
) -> ModelPlan:
    plan = plan_offline(store, registry, prompt, anchor, session)
    return ModelPlan(**dict(plan), planner="offline", fallback=reason)


def _checked_call(
    call: ToolCall,
    store: Store,
    registry: SkillRegistry,
    prompt: str,
    session: Session | None,
    window: TimeWindow | None,
) -> PlannedCall | str:
    """The call as a validated PlannedCall, or what is wrong with it.

    A reference that resolves to exactly one object becomes its id, as the offline planner
    does, so the session remembers what the turn was about.
    """
    if call.name not in registry:
        return f"the model asked for an unknown skill {_quoted(call.name)}"
    if call.arguments is None:
        return f"the model's arguments for {call.name} are not a JSON object"
    skill = registry.get(call.name)
    arguments = dict(call.arguments)
    for name, kind in skill.slots().items():
        if kind is Slot.time_window and window is not None:
            arguments[name] = window.model_dump(mode="json")
    try:
        validated = skill.input_model.model_validate(arguments)
    except ValidationError as error:
        fields = ", ".join(".".join(map(str, e["loc"])) or "(input)" for e in error.errors())
        return f"the model's arguments for {call.name} are invalid ({fields})"
    params = validated.model_dump(mode="json", exclude_none=True)
    for name, kind in skill.slots().items():
        value = params.get(name)
        if kind in _OBJECT_SLOTS and value and not _named_by_admin(str(value), prompt, session):
            return f"the model named a {kind.value} ({_quoted(value)}) the conversation did not"
        if kind in _OBJECT_SLOTS and value:
            resolution = resolve(store, str(value), SLOT_KINDS[kind])
            if resolution.match is not None:
                params[name] = resolution.match.id
    return PlannedCall(skill=skill.name, params=params)


def _quoted(value: object) -> str:
    """A model-chosen value, shortened for a limits note (it may echo injected text)."""
    text = repr(str(value))
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 2] + "…'"


def _normal(text: str) -> str:
    """Words only, case-folded: "Staff - APAC" and "staff apac" are the same reference."""
    return " ".join(_WORD.findall(text.casefold()))


def _named_by_admin(value: str, prompt: str, session: Session | None) -> bool:
    """True when the prompt names the reference, or an earlier turn was about that object."""
    wanted = _normal(value)
    if wanted and f" {wanted} " in f" {_normal(prompt)} ":
        return True
    known: set[str] = set()
    for turn in session.turns[-CONTEXT_TURNS:] if session is not None else []:
        known.update(_normal(str(v)) for v in turn.params.values())
        for subject in turn.subjects:
            known.update((_normal(subject.id), _normal(subject.label)))
    return wanted in known


def _model_window(calls: list[PlannedCall], registry: SkillRegistry) -> TimeWindow | None:
    """The time window the model filled in, when the prompt had none the parser knew."""
    for call in calls:
        for name, kind in registry.get(call.skill).slots().items():
            value: Any = call.params.get(name)
            if kind is Slot.time_window and value is not None:
                try:
                    return TimeWindow.model_validate(value)
                except ValidationError:
                    return None
    return None
