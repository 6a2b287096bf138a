"""A model's RequestDraft checked and turned into the same typed Request the offline layer makes.

The model only reads the prompt; every value still comes from idpilot's own readers:

* The intent and facet must be known (the draft's enums), the facet one of the intent's, and
  the scope the intent's own (`help` is capabilities, `out_of_scope` is out, else tenant).
* Every name, the time phrase, every condition and every part's question must be whole words
  of the prompt; the name of a directory object may instead be words of an earlier turn (its
  prompt, inputs, or the objects it was about). A name the model made up is rejected, never
  looked up.
* Names are resolved once, as offline: a name the offline layer already resolved keeps its
  matches, an object of an earlier turn is that object, any other goes through the store's
  name lookup. A name that matches nothing is left for the planner to report, as offline.
* The window is the offline time-phrase parser's reading of the model's time phrase; with no
  phrase, or one the parser cannot read, the parser's reading of the prompt stands.
* Conditions, places, platforms and departments go through the offline typed readers
  (`understanding/stated.py`, `filters.py`) on top of their reading of the whole prompt; a
  condition none of them reads is a condition not applied, reported as offline.

Anything that breaks these rules raises `DraftRejected`, whose message is the fallback reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from idpilot.copilot.entities import FUNCTION_WORDS, PromptEntities
from idpilot.copilot.request_draft import Names, PartDraft, RequestDraft, facets_by_intent
from idpilot.copilot.session import Session, Turn
from idpilot.copilot.time_phrases import TimeWindow, parse_time_window
from idpilot.copilot.understanding.classifier import IntentScore
from idpilot.copilot.understanding.intents import INTENTS, Availability
from idpilot.copilot.understanding.request import Request, Scope
from idpilot.copilot.understanding.slots import (
    PromptSlots,
    QuestionForm,
    extract_slots,
    question_form,
)
from idpilot.copilot.understanding.stated import Stated, read_stated
from idpilot.copilot.understanding.understand import READINGS_KEPT, known_cities, unmet_needs
from idpilot.skills.builtin._role_names import role_in_text
from idpilot.skills.resolve import resolve
from idpilot.store import Store
from idpilot.store.directory import departments
from idpilot.store.lookup import EntityMatch, MatchQuality

MODEL_CONFIDENCE = 1.0
"""The model gives no probability: a valid reading is taken as sure (it never asks back)."""
MAX_PARTS = 3
"""More questions than this in one prompt means the model is flailing: plan offline."""
CONTEXT_TURNS = 3
"""Earlier turns shown to the model, and whose objects its names may come from."""
MAX_QUOTED = 60
"""Longest model-chosen value quoted back in a fallback reason."""

T = TypeVar("T")
_WORD = re.compile(r"\w+")
_ERROR_CODE = re.compile(r"(?:aadsts)?(\d{5,7})", re.I)
_KIND_WORDS = {
    "user": "user",
    "group": "group",
    "servicePrincipal": "app",
    "unifiedRoleDefinition": "role",
    "conditionalAccessPolicy": "policy",
}


class DraftRejected(Exception):
    """The model's request breaks a rule; the message says which (the fallback reason)."""


def read_draft(
    draft: RequestDraft,
    store: Store,
    offline: Request,
    anchor: datetime,
    session: Session | None = None,
) -> Request:
    """The Request the model's draft stands for, checked against the prompt and the session.

    `offline` is the offline layer's Request for the same prompt: its resolved names and its
    reading of the whole prompt are reused, not computed again.
    """
    prompt = offline.prompt
    facets = facets_by_intent()
    _check_reading(draft.intent, draft.facet, draft.scope, facets)
    entities = _entities(draft.names, store, offline.entities, prompt, session)
    window, unread_time = _window(draft.time_phrase, prompt, anchor, offline.window)
    names = tuple(n.strip().lower() for ns in draft.names.objects().values() for n in ns)
    phrases = [*draft.conditions, *draft.names.places_and_platforms()]
    for phrase in phrases:
        if not in_words(phrase, prompt):
            raise DraftRejected(f"the model's condition {quoted(phrase)} is not in the prompt")
    skip = (*names, draft.time_phrase or "")
    stated = _stated(store, anchor, offline.stated, phrases, names, skip)
    if unread_time:  # a time the parser cannot read ("over the holidays") is not applied
        stated.conditions = _distinct([*stated.conditions, unread_time])
    readings = [
        IntentScore(draft.intent, MODEL_CONFIDENCE, draft.facet),
        *(r for r in offline.readings if r.intent != draft.intent),
    ]
    request = Request(
        prompt=prompt,
        scope=draft.scope,
        intent=draft.intent,
        facet=draft.facet,
        confidence=MODEL_CONFIDENCE,
        readings=readings[:READINGS_KEPT],
        form=draft.form,
        entities=entities,
        window=window,
        stated=stated,
        unmet=unmet_needs(draft.intent, named_kinds(entities)),
    )
    request.parts = _parts(draft.parts, request, facets)
    return request


