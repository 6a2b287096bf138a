"""The offline planner: turns the understood request into skill calls, with no LLM.

The understanding layer decides what is asked (scope, intent, facet) and what the prompt
names; the planner picks the skill that answers that intent and fills its typed inputs from
the request. Nothing here knows any tenant's names: objects are found in the store.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from idpilot.copilot.entities import EMAIL, FUNCTION_WORDS, STOPWORDS, PromptEntities
from idpilot.copilot.query_request import asks_for_query, names_the_language
from idpilot.copilot.script_request import carried_script
from idpilot.copilot.session import Session
from idpilot.copilot.time_phrases import TimeWindow
from idpilot.copilot.understanding.classifier import classifier_for
from idpilot.copilot.understanding.intents import (
    FACET_SKILLS,
    FACET_VALUES,
    INTENTS,
    Availability,
    skill_of,
)
from idpilot.copilot.understanding.prompt_names import maskable
from idpilot.copilot.understanding.request import CONFIDENT, Request, Scope
from idpilot.copilot.understanding.stated import LIST_FILTERS, Stated
from idpilot.copilot.understanding.understand import understand
from idpilot.skills import Skill, SkillRegistry, Slot
from idpilot.store import Store
from idpilot.store.lookup import EntityMatch, MatchQuality

CLARIFICATION_MAX_WORDS = 4
NAME_RUN_WORDS = (2, 3)
"""How many unfamiliar words in a row read as a person's name typed in lower case."""
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")  # the classifier's words
GUESS_FLOOR = 0.25
GUESS_MARGIN = 1.2
"""An unsure reading is answered (and said to be a reading) when it has at least this
probability and is this many times likelier than the next; closer calls are asked about."""
_KQL, _WRITE_QUERY, _TABLES = "kql", "write_query", "tables"
_SCRIPT_ANALYSIS = "script_analysis"
DESCRIBE_MAX_WORDS = 0
"""A prompt with at most this many words besides a name asks about that object in general."""
# Words that say nothing about what is asked ("what do you know about X?", "X please").
_MEANINGFUL = frozenset(["why", "when", "where", "how", "not", "no", "all", "any", "some"])
"""Function words that still ask something ("why is X in Y?" is not "tell me about X")."""
_FILLER = (FUNCTION_WORDS - _MEANINGFUL) | frozenset(
    [
        "whats",
        "know",
        "anything",
        "else",
        "more",
        "everything",
        "detail",
        "summary",
        "overview",
        "hey",
        "hi",
        "ok",
        "okay",
        "mean",
        "meant",
        "quick",
        "rundown",
        "who's",
        "what's",
        "look",
        "up",
    ]
)
SLOT_KINDS = {
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

    model_config = ConfigDict(arbitrary_types_allowed=True)

    calls: list[PlannedCall] = Field(default_factory=list)
    window: TimeWindow | None = None
    missing: str | None = None  # the slot kind the prompt lacks ("user", "group")
    unresolved_name: str | None = None
    out_of_scope: bool = False
    help: bool = False  # a question about idpilot itself
    clarify: bool = False  # too close to call between readings: ask which was meant
    not_yet: str | None = None  # an intent idpilot has no skill for yet
    unapplied: list[str] = Field(default_factory=list)
    """Conditions the prompt states that the planned skills cannot apply (said in the answer)."""
    read_as: bool = False
    """Unsure what was asked, the plan answers the likeliest reading (and the answer says so)."""
    request: Request | None = Field(default=None, exclude=True)


def _required_slots(skill: Skill) -> dict[str, Slot]:
    fields = skill.input_model.model_fields
    return {name: kind for name, kind in skill.slots().items() if fields[name].is_required()}


def _fill(
    skill: Skill,
    entities: PromptEntities,
    window: TimeWindow | None,
    prompt: str,
    stated: Stated | None = None,
) -> tuple[dict[str, Any], list[Slot]]:
    """Parameters for the skill's slots from what the prompt names, and the slots left empty."""
    params: dict[str, Any] = {}
    missing: list[Slot] = []
    required = _required_slots(skill)
    only_sure = skill.only_sure_slots()
    for name, kind in skill.slots().items():
        if kind is Slot.stated:
            value = stated.values.get(name) if stated else None
        elif kind in (Slot.free_text, Slot.question):
            value = prompt
        elif kind is Slot.script:
            value = carried_script(prompt)
        elif (
            kind is Slot.error_code and name not in required and len(set(entities.error_codes)) > 1
        ):
            # Rows pasted with several codes ("50126 ... 50053"): the failures are read whole,
            # the latest explained, not narrowed to the first code said.
            value = None
        elif name in only_sure:
            value = _slot_value(kind, _surely_named(entities), window)
        elif name not in required:
            value = _slot_value(kind, _without_shared_words(entities), window)
        else:
            value = _slot_value(kind, entities, window)
        if value is not None:
            params[name] = value
        elif name in required:
            missing.append(kind)
    if alternatives := skill.alternatives():
        # Exactly one of them ("would someone holding Global Administrator ..." names a role
        # and no user): the first named wins; naming none lacks the first.
        named = [name for name in alternatives if name in params]
        for name in named[1:]:
            del params[name]
        if not named:
            missing.append(skill.slots()[alternatives[0]])
    return params, missing


def _without_shared_words(entities: PromptEntities) -> PromptEntities:
    """The prompt's entities without one word that several objects' names share ("service",
    "office", "team"): a word of the prompt, not a name, when only an optional narrowing would
    take it (a required object still asks which one is meant)."""
    shared = {
        (kind, phrase)
        for kind in {m.kind for m in entities.matches}
        for phrase, matches in entities.groups_by_phrase(kind).items()
        if len(phrase.split()) == 1
        and len({m.id for m in matches}) > 1
        and all(m.quality is MatchQuality.partial for m in matches)
    }
    kept = [m for m in entities.matches if (m.kind, m.phrase) not in shared]
    return replace(entities, matches=kept)


def _surely_named(entities: PromptEntities) -> PromptEntities:
    """The prompt's entities without the words that merely occur in some objects' names."""
    return replace(entities, matches=[m for m in entities.matches if maskable(m)])


def _slot_value(kind: Slot, entities: PromptEntities, window: TimeWindow | None) -> Any:
    if kind in SLOT_KINDS:
        grouped = entities.groups_by_phrase(SLOT_KINDS[kind])
        if not grouped:
            return None
        # Of several phrases naming objects of the kind, the surest: a full name or alias
        # before a partial one, then the one saying more words ("graph perms of legacy sync":
        # the app is Legacy Sync, "graph" only says what kind of permissions).
        phrase, matches = min(grouped.items(), key=lambda item: _sureness(*item))
        ids = {m.id for m in matches}
        return matches[0].id if len(ids) == 1 else phrase
    if kind is Slot.time_window:
        return window.model_dump(mode="json") if window else None
    if kind is Slot.ip_address:
        return entities.ips[0] if entities.ips else None
    if kind is Slot.correlation_id:
        # An id that names a user, group, app or policy is no attempt's id.
        named = {m.id.lower() for m in entities.matches} | {m.phrase for m in entities.matches}
        return next((g for g in entities.guids if g not in named), None)
    if kind is Slot.error_code:
        return entities.error_codes[0] if entities.error_codes else None
    return None


_QUALITY_RANK = {
    MatchQuality.id: 0,
    MatchQuality.exact: 1,
    MatchQuality.alias: 2,
    MatchQuality.first_name: 3,
    MatchQuality.fuzzy: 4,
}


def _sureness(phrase: str, matches: list[EntityMatch]) -> tuple[int, int]:
    """Sort key of a phrase's matches: sure matches first, then longer phrases. Of a group,
    app, role or policy named surely twice, the surer name (an id, the whole name, an alias);
    of people, the first named (the question's subject comes first)."""
    partial = all(m.quality is MatchQuality.partial for m in matches)
    if partial:
        return len(_QUALITY_RANK) + 1, -len(phrase.split())
    if any(m.kind == "user" for m in matches):
        return 0, 0
    return min(_QUALITY_RANK.get(m.quality, len(_QUALITY_RANK)) for m in matches), 0


def plan_offline(
    store: Store,
    registry: SkillRegistry,
    prompt: str,
    anchor: datetime,
    session: Session | None = None,
) -> Plan:
    """Understand the prompt once (intent, facet, names, window) and plan the skills for it.

    With a session, a pronoun ("he", "that group") stands for the object of that kind an
    earlier turn was about, and a bare name answering a clarifying question re-runs the
    previous question about that object.
    """
    request = understand(store, registry, prompt, anchor, session)
    return plan_request(registry, request, session)


def plan_request(registry: SkillRegistry, request: Request, session: Session | None) -> Plan:
    """The skills that answer a typed request, with their inputs filled from it."""
    request = _as_script_request(_as_query_request(request))
    text = " ".join(request.prompt.lower().split())
    entities, window, prompt = request.entities, request.window, request.prompt
    retry = (
        _clarification_retry(registry, session, entities, text)
        if session is not None and _answers_clarification(request)
        else None
    )
    if retry is not None:
        return retry
    describing = (
        None if _understood(request) else _describing_plan(registry, entities, window, prompt, text)
    )
    if describing is not None:
        return describing.model_copy(update={"request": request})
    if request.scope is Scope.out:
        return Plan(window=window, out_of_scope=True, request=request)
    if request.scope is Scope.capabilities:
        return Plan(window=window, help=True, request=request)
    read_as = request.unsure and not request.parts and not request.unmet
    if read_as and not _worth_answering(request):
        return Plan(window=window, request=request, clarify=True)
    spec = INTENTS.get(request.intent)
    if spec is not None and spec.availability is Availability.not_yet:
        return Plan(window=window, request=request, not_yet=request.intent)
    if (
        spec is not None
        and spec.requires_stated
        and spec.requires_stated not in (request.stated.values)
    ):
        return Plan(window=window, out_of_scope=True, request=request)
    calls: list[PlannedCall] = []
    for part in request.parts or [request]:
        skill = registry.get(skill_of(part.intent, part.facet))
        stated = request.stated.with_values(FACET_VALUES.get((part.intent, part.facet or ""), {}))
        stated = stated.with_values(_read_values(skill.name, part))
        params, missing = _fill(skill, part.entities, part.window or window, part.prompt, stated)
        if missing:
            return Plan(
                window=window,
                request=request,
                missing=SLOT_KINDS.get(missing[0], missing[0].value),
                unresolved_name=next(iter(entities.unknown_names), None)
                or _guess_unresolved_name(prompt),
                calls=[PlannedCall(skill=skill.name, params=params, score=part.confidence)],
            )
        calls.append(PlannedCall(skill=skill.name, params=params, score=part.confidence))
    return Plan(
        window=window,
        calls=calls,
        request=request,
        unapplied=_unapplied(registry, calls, request),
        read_as=read_as,
    )


def _worth_answering(request: Request) -> bool:
    """Unsure, but one reading stands clearly above the next: an admin would rather have that
    answer, said to be a reading, than a question back. Near-even readings are asked about."""
    best, *rest = request.readings
    spec = INTENTS.get(best.intent)
    if spec is not None and spec.availability is not Availability.skill:
        return False
    runner_up = rest[0].probability if rest else 0.0
    return best.probability >= GUESS_FLOOR and best.probability >= GUESS_MARGIN * runner_up


def _unapplied(registry: SkillRegistry, calls: list[PlannedCall], request: Request) -> list[str]:
    """What the prompt states that none of the planned skills takes, in words."""
    accepted = {
        name
        for call in calls
        for name, kind in registry.get(call.skill).slots().items()
        if kind is Slot.stated
    }
    if not accepted & LIST_FILTERS:
        return []  # a skill that lists nothing filtered answers about what the prompt names
    unapplied = request.stated.unapplied(accepted) + request.stated.conditions
    windowed = any(
        kind is Slot.time_window
        for call in calls
        for kind in registry.get(call.skill).slots().values()
    )
    if request.window is not None and request.window.phrase and not windowed:
        unapplied.append(request.window.phrase)  # a list that has no time: "dismissed in May"
    return unapplied


def _as_query_request(request: Request) -> Request:
    """A prompt that asks for a KQL query is a request for one, whatever else it is about:
    "write a query for Bob's sign-ins from Germany" wants the query, not the summary; one that
    asks only how much a table holds or how far back it goes is about the tables."""
    asked = asks_for_query(request.prompt) and request.scope is not Scope.capabilities
    if request.scope is Scope.out and not names_the_language(request.prompt):
        asked = False
    if request.intent == _KQL and request.facet not in (None, _WRITE_QUERY):
        return request  # "which tables can I query with KQL?"
    if not asked and request.intent != _KQL:
        return request
    from idpilot.copilot.kql_reading import about_the_tables  # loads the query builder

    return replace(
        request,
        scope=Scope.tenant,
        intent=_KQL,
        facet=_TABLES if about_the_tables(request) else _WRITE_QUERY,
        confidence=max(request.confidence, CONFIDENT),
        unmet=[],
        parts=[],
    )


def _as_script_request(request: Request) -> Request:
    """A prompt that carries a script or an encoded blob (a code block, PowerShell or shell
    syntax, `-EncodedCommand`, a long base64 run) asks what it does, whatever the classifier
    read: "is this safe to run? Get-MgUser ... | Remove-MgUser" wants the script analysed."""
    if request.intent == _KQL or carried_script(request.prompt) is None:
        return request
    return replace(
        request,
        scope=Scope.tenant,
        intent=_SCRIPT_ANALYSIS,
        facet=None,
        confidence=max(request.confidence, CONFIDENT),
        unmet=[],
        parts=[],
    )


def _read_values(skill: str, request: Request) -> dict[str, Any]:
    """Inputs a skill takes as one typed reading of the whole request (the question a
    request for a query asks)."""
    if skill != FACET_SKILLS[(_KQL, _WRITE_QUERY)]:
        return {}
    from idpilot.copilot.kql_reading import read_kql_question

    return {"question": read_kql_question(request).model_dump(mode="json")}


def _answers_clarification(request: Request) -> bool:
    """The prompt is little more than a name: it may answer "which one did you mean?"."""
    return len(request.prompt.split()) <= CLARIFICATION_MAX_WORDS


def _understood(request: Request) -> bool:
    """Sure what the prompt asks, so a prompt of little more than names is not taken for "tell
    me about <the first one>": "should Jörg be in <group>?", "is she fine now?"."""
    return not request.unsure and request.scope is Scope.tenant


def _describing_plan(
    registry: SkillRegistry,
    entities: PromptEntities,
    window: TimeWindow | None,
    prompt: str,
    text: str,
) -> Plan | None:
    """ "What do you know about X?": the prompt says little but a name, so describe it."""
    if not entities.matches or _content_words(text, entities) > DESCRIBE_MAX_WORDS:
        return None
    first = entities.matches[0]
    for skill in registry.all():
        if skill.describes == first.kind:
            params, missing = _fill(skill, entities, window, prompt)
            if not missing:
                return Plan(window=window, calls=[PlannedCall(skill=skill.name, params=params)])
    return None


def _content_words(text: str, entities: PromptEntities) -> int:
    """Words of the prompt that are neither a name it holds nor a stopword."""
    named = {word for match in entities.matches for word in match.phrase.split()}
    words = re.findall(r"[\w'’-]+", text)
    return sum(1 for w in words if w not in named and w not in _FILLER)


def _clarification_retry(
    registry: SkillRegistry, session: Session, entities: PromptEntities, text: str
) -> Plan | None:
    """The previous question again, when this prompt only answers "which one did you mean?"."""
    previous = session.last_turn()
    if previous is None or previous.skill is None or previous.status == "ok":
        return None
    if previous.skill not in registry or _content_words(text, entities) > DESCRIBE_MAX_WORDS:
        return None
    skill = registry.get(previous.skill)
    for name, kind in skill.slots().items():
        target = SLOT_KINDS.get(kind)
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
    return _unfamiliar_words(prompt)


def _unfamiliar_words(prompt: str) -> str | None:
    """Two or three words in a row that no exemplar uses, typed in lower case the way admins
    type names ("why cant kevin o'sullivan log in"): a name, as none of idpilot's words are."""
    classifier = classifier_for(())
    run: list[str] = []
    for word in [*_WORD.findall(prompt.lower()), ""]:
        if (
            word.replace("'", "").replace("’", "").isalpha()
            and classifier.exemplars_using(word) == 0
        ):
            run.append(word)
            continue
        if NAME_RUN_WORDS[0] <= len(run) <= NAME_RUN_WORDS[1]:
            return " ".join(run)
        run = []
    return None


def _only_stopwords(text: str) -> bool:
    return all(word.lower() in STOPWORDS for word in text.split())
