"""The agent loop: after the plan's skills ran, the model may read their evidence and call more.

In at most `max_steps` model turns the model is shown the question and every result so far (as
quoted data, never instructions) and offered every skill as a tool whose JSON schema is the
skill's pydantic input model. A call must name a skill, validate against its input model, and
take every object it names (user, group, app, role, policy, IP address, id, error code) from the
question or the evidence shown: a model cannot send a skill after an object nobody mentioned.
An invalid call is answered with what is wrong and the model may repair it once; a second
invalid call ends the loop, and the answer is what the valid steps found. A turn without a call
(or "DONE") ends it too. A call found as JSON in the text counts when `tool_calls` is empty.
A model with a small context is sent no tool schemas: the prompt lists the skills as one-line
signatures (`skill_signatures`) and fewer evidence records, and the call comes back as JSON.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from idpilot.copilot.answer import published
from idpilot.copilot.skill_signatures import skill_signatures
from idpilot.copilot.trace import SkillCall, Step, StepOrigin, result_ids
from idpilot.errors import IdpilotError
from idpilot.llm.client import ChatMessage, LLMError, ToolCall, small_context
from idpilot.llm.data import DATA_RULE, quote_data
from idpilot.llm.metering import MeteredModel
from idpilot.llm.structured import OutputSchema
from idpilot.skills import Skill, SkillRegistry, SkillResult, Slot

MAX_RECORDS_SHOWN = 25
"""Evidence records of one result shown to the model (the rest are counted, not shown)."""
MAX_FACTS_CHARS = 4000
"""Facts longer than this as JSON are left out of what the model reads (the records stay)."""
MAX_RECORDS_SHOWN_SMALL = 5
"""Evidence records of one result shown to a small-context model (4,096 tokens in all)."""
MAX_FACTS_CHARS_SMALL = 1500
"""Longest facts, as JSON, shown to a small-context model."""
MAX_PROBLEM_CHARS = 300
"""Longest validation message fed back to the model."""
_NAMED_SLOTS = frozenset(
    {
        Slot.user,
        Slot.group,
        Slot.application,
        Slot.role,
        Slot.policy,
        Slot.ip_address,
        Slot.correlation_id,
        Slot.error_code,
    }
)
"""Input fields that name an object: their value must come from the question or evidence."""
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,59}")

AGENT_PROMPT = f"""\
You are the investigator of idpilot, a read-only copilot for Microsoft Entra ID \
administrators. idpilot has run skills for the administrator's question; their results are \
below as data. If the question needs more than they show (for example: a failed sign-in from \
an unfamiliar IP address, then the risk detections for that address, then what the account \
did afterwards), call ONE further skill with the tool that fits, copying every id, name or \
address from the question or the results. When the results answer the question, reply DONE \
and call nothing. Never answer the question yourself: idpilot's skills supply every fact.