def named_kinds(entities: PromptEntities) -> set[str]:
    """The kinds of things resolved names stand for (objects, error codes, IP addresses)."""
    named = {m.kind for m in entities.matches}
    if entities.error_codes:
        named.add("errorCode")
    if entities.ips:
        named.add("ip")
    return named


def scope_of(intent: str) -> Scope:
    """The scope an intent belongs to."""
    spec = INTENTS.get(intent)
    availability = spec.availability if spec else Availability.skill
    return {
        Availability.out_of_scope: Scope.out,
        Availability.help: Scope.capabilities,
    }.get(availability, Scope.tenant)


def quoted(value: object) -> str:
    """A model-chosen value, shortened for a limits note (it may echo injected text)."""
    text = repr(str(value))
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 2] + "…'"


def normal(text: str) -> str:
    """Words only, case-folded: "Staff - APAC" and "staff apac" are the same reference."""
    return " ".join(_WORD.findall(text.casefold()))


def in_words(value: str, prompt: str) -> bool:
    """True when `value` is whole words of `prompt` (case and punctuation aside)."""
    wanted = normal(value)
    return bool(wanted) and f" {wanted} " in f" {normal(prompt)} "


def named_by_admin(value: str, prompt: str, session: Session | None) -> bool:
    """True when the prompt names the reference, or an earlier turn was about that object."""
    said = [prompt]
    for turn in _recent(session):
        said += [turn.prompt, *(str(v) for v in turn.params.values())]
        said += [text for subject in turn.subjects for text in (subject.id, subject.label)]
    return any(in_words(value, text) for text in said)


def _recent(session: Session | None) -> list[Turn]:
    return session.turns[-CONTEXT_TURNS:] if session is not None else []


def _check_reading(
    intent: str, facet: str | None, scope: Scope, facets: dict[str, tuple[str, ...]]
) -> None:
    if facet is not None and facet not in facets.get(intent, ()):
        raise DraftRejected(f"the model's facet {quoted(facet)} is not one of {intent}'s")
    if scope_of(intent) is not scope:
        raise DraftRejected(f"the model's scope ({scope.value}) does not fit its intent {intent}")


def _entities(
    names: Names,
    store: Store,
    offline: PromptEntities,
    prompt: str,
    session: Session | None,
) -> PromptEntities:
    found = PromptEntities()
    for kind, values in names.objects().items():
        for value in values:
            if not named_by_admin(value, prompt, session):
                raise DraftRejected(
                    f"the model named a {_KIND_WORDS[kind]} ({quoted(value)}) "
                    "the conversation did not"
                )
            for match in _resolved(value, kind, store, offline, session):
                if match not in found.matches:
                    found.matches.append(match)
    found.ips = [_held(v, v.strip(), offline.ips, "IP address") for v in names.ips]
    found.error_codes = [
        _held(v, _error_code(v), offline.error_codes, "error code") for v in names.error_codes
    ]
    found.guids = [_held(v, v.strip().lower(), offline.guids, "id") for v in names.request_ids]
    return found


def _held(value: str, read: T | None, in_prompt: list[T], what: str) -> T:
    """An identifier the model copied, when the prompt holds it (as the offline layer read it)."""
    if read is None or read not in in_prompt:
        raise DraftRejected(f"the model's {what} {quoted(value)} is not one in the prompt")
    return read


