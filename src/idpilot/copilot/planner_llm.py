"""The LLM planner: a model fills the same typed Request the offline layer makes; idpilot checks it.

The model reads the prompt into one tool call (`request_draft`): scope, intent, facet, question
form, and the admin's own words for names, time, conditions and the questions of a compound
prompt. `request_reading` checks every part and turns it into a `Request`, and the offline
planner's own code (`plan_request`) turns that into skill calls. The model never chooses a
skill's inputs.

Which reading wins (the offline Request is always made first, as the safety net):

1. A model error, no tool call, an invalid or doubtful request: the offline Request, with the
   reason in `ModelPlan.fallback` (said in the answer's limits).
2. A valid model request: the model's, even where the offline reading differs, since the model
   reads language better than exemplars do. Both readings are kept in the plan.
3. Except that a model request lacking an object its intent needs (it names no user for a
   question about a user), where the offline request is confident and lacks none, is doubtful:
   the offline Request is used. So is a model request that reads one question of a prompt
   the confident offline request reads as two or more (the model's being one of them).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from idpilot.copilot.planner import Plan, plan_request
from idpilot.copilot.request_draft import (
    TOOL_NAME,
    RequestDraft,
    draft_model,
    form_guide,
    request_output,
    request_tool,
)
from idpilot.copilot.request_form import normalised_arguments
from idpilot.copilot.request_reading import CONTEXT_TURNS, DraftRejected, quoted, read_draft
from idpilot.copilot.session import Session
from idpilot.copilot.understanding.request import Request, Scope
from idpilot.copilot.understanding.understand import understand
from idpilot.llm.client import ChatMessage, ChatModel, LLMError, ToolCall, small_context
from idpilot.llm.data import DATA_RULE, quote_data
from idpilot.llm.structured import OutputSchema
from idpilot.skills import SkillRegistry
from idpilot.store import Store

SYSTEM_PROMPT = """\
You are the reader of idpilot, a read-only copilot for Microsoft Entra ID administrators. \
It answers questions about one tenant from a local snapshot; the snapshot was captured at \
{anchor}, and relative times mean relative to that moment.

Your only job is to read the administrator's question and record it by calling the \
{tool} tool once. Do not answer the question: idpilot's skills supply every fact.
- scope: tenant for identity and access questions about this tenant, capabilities for \
questions about what idpilot can do (intent help), out for anything else (intent out_of_scope).
- intent and facet: what is asked, from the tool's lists.
- names, time_phrase, conditions and each part's question: copy the administrator's words \
exactly. Never invent, correct, complete or translate a name; a name from an earlier turn may \
be copied from the conversation data.
- conditions: restrictions the question states ("without MFA", "guests only"), not names and \
not the time phrase.
- parts: only when the prompt asks two or more different questions.

{data_rule}"""
_NEED_WORDS = {"servicePrincipal": "app", "errorCode": "error code"}


class Reading(BaseModel):
    """One reading of a prompt: its intent, facet and (offline only) how sure."""

    intent: str
    facet: str | None = None
    confidence: float | None = None


class ModelPlan(Plan):
    """A plan, saying whether the model's reading was used, both readings, and any fallback."""

    planner: str = "model"
    fallback: str | None = None  # why the model's request was not used
    model_reading: Reading | None = None
    offline_reading: Reading | None = None

    @property
    def disagreement(self) -> str | None:
        """The two readings, when the model's was used and differs from the offline one."""
        model, offline = self.model_reading, self.offline_reading
        if self.planner != "model" or model is None or offline is None:
            return None
        if model.intent == offline.intent:
            return None
        return f"read as {model.intent} (offline reading: {offline.intent})"