{DATA_RULE}"""

RunSkill = Callable[[Skill, BaseModel], SkillResult]


@dataclass
class AgentRun:
    """What the loop added: further calls and results, its steps, and why it stopped early."""

    calls: list[SkillCall] = field(default_factory=list)
    results: list[SkillResult] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    stopped: str | None = None


def skill_tools(registry: SkillRegistry) -> list[dict[str, Any]]:
    """Every skill as a tool in OpenAI's schema: its input model's JSON schema, its docstring."""
    return [
        {
            "type": "function",
            "function": {
                "name": skill.name,
                "description": skill.description,
                "parameters": copy.deepcopy(_schema(skill.input_model)),
            },
        }
        for skill in registry.all()
    ]


@cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def step_output(names: list[str]) -> OutputSchema:
    """The schema a loop turn's reply is held to where the endpoint takes one: a skill call
    written as JSON, or `{"name": "DONE"}`."""
    return OutputSchema(
        name="skill_call",
        schema={
            "type": "object",
            "properties": {
                "name": {"type": "string", "enum": [*names, "DONE"]},
                "arguments": {"type": "object"},
            },
            "required": ["name"],
        },
    )


def loop_prompt(registry: SkillRegistry, small: bool) -> str:
    """The loop's system prompt; for a small-context model it lists the skills as signatures
    (no tool schemas are sent) and says how to write a call."""
    if not small:
        return AGENT_PROMPT
    return (
        f"{AGENT_PROMPT}\n\nSkills:\n{skill_signatures(registry)}\n\nReply with one JSON "
        'object: {"name": SKILL, "arguments": {INPUT: VALUE}} to call a skill, or '
        '{"name": "DONE"}.'
    )


def result_data(call: SkillCall, result: SkillResult, small: bool = False) -> dict[str, Any]:
    """A skill result as the model reads it: status, facts (when short), records (capped;
    fewer for a small-context model)."""
    most_records = MAX_RECORDS_SHOWN_SMALL if small else MAX_RECORDS_SHOWN
    most_facts = MAX_FACTS_CHARS_SMALL if small else MAX_FACTS_CHARS
    shown: dict[str, Any] = {
        "skill": call.name,
        "arguments": call.params,
        "status": result.status.value,
    }
    facts = result.facts.model_dump(mode="json") if isinstance(result.facts, BaseModel) else {}
    if isinstance(result.facts, dict):
        facts = result.facts
    if len(json.dumps(facts, default=str)) <= most_facts:
        shown["facts"] = facts
    shown["evidence"] = [published(record) for record in result.evidence[:most_records]]
    if len(result.evidence) > most_records:
        shown["evidence_not_shown"] = len(result.evidence) - most_records
    return shown


def run_agent(
    model: MeteredModel,
    registry: SkillRegistry,
    prompt: str,
    done: list[tuple[SkillCall, SkillResult]],
    max_steps: int,
    run_skill: RunSkill,
) -> AgentRun:
    """Let the model call further skills after reading `done`'s evidence, in `max_steps` turns."""
    run = AgentRun()
    if max_steps <= 0:
        return run
    small = small_context(model)
    tools = [] if small else skill_tools(registry)
    names = [skill.name for skill in registry.all()]
    shown = [result_data(call, result, small) for call, result in done]
    messages = [
        ChatMessage(role="system", content=loop_prompt(registry, small)),
        ChatMessage(role="user", content=prompt),
        ChatMessage(role="user", content="Results so far:\n" + quote_data(shown)),
    ]
    seen = _words_of(prompt, shown)
    called = {_key(call.name, call.params) for call, _ in done}
    output = step_output(names)
    repairing = False
    for turn_number in range(1, max_steps + 1):
        try:
            with model.doing("repair" if repairing else "step"):
                turn = model.complete(messages, tools, output=output)
        except LLMError as error:
            run.stopped = f"the model failed: {error}"
            break
        calls = turn.calls(names)
        if not calls:
            break
        call = calls[0].model_copy(update={"id": calls[0].id or f"call_{turn_number}"})
        messages.append(ChatMessage(role="assistant", content="", tool_calls=[call]))
        checked = _check(call, registry, seen, called)
        n = len(done) + len(run.steps) + 1
        started = time.perf_counter()
        if not isinstance(checked, str):
            try:
                result = run_skill(*checked)
            except IdpilotError as error:  # a user error for these inputs: the model may repair
                checked = f"{call.name} refused the arguments: {error}"[:MAX_PROBLEM_CHARS]
        if isinstance(checked, str):
            run.steps.append(_invalid_step(n, call, checked))
            if repairing:
                run.stopped = f"the model's call stayed invalid after one repair: {checked}"
                break
            repairing = True
            messages.append(_tool_reply(call, f"Invalid call: {checked}. Correct it, or DONE."))
            continue
        repairing = False
        skill = checked[0]
        latency = round((time.perf_counter() - started) * 1000, 1)
        record = SkillCall(name=skill.name, params=call.arguments or {})
        ids, count = result_ids(result.evidence)
        run.steps.append(
            Step(
                n=n,
                tool=skill.name,
                arguments=record.params,
                origin=StepOrigin.model,
                status=result.status.value,
                result_ids=ids,
                result_count=count,
                latency_ms=latency,
            )
        )
        called.add(_key(record.name, record.params))
        run.calls.append(record)
        run.results.append(result)
        data = result_data(record, result, small)
        seen += _words_of("", [data])
        messages.append(_tool_reply(call, quote_data(data)))
    return run


def _check(
    call: ToolCall, registry: SkillRegistry, seen: str, called: set[str]
) -> tuple[Skill, BaseModel] | str:
    """The skill and its validated input, or what is wrong with the call."""
    if call.name not in registry:
        return f"there is no skill named {_shown_name(call.name)!r}"
    if call.arguments is None:
        return "the arguments are not a JSON object"
    skill = registry.get(call.name)
    try:
        params = skill.input_model.model_validate(call.arguments)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(input)'}: {e['msg']}" for e in error.errors()
        )
        return f"invalid arguments for {skill.name}: {problems}"[:MAX_PROBLEM_CHARS]
    for name, kind in skill.slots().items():
        value = getattr(params, name, None)
        if kind in _NAMED_SLOTS and value is not None and str(value).lower() not in seen:
            return f"{name} is not in the question or the results; copy an id or name from them"
    if _key(skill.name, call.arguments) in called:
        return f"{skill.name} already ran with these arguments; its results are above"
    return skill, params


def _invalid_step(n: int, call: ToolCall, problem: str) -> Step:
    """An invalid call as the trace keeps it: its name when it is one, its argument names
    (a hostile model's values never reach the answer)."""
    return Step(
        n=n,
        tool=_shown_name(call.name),
        arguments=dict.fromkeys(call.arguments or {}, "(not run)"),
        origin=StepOrigin.model,
        status="invalid",
        note=problem,
    )


def _shown_name(name: str) -> str:
    """A tool name as the trace and the model's feedback show it: an identifier, or not."""
    return name if _IDENTIFIER.fullmatch(name) else "(not a tool name)"


def _tool_reply(call: ToolCall, content: str) -> ChatMessage:
    return ChatMessage(role="tool", content=content, tool_call_id=call.id)


def _key(name: str, arguments: dict[str, Any]) -> str:
    return name + json.dumps(arguments, sort_keys=True, default=str)


def _words_of(prompt: str, shown: list[dict[str, Any]]) -> str:
    """The question and everything shown to the model, lower case (arguments must be in it)."""
    return (prompt + "\n" + json.dumps(shown, ensure_ascii=False, default=str)).lower()