def _error_code(text: str) -> int | None:
    match = _ERROR_CODE.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def _resolved(
    value: str,
    kind: str,
    store: Store,
    offline: PromptEntities,
    session: Session | None,
) -> list[EntityMatch]:
    """The objects a name stands for, found once: offline's matches, a turn's, or the store's."""
    wanted, reference = normal(value), value.strip()
    reused = [
        m
        for m in offline.of_kind(kind)
        if wanted in (normal(m.phrase), normal(m.label)) or m.id == reference.lower()
    ]
    if reused:
        return reused
    phrase = reference.lower()
    for turn in reversed(_recent(session)):
        for subject in turn.subjects:
            if subject.kind == kind and (subject.id == phrase or in_words(wanted, subject.label)):
                return [subject.model_copy(update={"phrase": phrase, "quality": MatchQuality.id})]
    resolution = resolve(store, reference, kind)
    matches = [resolution.match] if resolution.match else resolution.candidates
    if not matches and kind == "unifiedRoleDefinition":
        return [
            EntityMatch(
                kind=kind,
                id=r["id"],
                label=r["displayName"],
                detail=r.get("templateId") or "",
                phrase=phrase,
                quality=MatchQuality.alias,
            )
            for r in role_in_text(store, reference)[:1]
        ]
    return [m.model_copy(update={"phrase": phrase}) for m in matches]


def _window(
    phrase: str | None, prompt: str, anchor: datetime, offline: TimeWindow | None
) -> tuple[TimeWindow | None, str | None]:
    """The window of the model's time phrase, and the phrase when nothing could read it."""
    if phrase is None or not phrase.strip():
        return offline, None
    if not in_words(phrase, prompt):
        raise DraftRejected(f"the model's time phrase {quoted(phrase)} is not in the prompt")
    window = parse_time_window(phrase, anchor)
    if window is not None:
        return window, None
    return offline, None if offline is not None else phrase.strip()


def _stated(
    store: Store,
    anchor: datetime,
    offline: Stated,
    phrases: list[str],
    names: tuple[str, ...],
    skip: Iterable[str],
) -> Stated:
    """The whole prompt's stated values plus what the typed readers make of each phrase."""
    values = dict(offline.values)
    conditions = list(offline.conditions)
    skipped = {word for text in skip for word in normal(text).split()}
    phrases = [p for p in phrases if set(normal(p).split()) - skipped - FUNCTION_WORDS]
    cities = known_cities(store) if phrases else ()
    known_departments = departments(store) if phrases else ()
    for phrase in phrases:
        slots = extract_slots(phrase, anchor, cities)
        read = read_stated(store, phrase, slots, names, known_departments)
        for key, value in read.values.items():
            values.setdefault(key, value)
        conditions += read.conditions
        if not read.values and not read.conditions and not _read_by_slots(slots):
            conditions.append(phrase.strip())
    return Stated(values=values, conditions=_distinct(conditions), place_words=offline.place_words)


def _read_by_slots(slots: PromptSlots) -> bool:
    """The slot parsers read something in the phrase that stated values do not carry."""
    return bool(
        slots.window or slots.number is not None or slots.days is not None
        or slots.ips or slots.ip_ranges or slots.error_codes
    )  # fmt: skip


def _distinct(conditions: list[str]) -> list[str]:
    """Conditions without repeats: one whose words lie inside another's is the same one."""
    kept: list[str] = []
    for condition in conditions:
        words = f" {normal(condition)} "
        if any(words in f" {normal(other)} " for other in kept):
            continue
        kept = [k for k in kept if f" {normal(k)} " not in words] + [condition]
    return kept


def _parts(
    drafts: list[PartDraft], whole: Request, facets: dict[str, tuple[str, ...]]
) -> list[Request]:
    """One request per question of a compound prompt (none when they ask the same thing)."""
    if len(drafts) > MAX_PARTS:
        raise DraftRejected(f"the model split the prompt into {len(drafts)} questions")
    parts: list[Request] = []
    for draft in drafts:
        _check_reading(draft.intent, draft.facet, Scope.tenant, facets)
        spec = INTENTS.get(draft.intent)
        if spec is not None and spec.availability is not Availability.skill:
            raise DraftRejected(f"the model's part {draft.intent} is not answered by a skill")
        if not in_words(draft.question, whole.prompt):
            question = quoted(draft.question)
            raise DraftRejected(f"the model's question {question} is not in the prompt")
        if draft.intent in {p.intent for p in parts}:
            continue
        parts.append(
            replace(
                whole,
                prompt=draft.question,
                intent=draft.intent,
                facet=draft.facet,
                readings=[IntentScore(draft.intent, MODEL_CONFIDENCE, draft.facet)],
                form=QuestionForm(question_form(draft.question)),
                unmet=unmet_needs(draft.intent, named_kinds(whole.entities)),
                parts=[],
            )
        )
    return parts if len(parts) >= 2 else []
