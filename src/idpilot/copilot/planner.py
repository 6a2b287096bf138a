"""The offline planner: maps a prompt to a skill and its inputs with no LLM and no network.

Each skill declares weighted keywords and typed input slots; the planner scores skills by the
keywords present and by whether the objects the prompt names can fill the skill's slots.
Nothing here knows any tenant's names: objects are found in the store (entities.py).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from idpilot.copilot.entities import EMAIL, STOPWORDS, PromptEntities, resolve_entities
from idpilot.copilot.session import Session
from idpilot.copilot.time_phrases import TimeWindow, parse_time_window
from idpilot.skills import Skill, SkillRegistry, Slot
from idpilot.store import Store
from idpilot.store.lookup import MatchQuality

MISSING_SLOT_PENALTY = 0.3
ENTITY_BONUS = 1.0
# A name matched only by some of its words ("graph" in "Microsoft Graph") is weak evidence
# that the prompt is about that object.
PARTIAL_ENTITY_BONUS = 0.25
# Below this keyword score the prompt says little more than a name: describe what it names.
DESCRIBE_BELOW = 1.0
_SLOT_KINDS = {
    Slot.user: "user",
    Slot.group: "group",
    Slot.application: "servicePrincipal",
    Slot.role: "unifiedRoleDefinition",
    Slot.policy: "conditionalAccessPolicy",
}
_AFTER_NAME_WORD = re.compile(
    r"\b(?:about|named|called|for|is|user|group)\s+([\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s*[?.!]*$", re.I
)
_CAPITALISED = re.compile(r"\b([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")


class PlannedCall(BaseModel):
    """One skill to run, with validated-to-be parameters."""

    skill: str
    params: dict[str, Any] = Field(default_factory=dict)
    score: float = 0.0


class Plan(BaseModel):
    """What to run for a prompt, or why nothing can be run."""

    calls: list[PlannedCall] = Field(default_factory=list)
    window: TimeWindow | None = None
    missing: str | None = None  # the slot kind the prompt lacks ("user", "group")
    unresolved_name: str | None = None
    out_of_scope: bool = False


def _keyword_score(skill: Skill, text: str) -> float:
    return sum(
        weight
        for phrase, weight in skill.keywords.items()
        if re.search(rf"\b{re.escape(phrase)}\b", text)
    )


def _required_slots(skill: Skill) -> dict[str, Slot]:
    fields = skill.input_model.model_fields
    return {name: kind for name, kind in skill.slots().items() if fields[name].is_required()}


def _fill(
    skill: Skill, entities: PromptEntities, window: TimeWindow | None, prompt: str
) -> tuple[dict[str, Any], list[Slot]]:
    """Parameters for the skill's slots from what the prompt names, and the slots left empty."""
    params: dict[str, Any] = {}
    missing: list[Slot] = []
    required = _required_slots(skill)
    for name, kind in skill.slots().items():
        value = _slot_value(kind, entities, window, prompt)
        if value is not None:
            params[name] = value
        elif name in required:
            missing.append(kind)
    return params, missing


def _slot_value(
    kind: Slot, entities: PromptEntities, window: TimeWindow | None, prompt: str
) -> Any:
    if kind in _SLOT_KINDS:
        grouped = entities.groups_by_phrase(_SLOT_KINDS[kind])
        if not grouped:
            return None
        phrase, matches = next(iter(grouped.items()))
        ids = {m.id for m in matches}
        return matches[0].id if len(ids) == 1 else phrase
    if kind is Slot.time_window:
        return window.model_dump(mode="json") if window else None
    if kind is Slot.ip_address:
        return entities.ips[0] if entities.ips else None
    if kind is Slot.correlation_id:
        return entities.guids[0] if entities.guids else None
    if kind is Slot.error_code:
        return entities.error_codes[0] if entities.error_codes else None
    if kind is Slot.free_text:
        return prompt
    return None