def planning_messages(
    prompt: str, anchor: datetime, session: Session | None, guide: str | None = None
) -> list[ChatMessage]:
    """The chat sent to the model: rules (and, for a small-context model, the form's `guide`
    in place of the tool), earlier turns (as quoted data), then the prompt."""
    system = SYSTEM_PROMPT.format(anchor=anchor.isoformat(), tool=TOOL_NAME, data_rule=DATA_RULE)
    if guide is not None:
        system = f"{system}\n\n{guide}"
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
    """Let the model read the prompt into a Request; plan offline when it cannot be trusted."""
    offline = understand(store, registry, prompt, anchor, session)
    small = small_context(model)
    messages = planning_messages(prompt, anchor, session, form_guide(registry) if small else None)
    tools = [] if small else [request_tool(registry)]
    output = request_output(registry)
    try:
        turn = model.complete(messages, tools, output=output)
    except LLMError as error:
        return _offline(registry, offline, session, f"the model failed: {error}")
    calls = turn.calls([TOOL_NAME])
    if not calls:
        plan = _offline(registry, offline, session, "the model recorded no request")
        # The model and the offline layer agree the prompt is not about the tenant.
        return plan.model_copy(update={"fallback": None}) if plan.out_of_scope else plan
    if len(calls) > 1:
        reason = f"the model recorded {len(calls)} requests (one expected)"
        return _offline(registry, offline, session, reason)
    draft = _draft(calls[0], registry)
    if isinstance(draft, str):
        draft = _repaired(model, registry, messages, tools, output, calls[0], draft)
    if isinstance(draft, str):
        return _offline(registry, offline, session, draft)
    try:
        request = read_draft(draft, store, offline, anchor, session)
    except DraftRejected as rejected:
        return _offline(registry, offline, session, str(rejected))
    readings = {
        "model_reading": Reading(intent=request.intent, facet=request.facet),
        "offline_reading": _reading(offline),
    }
    if (doubt := _doubt(request, offline, split=bool(draft.parts))) is not None:
        return _offline(registry, offline, session, doubt).model_copy(update=readings)
    plan = plan_request(registry, request, session)
    return ModelPlan(**dict(plan), **readings)


def _repaired(
    model: ChatModel,
    registry: SkillRegistry,
    messages: list[ChatMessage],
    tools: list[dict[str, Any]],
    output: OutputSchema,
    call: ToolCall,
    problem: str,
) -> RequestDraft | str:
    """One more chance: the model is told what was invalid and may call the tool again."""
    call = call.model_copy(update={"id": call.id or "call_1"})
    retry = [
        *messages,
        ChatMessage(role="assistant", content="", tool_calls=[call]),
        ChatMessage(
            role="tool",
            tool_call_id=call.id,
            content=f"Invalid: {problem}. Call {TOOL_NAME} once more with corrected arguments.",
        ),
    ]
    doing: Any = getattr(model, "doing", None)
    scope: AbstractContextManager[None] = doing("repair") if doing else nullcontext()
    try:
        with scope:
            turn = model.complete(retry, tools, output=output)
    except LLMError as error:
        return f"{problem}; the repair failed: {error}"
    calls = turn.calls([TOOL_NAME])
    if len(calls) != 1:
        return problem
    return _draft(calls[0], registry)


def _draft(call: ToolCall, registry: SkillRegistry) -> RequestDraft | str:
    """The call's arguments as a RequestDraft (certain near-misses repaired), or why they are
    not one."""
    if call.name != TOOL_NAME:
        return f"the model called an unknown tool {quoted(call.name)}"
    if call.arguments is None:
        return "the model's request is not a JSON object"
    try:
        return draft_model(registry).model_validate(normalised_arguments(call.arguments))
    except ValidationError as error:
        for problem in error.errors():
            field = problem["loc"][-1] if problem["loc"] else ""
            if problem["type"] == "literal_error" and field in ("intent", "facet"):
                return f"the model read an unknown {field} {quoted(problem['input'])}"
        fields = ", ".join(".".join(map(str, e["loc"])) or "(input)" for e in error.errors())
        return f"the model's request is invalid ({fields})"


def _doubt(request: Request, offline: Request, split: bool) -> str | None:
    """Why the model's valid request is still doubtful next to the offline one (rule 3);
    `split` says the model gave parts (even ones that turned out to ask the same thing)."""
    confident = offline.scope is Scope.tenant and not offline.unsure
    if request.unmet and confident and not offline.unmet:
        lacking = _NEED_WORDS.get(request.unmet[0], request.unmet[0])
        return (
            f"the model read {request.intent} but named no {lacking} for it; "
            f"the offline reading ({offline.intent}) did"
        )
    found = [part.intent for part in offline.parts]
    if confident and len(found) >= 2 and not split and request.intent in found:
        return (
            f"the model read one question ({request.intent}); the offline reading found "
            f"{len(found)} ({', '.join(found)})"
        )
    return None


def _reading(request: Request) -> Reading:
    return Reading(intent=request.intent, facet=request.facet, confidence=request.confidence)


def _offline(
    registry: SkillRegistry, offline: Request, session: Session | None, reason: str
) -> ModelPlan:
    plan = plan_request(registry, offline, session)
    return ModelPlan(
        **dict(plan), planner="offline", fallback=reason, offline_reading=_reading(offline)
    )