def plan_offline(
    store: Store,
    registry: SkillRegistry,
    prompt: str,
    anchor: datetime,
    session: Session | None = None,
) -> Plan:
    """Choose the best skill for the prompt and fill its inputs from the store.

    With a session, a pronoun ("he", "that group") stands for the object of that kind an
    earlier turn was about, and a bare name answering a clarifying question re-runs the
    previous question about that object.
    """
    text = " ".join(prompt.lower().split())
    entities = resolve_entities(store, prompt)
    window = parse_time_window(prompt, anchor)
    if session is not None:
        _add_referents(entities, session, prompt)
        if (retry := _clarification_retry(registry, session, entities, text)) is not None:
            return retry
    bonus_of_kind: dict[str, float] = {}
    for match in entities.matches:
        bonus = PARTIAL_ENTITY_BONUS if match.quality is MatchQuality.partial else ENTITY_BONUS
        bonus_of_kind[match.kind] = max(bonus, bonus_of_kind.get(match.kind, 0.0))
    if (describing := _describing_plan(registry, entities, window, prompt, text)) is not None:
        return describing
    best: tuple[float, Skill, dict[str, Any], list[Slot]] | None = None
    for skill in registry.all():
        score = _keyword_score(skill, text)
        params, missing = _fill(skill, entities, window, prompt)
        slot_kinds = {_SLOT_KINDS.get(k) for k in _required_slots(skill).values()}
        score += max((bonus_of_kind.get(kind, 0.0) for kind in slot_kinds if kind), default=0.0)
        if missing:
            score *= MISSING_SLOT_PENALTY
        if score > 0 and (best is None or score > best[0]):
            best = (score, skill, params, missing)
    if best is None:
        return Plan(window=window, out_of_scope=True)
    score, skill, params, missing = best
    if missing:
        return Plan(
            window=window,
            missing=_SLOT_KINDS.get(missing[0], missing[0].value),
            unresolved_name=_guess_unresolved_name(prompt),
            calls=[PlannedCall(skill=skill.name, params=params, score=score)],
        )
    return Plan(window=window, calls=[PlannedCall(skill=skill.name, params=params, score=score)])


def _describing_plan(
    registry: SkillRegistry,
    entities: PromptEntities,
    window: TimeWindow | None,
    prompt: str,
    text: str,
) -> Plan | None:
    """ "What do you know about X?": no skill's words stand out, so describe the first object."""
    if not entities.matches or any(
        _keyword_score(skill, text) >= DESCRIBE_BELOW for skill in registry.all()
    ):
        return None
    first = entities.matches[0]
    for skill in registry.all():
        if skill.describes == first.kind:
            params, missing = _fill(skill, entities, window, prompt)
            if not missing:
                return Plan(window=window, calls=[PlannedCall(skill=skill.name, params=params)])
    return None


def _add_referents(entities: PromptEntities, session: Session, prompt: str) -> None:
    """Fill a kind the prompt lacks from what a pronoun points back at."""
    named = {m.kind for m in entities.matches}
    for kind in _SLOT_KINDS.values():
        if kind not in named and (referent := session.referent(prompt, kind)) is not None:
            entities.matches.append(referent)


def _clarification_retry(
    registry: SkillRegistry, session: Session, entities: PromptEntities, text: str
) -> Plan | None:
    """The previous question again, when this prompt only answers "which one did you mean?"."""
    previous = session.last_turn()
    if previous is None or previous.skill is None or previous.status == "ok":
        return None
    skill = registry.get(previous.skill)
    if any(_keyword_score(other, text) for other in registry.all()):
        return None
    for name, kind in skill.slots().items():
        target = _SLOT_KINDS.get(kind)
        if target is None:
            continue
        grouped = entities.groups_by_phrase(target)
        if grouped:
            phrase, matches = next(iter(grouped.items()))
            value = matches[0].id if len({m.id for m in matches}) == 1 else phrase
            params = {**previous.params, name: value}
            return Plan(calls=[PlannedCall(skill=skill.name, params=params, score=0.0)])
    return None


def _guess_unresolved_name(prompt: str) -> str | None:
    """A name in the prompt that matched nothing (to quote back to the admin)."""
    if email := EMAIL.search(prompt):
        return email.group(0)
    if (after := _AFTER_NAME_WORD.search(prompt)) and not _only_stopwords(after.group(1)):
        return after.group(1)
    for match in _CAPITALISED.finditer(prompt):
        words = match.group(1).split()
        if match.start() == 0:
            words = words[1:]
        if words and not _only_stopwords(" ".join(words)):
            return " ".join(words)
    return None


def _only_stopwords(text: str) -> bool:
    return all(word.lower() in STOPWORDS for word in text.split())
