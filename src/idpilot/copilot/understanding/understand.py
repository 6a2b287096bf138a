"""A prompt becomes one typed Request: names resolved once, intent and facet recognised from
meaning, what the intent needs checked against what the prompt names, scope decided.

The steps live in their own modules: `prompt_names` cleans and masks the names, `weighing`
weighs readings by what is named, `cues` reads what the question's shape asks, `follow_up`
reads a prompt as part of a conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from idpilot.copilot.described_by_app_role import names_another_holder
from idpilot.copilot.described_people import described_people
from idpilot.copilot.entities import PromptEntities, resolve_entities
from idpilot.copilot.session import Session
from idpilot.copilot.time_phrases import TimeWindow
from idpilot.copilot.understanding.abbreviations import spelled_out
from idpilot.copilot.understanding.checks_asked import checks_asked
from idpilot.copilot.understanding.classifier import (
    Exemplar,
    IntentClassifier,
    IntentScore,
    classifier_for,
)
from idpilot.copilot.understanding.compared_people import (
    PER_PERSON,
    RISK_SUMMARY,
    compared_on_risk,
    compared_people,
    entities_of_one,
)
from idpilot.copilot.understanding.comparisons import compared_windows
from idpilot.copilot.understanding.cues import (
    AUDIT_HISTORY,
    COUNTED,
    POSTURE,
    asks_a_verdict,
    favour_by_shape,
    one_policy_asked,
    whose_policy_changes,
)
from idpilot.copilot.understanding.described_apps import swap_for_app_by_credential
from idpilot.copilot.understanding.described_by_usage import swap_for_app_by_usage
from idpilot.copilot.understanding.described_groups import swap_for_described_group
from idpilot.copilot.understanding.described_policies import swap_for_described_policy
from idpilot.copilot.understanding.event_windows import dated_by_a_change
from idpilot.copilot.understanding.follow_up import (
    add_referents,
    add_referred_values,
    asks_again,
    continuing,
    drilling_down,
    is_elliptic,
    narrows,
    only_another_object,
    pick_listed,
    same_person_again,
    same_window,
    swap_referent_for_actor,
    values_kept,
    window_before,
)
from idpilot.copilot.understanding.foreign_terms import (
    apps_said_otherwise,
    drop_names_in_foreign_terms,
    in_entra_terms,
)
from idpilot.copilot.understanding.graph_queries import query_in_words
from idpilot.copilot.understanding.intents import (
    COVERS,
    DESCRIBING,
    INTENTS,
    Availability,
    skill_of,
)
from idpilot.copilot.understanding.linked_groups import swap_for_linked_group
from idpilot.copilot.understanding.off_topic import device_action, off_topic
from idpilot.copilot.understanding.other_languages import in_english
from idpilot.copilot.understanding.own_deadline import dates_the_askers_own_action
from idpilot.copilot.understanding.populations import POPULATION, asks_what_happens
from idpilot.copilot.understanding.prompt_names import (
    NAMED_OUTRIGHT,
    PARTIAL_WORDS,
    add_roles_in_words,
    blank_names,
    distinctive_words_as_names,
    drop_api_names,
    drop_home_places,
    drop_names_inside_compounds,
    drop_names_of_networks,
    drop_question_shaped_names,
    drop_speaker,
    inexact_match,
    keep_closest_names,
    mask_department,
    mask_names,
    mask_places,
    maskable,
    narrow_by_department,
    said_as_department,
    unresolved_name,
    without_relay,
    without_speaker_role,
)
from idpilot.copilot.understanding.quoted_errors import add_quoted_error_codes
from idpilot.copilot.understanding.relations import (
    changed_person_first,
    reports_to,
    swap_for_manager,
    swap_for_owner,
    swap_for_role_holder,
)
from idpilot.copilot.understanding.request import CONFIDENT, QuestionForm, Request, Scope
from idpilot.copilot.understanding.sign_in_ids import name_the_signed_in_user
from idpilot.copilot.understanding.slots import extract_slots, question_form
from idpilot.copilot.understanding.stated import (
    LIST_FILTERS,
    PRIVILEGED_PHRASE,
    Stated,
    read_stated,
)
from idpilot.copilot.understanding.weighing import (
    DEPARTMENT,
    HYPOTHETICAL,
    OBJECT_KINDS,
    PLACE,
    RECORDED,
    STRONG,
    WINDOW,
    named_kinds,
    takes_a_person,
    unmet_needs,
    weighed,
)
from idpilot.skills import SkillRegistry
from idpilot.skills.base import Slot
from idpilot.store import Store
from idpilot.store.directory import departments, sign_in_cities
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.version_memo import per_snapshot

__all__ = [
    "PARTIAL_WORDS",
    "READINGS_KEPT",
    "blank_names",
    "known_cities",
    "mask_names",
    "question_form",
    "understand",
    "unmet_needs",
    "unresolved_name",
]


@dataclass(frozen=True)
class _Vocabulary:
    cities: tuple[str, ...]
    departments: tuple[str, ...]


DOUBT_OUT = 0.15
"""Unsure, with at least this probability of "out of scope": treated as out of scope."""

_OUT = IntentScore(intent="out_of_scope", probability=1.0, facet=None)

READINGS_KEPT = 3

PARTIAL_NAME_WORDS = 2
"""Words of an app's or group's name that show the prompt is about the tenant ("legacy sync")."""

PART_CONFIDENT = 0.5
"""A question of a compound prompt runs its own skill only when this sure of its intent."""

MIN_PART_WORDS = 3
_NOT_THAT_PERSON = re.compile(
    r"\bnot\s+(?:him|her|them|that\s+(?:one|user|person|guy|account)|this\s+(?:one|user|person|guy))\b",
    re.I,
)
"""A correction that sets the last person aside ("wait not him, the guy in Kraków")."""
_ANY_ROLE = re.compile(
    r"\b(?:for|in|to|with|hold(?:s|ing)?|of)\s+(?:a|an|any|some|every|all)\s+"
    r"(?:(?:admin|administrator|directory|privileged)\s+)?roles?\b",
    re.I,
)
"""A correction that widens the question to every role ("everyone only eligible for a role")."""
_POINTS_BACK = re.compile(
    r"\W*(?:and\s+)?(?:who|when|where|how|why)\s+(?:\w+\s+)?(?:did|does|do|was|were|made|had)\s+"
    r"(?:it|that|this|them|those)\W*$",
    re.I,
)
"""A question about what the clause before asks ("..., and who did it?"): part of that question,
not one of its own."""

COVERED_FLOOR = 0.1
"""Readings at least this likely are the ones a covering reading must answer."""

TRADE_WORD_EXEMPLARS = 2
"""A first name used literally by this many exemplars is also a word of the trade."""

# Where a compound prompt splits into questions: a question mark followed by more, or a
# conjunction starting a new question ("..., and is she risky?").
_CLAUSE_OPENING = (
    r"(?:is|are|was|were|does|do|did|has|have|can|could|who|what|which|when|where|why|how|show|"
    r"list|tell|check)\b"
)

_CLAUSE_BREAK = re.compile(
    rf"\?\s+(?=\S)|[;,]?\s+\b(?:and also|and then|also|plus|and)\s+(?={_CLAUSE_OPENING})",
    re.I,
)

_CONDITION_ONLY = re.compile(
    r"^\W*(?:(?:and|but|please|oh)\W+)?(?:leave\s+out|leaving\s+out|exclude|excluding|skip|"
    r"ignore|ignoring|except|without|not\s+counting|apart\s+from|only|just|no\s+need|"
    r"don['’]?t\s+(?:include|count|list|show))\b",
    re.I,
)
"""A sentence that only narrows or shapes the question before it ("Leave out the break-glass
accounts and guests.", "Just yes or no."): a condition of that question, not one of its own."""
_SENTENCE_THEN_QUESTION = re.compile(
    r"(?:[.!;]|\s[-–—])\s+(?=(?:who|what|which|when|where|why|how)\b)", re.I
)
"""Where a statement ends and a question starts: "X somehow has the role. who granted that"
(a wh-question: "... can you check" asks nothing of its own)."""
_VAGUE_QUESTION = frozenset(
    {
        *("what", "what's", "whats", "happened", "happen", "happening", "going", "on", "wrong"),
        *("with", "to", "his", "her", "their", "them", "him", "it", "this", "that", "the"),
        *("account", "accounts", "is", "was", "were", "why", "explain", "can", "could", "you"),
        *("tell", "me", "please", "issue", "problem", "so", "and", "ok", "then", "did", "does"),
        *("do", "there"),
    }
)
"""The words of a question that asks about whatever the statement before it reports ("what
happened to his account?", "what's going on?", "why?")."""


def understand(
    store: Store,
    registry: SkillRegistry,
    prompt: str,
    anchor: datetime,
    session: Session | None = None,
) -> Request:
    """The typed request for `prompt`, names resolved against the store once."""
    prompt = without_speaker_role(prompt)
    # "Zofia mówi, że konto zablokowane": the other language's words in English, so that
    # "Zofia mówi" is Zofia who says something, not a person the tenant lacks.
    prompt = in_english(prompt)
    # "Get-MgUser -Filter "accountEnabled eq false" -- what would that return here?": the
    # Graph read it says is a question, in words; any other script stays one.
    prompt = query_in_words(prompt) or prompt
    prompt = spelled_out(prompt)  # "the MFA CAP", "EXO keeps bouncing her client"
    entities = resolve_entities(store, prompt)
    prompt = add_quoted_error_codes(store, prompt, entities)
    name_the_signed_in_user(store, entities)
    drop_question_shaped_names(entities, prompt)
    drop_speaker(entities, prompt)
    drop_names_inside_compounds(entities, prompt)
    drop_names_of_networks(entities, prompt)
    drop_api_names(entities, prompt)
    drop_names_in_foreign_terms(entities, prompt)
    keep_closest_names(entities, prompt)  # "the Procura sync integration": which Procura
    distinctive_words_as_names(entities)
    add_roles_in_words(store, entities, prompt)
    if not any(m.kind == "user" and maskable(m) for m in entities.matches):
        apps = {m.id for m in entities.matches if m.kind == "servicePrincipal"}
        entities.matches.extend(
            described_people(
                store, prompt, anchor, apps, by_app_role=not names_another_holder(entities)
            )
        )
    swap_for_manager(store, prompt, entities)
    swap_for_owner(store, prompt, entities)
    swap_for_role_holder(store, prompt, entities)
    swap_for_linked_group(store, prompt, entities)
    swap_for_described_group(store, prompt, entities)
    swap_for_app_by_credential(store, prompt, entities)
    swap_for_app_by_usage(store, prompt, entities)
    swap_for_described_policy(store, prompt, entities)
    manager = reports_to(prompt, entities)
    before = len(entities.matches)
    elliptic = is_elliptic(prompt, entities)
    another_object = session is not None and only_another_object(prompt)
    picked = None
    referred = False
    if session is not None:
        add_referents(entities, session, _NOT_THAT_PERSON.sub("", prompt))  # "not him" is no one
        swap_for_manager(store, prompt, entities, pronouns_only=True)  # "and her manager?"
        picked = pick_listed(entities, session, prompt)
        referred = add_referred_values(entities, session, prompt)
        pointed = len(entities.matches) > before  # "that app": about it, not all of the last
        if elliptic and not pointed and (previous := session.last_turn()) is not None:
            entities.matches.extend(previous.subjects)  # about the same objects as before
        elif narrows(prompt) and (previous := session.last_turn()) is not None:
            # "no, not the standing ones, just ...": the same objects, but for a kind the
            # prompt names anew ("not him, the guest": the guest, not him).
            kinds = {m.kind for m in entities.matches if maskable(m)}
            if _NOT_THAT_PERSON.search(prompt):
                kinds.add("user")  # "wait, not him, the guy in Kraków ...": someone else
            entities.matches.extend(s for s in previous.subjects if s.kind not in kinds)
            role = previous.params.get("role")
            if _ANY_ROLE.search(prompt):
                role = None  # "sorry, everyone only eligible for a role": any role now
            if isinstance(role, str) and "unifiedRoleDefinition" not in kinds:
                entities.matches.append(
                    EntityMatch(
                        kind="unifiedRoleDefinition",
                        id=role,
                        label=role,
                        detail="",
                        phrase="",
                        quality=MatchQuality.id,
                    )
                )
    # A pronoun pointed back at an earlier object, or at an error code or IP ("who got it?").
    follows_up = len(entities.matches) > before or referred
    vocabulary = _vocabulary(store)
    slots = extract_slots(blank_names(prompt, entities), anchor, vocabulary.cities)
    window = slots.window or (window_before(session, prompt) if session is not None else None)
    dated_by = None
    if window is None:
        # "since Jörg's account was disabled": from that change's audit event.
        window, dated_by = dated_by_a_change(store, prompt, entities, anchor)
    if window is not None and dates_the_askers_own_action(prompt, window.phrase):
        window = None  # "I'd like to chase them up before Monday": when to act, not what to read
    names = tuple(m.phrase for m in entities.matches if m.phrase) + tuple(entities.role_words)
    # The words that date the question by a change are no condition of it ("since his account
    # was disabled, how often has he tried to sign in?" asks for no disabled accounts).
    undated = prompt.replace(dated_by, " ") if dated_by else prompt
    stated = read_stated(store, undated, slots, names, vocabulary.departments)
    if PRIVILEGED_PHRASE.search(prompt):
        # "added to a privileged role": the kind of role, not "Privileged Role Administrator".
        entities.matches = [
            m
            for m in entities.matches
            if not (
                m.kind == "unifiedRoleDefinition"
                and m.quality is MatchQuality.partial
                and PRIVILEGED_PHRASE.fullmatch(m.phrase)
            )
        ]
    # "from the office" is a place, not the app whose name has "Office" in it.
    # "password resets": the audit activity, not the policy with "password" in its name.
    activity_words = {
        word
        for activity in stated.values.get("activities") or []
        for word in re.findall(r"\w+", activity.lower())
    }
    entities.matches = [
        m
        for m in entities.matches
        if not (
            m.quality is MatchQuality.partial
            and set(m.phrase.split()) <= stated.place_words | activity_words
        )
    ]
    department = stated.values.get("department")
    readable = prompt
    if isinstance(department, str) and said_as_department(prompt, department, entities):
        # "the users in Shared Services", "Zofia in shared services": the department, not the
        # group "Shared Services Team" that the words also come close to.
        entities.matches = [m for m in entities.matches if not inexact_match(m, department)]
        if not any(m.kind == "user" and maskable(m) for m in entities.matches):
            readable = mask_department(prompt, department)
        else:
            narrow_by_department(store, entities, department)
            department = None  # it describes the person the prompt is about
    else:
        if isinstance(department, str):
            # "the finance portal", "the Finance group": words of a name, not a department.
            stated = replace(
                stated, values={k: v for k, v in stated.values.items() if k != DEPARTMENT}
            )
        department = None
    places = [(typed, kind) for typed, kind in slots.places_said if kind != "adjective"]
    users = [m.phrase for m in entities.matches if m.kind == "user" and m.phrase]
    readable, places = drop_home_places(readable, places, users)
    readable = without_relay(mask_places(readable, places))
    classifier = classifier_for(_plugin_exemplars(registry))
    asked_only = _without_conditions(
        in_entra_terms(apps_said_otherwise(without_event_time(readable, window), entities))
    )
    scores = classifier.scores(
        mask_names(asked_only, entities, unresolved_name(asked_only, entities))
    )
    scores = _words_not_names(classifier, entities, readable, scores)
    named = named_kinds(entities, readable)
    # "what if a contractor ...": the kind of person stands for the user a what-if needs.
    population = POPULATION in stated.values and (
        HYPOTHETICAL in named or asks_what_happens(readable)
    )
    if population:
        named.add("user")
    if department:
        named.add(DEPARTMENT)
    if places:
        named.add(PLACE)
    if window is not None:
        named.add(WINDOW)
        if window.start < anchor and HYPOTHETICAL not in named:
            named.add(RECORDED)
    if manager is not None:
        stated = stated.with_values({"reports_to": manager.id})
    asked = without_relay(prompt)  # the question, without who relays it or its form
    scores = favour_by_shape(scores, named=named, prompt=asked, entities=entities, stated=stated)
    if (asked_policy := one_policy_asked(asked, entities, named)) is not None:
        stated = stated.with_values({"policy_asked": asked_policy})
    if (actor := whose_policy_changes(asked, entities)) is not None:
        stated = stated.with_values({"actor": actor.id})
    if session is not None and picked is not None:
        scores = drilling_down(scores, session)
    elif session is not None and (
        follows_up or elliptic or asks_again(prompt) or narrows(prompt) or another_object
    ):
        scores = continuing(scores, session, prompt, referred)
    readings = weighed(scores, named, registry)
    ranked_list = "rank" in stated.values and STRONG + "user" not in named
    if ranked_list or (not named & {STRONG + kind for kind in OBJECT_KINDS} and not population):
        # A list asked with filters; a named object's own questions name what they answer,
        # except the last or first few of something about it ("the last 3 people to fail
        # at the expenses app").
        readings = _applying_the_filters(readings, stated, registry)
    else:
        readings = _applying_the_names(readings, named, stated, registry)
    request = _request(prompt, readings, entities, window)
    if request.unsure:
        # Too close to call once what the prompt names is weighed in; but if one intent
        # stands out on the words alone, the question is clear and only its object is
        # missing ("tell me about the user", "who is <a name not in the tenant>?").
        plain = weighed(scores, named, registry, with_needs=False)
        if plain and plain[0].probability >= CONFIDENT and unmet_needs(plain[0].intent, named):
            request = _request(prompt, plain, entities, window)
    if request.unsure and (covering := _covering(request.readings, named)) is not None:
        request = _request(prompt, covering, entities, window)
    sure_objects = {STRONG + kind for kind in OBJECT_KINDS}
    names_an_object = bool(named & sure_objects) or any(
        m.kind in OBJECT_KINDS and len(m.phrase.split()) >= PARTIAL_NAME_WORDS
        for m in entities.matches
    )
    # A condition on the tenant's objects ("who joined since the 11th?") is about the tenant too.
    # ("on-prem" alone is no condition on the tenant: "map drives on our on-prem domain").
    filtered = set(stated.values) & LIST_FILTERS - {"synced"}
    filtered -= {"created_in_window"} if window is None else set()
    # An address the sign-in logs may hold is the tenant's too ("should I block 185.220.101.47?").
    names_an_object = names_an_object or bool(filtered) or population or bool(entities.ips)
    doubtful = request.unsure or bool(unmet_needs(request.intent, named))
    # A person, group or app named outright makes a prompt about the tenant, whatever else it
    # speaks of ("Åse couldn't get into Hydra Field Service at shift change").
    surely_named = any(
        m.kind in OBJECT_KINDS and m.quality in NAMED_OUTRIGHT for m in entities.matches
    )
    if ((off_topic(prompt) and not surely_named) or device_action(prompt)) and (
        not readings or readings[0].intent in INTENTS
    ):
        # "swap Saturday's night shift at the Valencia plant": no word of identity work, an
        # action or subject no tenant holds; a place the tenant knows does not make it ours.
        # (A plugin skill's own subject, "the print queue is stuck", is its to answer.)
        request = _request(prompt, [_OUT, *readings], entities, window)
    elif doubtful and not names_an_object and _out_of_scope_share(readings) >= DOUBT_OUT:
        # Unsure between readings (or the likeliest lacks what it needs: "the latest windows 11
        # build number" is no error code), one of them "not about this tenant", and no object
        # of the tenant named: refuse rather than run a skill on a guess.
        request = _request(prompt, [_OUT, *readings], entities, window)
    elif request.unsure and names_an_object and request.scope is Scope.out:
        # Unsure, the likeliest reading "not about this tenant", yet the prompt names an object
        # of the tenant: the best reading about the tenant is meant ("what graph perms does
        # legacy sync have").
        inside = [r for r in request.readings if r.intent != _OUT.intent]
        if inside:
            request = _request(prompt, inside, entities, window)
    asked, vague = _asked_after_statement(readable, entities, named, registry)
    if (
        asked
        and (vague or asked[0].probability > request.confidence)
        and asked[0].intent != request.intent
    ):
        request = _request(prompt, asked, entities, window)
    if session is not None and same_person_again(
        entities,
        session,
        prompt,
        request.intent,
        "user" in unmet_needs(request.intent, named),
        refers_back=follows_up,
    ):
        named |= {"user", STRONG + "user"}
        request = _request(prompt, request.readings, entities, request.window)
    going_on = (
        session is not None
        and request.window is None
        and (follows_up or elliptic or another_object)
    )
    if going_on and (kept := same_window(session, request.intent)) is not None:
        request.window = window = kept
    if session is not None and narrows(prompt):
        stated = stated.with_values(values_kept(session, request.intent, LIST_FILTERS))
    request.unmet = unmet_needs(request.intent, named)
    request.stated = stated
    request = _judged_if_asked(request, named, entities, window)
    if session is not None and request.intent == "actor_activity":
        swap_referent_for_actor(request.entities, session)
    if request.intent == "who_changed":
        changed_person_first(request.entities, prompt)
    request.parts = _parts(readable, request, entities, window, registry)
    request.parts = _with_verdict(request, scores, entities, window)
    request.parts = _with_the_persons_risk(request, entities, window)
    periods = None if request.parts else compared_windows(prompt, anchor)
    if periods is not None and _takes_a_window(registry, request):
        # "more this week than last week?": the same question of each period.
        request.window = periods[0]
        request.parts = [_request(prompt, request.readings, entities, p) for p in periods]
    if not request.parts and request.intent in PER_PERSON:
        # "does Eve have the same admin rights as Priya?": the question of each of them.
        people = compared_people(prompt, request.entities)
        readings = request.readings
        if people and request.intent in DESCRIBING and compared_on_risk(prompt):
            # "who is the bigger worry, Bob or Lars?": each one's risk.
            readings = [IntentScore(RISK_SUMMARY, request.confidence, None), *readings]
            request = _request(prompt, readings, request.entities, window)
            request.stated = stated
        request.parts = [
            _request(prompt, readings, entities_of_one(request.entities, p), window) for p in people
        ]
    if POSTURE in {request.intent, *(p.intent for p in request.parts)} and (
        asked := checks_asked(prompt)
    ):
        # "do we pass the legacy authentication check?": the checks the answer leads with.
        stated = stated.with_values({"checks": asked})
        request.stated = stated
    for part in request.parts:
        part.stated = stated
    return request


READINGS_ASKED = 3
"""The close readings an unsure request offers the admin."""


FILTERS_KEPT_WITHIN = 0.1
"""A close reading (at least this share of the best) whose skill applies every list filter the
prompt states is preferred to a best one that would leave some unapplied."""


_NEVER_TOPIC = frozenset({"rank", "min_failures"})
"""Filters no topic's words make: an order and count, a number of failures."""


def _applying_the_filters(
    readings: list[IntentScore], stated: Stated, registry: SkillRegistry
) -> list[IntentScore]:
    """ "any admins relying only on SMS?": the admins as a list of users, which applies "only
    SMS", rather than the role holders, which cannot; the readings unchanged when the best one
    applies every filter stated, or no close one does."""
    filters = set(stated.values) & LIST_FILTERS
    if (len(filters) < 2 and not filters & _NEVER_TOPIC) or not readings:
        return readings  # one filter alone is often a word of the topic; an order never is

    def unapplied(reading: IntentScore) -> set[str]:
        name = skill_of(reading.intent, reading.facet)
        if name not in registry:
            return filters
        slots = registry.get(name).slots().items()
        return filters - stated.applied_by({field for field, kind in slots if kind is Slot.stated})

    best = readings[0]
    if not unapplied(best):
        return readings
    for reading in readings[1:READINGS_KEPT]:
        if reading.probability >= FILTERS_KEPT_WITHIN * best.probability and not unapplied(reading):
            return _promoted(readings, reading)
    return readings


def _promoted(readings: list[IntentScore], reading: IntentScore) -> list[IntentScore]:
    """The readings with `reading` first, at the best one's probability (and that one in its
    place)."""
    best = readings[0]
    promoted = IntentScore(reading.intent, best.probability, reading.facet)
    demoted = IntentScore(best.intent, reading.probability, best.facet)
    return [promoted, demoted, *[r for r in readings[1:] if r is not reading]]


_SLOT_OF_KIND = {
    "user": Slot.user,
    "group": Slot.group,
    "servicePrincipal": Slot.application,
}


def _applying_the_names(
    readings: list[IntentScore], named: set[str], stated: Stated, registry: SkillRegistry
) -> list[IntentScore]:
    """ "which guest accounts signed in to the Azure portal this week?": the sign-ins to that
    app by guests, which applies the app named and "guest", rather than the list of guests,
    which would drop the app; the readings unchanged when the best one's skill takes every
    kind of object named for sure, or no close one takes them and every list filter stated."""
    kinds = {kind for kind in _SLOT_OF_KIND if STRONG + kind in named}
    filters = set(stated.values) & LIST_FILTERS
    if not kinds or not filters or not readings:
        return readings

    def applies(reading: IntentScore, everything: bool) -> bool:
        name = skill_of(reading.intent, reading.facet)
        if name not in registry:
            return False
        slots = registry.get(name).slots()
        takes = set(slots.values())
        stated_fields = {field for field, kind in slots.items() if kind is Slot.stated}
        if everything and stated.unapplied(stated_fields):
            return False
        return all(_SLOT_OF_KIND[kind] in takes for kind in kinds)

    best = readings[0]
    name = skill_of(best.intent, best.facet)
    if name not in registry or applies(best, everything=False):
        return readings
    if not filters & {f for f, k in registry.get(name).slots().items() if k is Slot.stated}:
        return readings  # not a filtered list that drops the object: its own question
    for reading in readings[1:READINGS_KEPT]:
        if reading.probability >= FILTERS_KEPT_WITHIN * best.probability and applies(
            reading, everything=True
        ):
            return _promoted(readings, reading)
    return readings


def _judged_if_asked(
    request: Request, named: set[str], entities: PromptEntities, window: TimeWindow | None
) -> Request:
    """An unsure request that asks for a judgement ("is our admin count within Microsoft's
    recommendation?"), when the posture assessment is among its close readings, is that."""
    if not request.unsure or not asks_a_verdict(request.prompt):
        return request
    judged = [r for r in request.readings[:READINGS_ASKED] if r.intent == POSTURE]
    if not judged:
        return request
    best = IntentScore(POSTURE, max(judged[0].probability, CONFIDENT), judged[0].facet)
    others = [r for r in request.readings if r.intent != POSTURE]
    assessed = _request(request.prompt, [best, *others], entities, window)
    assessed.unmet = unmet_needs(POSTURE, named)
    assessed.stated = request.stated
    return assessed


def _with_verdict(
    request: Request,
    scores: list[IntentScore],
    entities: PromptEntities,
    window: TimeWindow | None,
) -> list[Request]:
    """The parts of a request that counts something and asks whether that is acceptable: the
    count, and the posture assessment that judges it against the baselines."""
    if request.unsure or request.intent not in COUNTED or not asks_a_verdict(request.prompt):
        return request.parts
    if any(part.intent == POSTURE for part in request.parts):
        return request.parts
    posture = next((s for s in scores if s.intent == POSTURE), None)
    if posture is None:
        return request.parts
    counted = request.parts or [_request(request.prompt, request.readings, entities, window)]
    judged = _request(request.prompt, [IntentScore(POSTURE, 1.0, posture.facet)], entities, window)
    return [*counted, judged]


_WHAT_HAPPENED_TO = re.compile(
    r"\bwhat(?:['’]s|\s+has|\s+have)?\s+(?:just\s+)?happen(?:ed|ing)\s+(?:to|with)\b", re.I
)
"""What happened to someone ("what happened to Paulo's account, and do we need to worry?")."""
_ABOUT_A_PERSONS_ACCOUNT = frozenset({AUDIT_HISTORY, "user_details"})


def _with_the_persons_risk(
    request: Request, entities: PromptEntities, window: TimeWindow | None
) -> list[Request]:
    """ "What happened to X's account?": what Identity Protection saw of them, and the changes
    made to the account: both parts, since either may be what happened."""
    if (
        request.parts
        or request.intent not in _ABOUT_A_PERSONS_ACCOUNT
        or not _WHAT_HAPPENED_TO.search(request.prompt)
    ):
        return request.parts
    people = {m.id for m in entities.matches if m.kind == "user" and m.quality in NAMED_OUTRIGHT}
    if len(people) != 1:
        return request.parts
    risk = _request(request.prompt, [IntentScore(RISK_SUMMARY, 1.0, None)], entities, window)
    changes = _request(request.prompt, [IntentScore(AUDIT_HISTORY, 1.0, None)], entities, window)
    return [risk, changes]


def _request(
    prompt: str,
    readings: list[IntentScore],
    entities: PromptEntities,
    window: TimeWindow | None,
) -> Request:
    best = readings[0]
    return Request(
        prompt=prompt,
        scope=_scope_of(best.intent),
        intent=best.intent,
        facet=best.facet,
        confidence=best.probability,
        readings=readings[:READINGS_KEPT],
        form=QuestionForm(question_form(prompt)),
        entities=entities,
        window=window,
    )


def _takes_a_window(registry: SkillRegistry, request: Request) -> bool:
    """Whether the skill that answers the request reads a time window."""
    if _availability(request.intent) is not Availability.skill or request.scope is not Scope.tenant:
        return False
    name = skill_of(request.intent, request.facet)
    return name in registry and Slot.time_window in registry.get(name).slots().values()


def _availability(intent: str) -> Availability:
    spec = INTENTS.get(intent)
    return spec.availability if spec else Availability.skill


def _scope_of(intent: str) -> Scope:
    """Whether an intent is about the tenant, about idpilot itself, or out of scope."""
    return {
        Availability.out_of_scope: Scope.out,
        Availability.help: Scope.capabilities,
    }.get(_availability(intent), Scope.tenant)


def _out_of_scope_share(readings: list[IntentScore]) -> float:
    return sum(r.probability for r in readings if r.intent == "out_of_scope")


def _covering(readings: list[IntentScore], named: set[str]) -> list[IntentScore] | None:
    """Unsure between readings one of which answers them all ("can't get in, says his account
    is disabled, who did that?": the failed sign-in, whose answer names who disabled it): that
    one, with their probabilities summed; None when no reading covers the others."""
    close = [r for r in readings if r.probability >= COVERED_FLOOR]
    for reading in close:
        covered = COVERS.get(reading.intent, frozenset())
        others = [r for r in close if r is not reading]
        if (
            others
            and not unmet_needs(reading.intent, named)
            and all((r.intent, r.facet or "") in covered for r in others)
        ):
            total = sum(r.probability for r in close)
            merged = IntentScore(reading.intent, total, reading.facet)
            return [merged, *[r for r in readings if r not in close]]
    return None


def _takes_user(intent: str) -> bool:
    spec = INTENTS.get(intent)
    return spec is None or takes_a_person(spec)  # a plugin skill: its inputs are not known here


def _words_not_names(
    classifier: IntentClassifier,
    entities: PromptEntities,
    readable: str,
    scores: list[IntentScore],
) -> list[IntentScore]:
    """Drop first names that are words of the trade when the prompt reads better as words.

    "anyone logging in through Tor?", "failed sign-ins per country": a user whose first name is
    Tor or Per does not make the prompt about them. A first-name match on a word the exemplar
    bank uses is read both ways; when the plain-word reading is at least as confident and its
    intent takes no user, the match goes and the plain-word scores stand. "is Tor risky?" keeps
    Tor: read as a person it is a confident question about a user.
    """
    doubtful = [
        m
        for m in entities.matches
        if m.kind == "user"
        and m.quality is MatchQuality.first_name
        and classifier.exemplars_using(m.phrase) >= TRADE_WORD_EXEMPLARS
    ]
    if not doubtful or not scores:
        return scores
    kept = PromptEntities(
        matches=[m for m in entities.matches if m not in doubtful],
        ips=entities.ips,
        guids=entities.guids,
        error_codes=entities.error_codes,
    )
    as_words = classifier.scores(mask_names(readable, kept, unresolved_name(readable, kept)))
    best = as_words[0]
    if best.probability >= scores[0].probability and not _takes_user(best.intent):
        entities.matches = kept.matches
        return as_words
    return scores


def _plugin_exemplars(registry: SkillRegistry) -> tuple[Exemplar, ...]:
    return tuple(
        Exemplar(text=text, intent=skill.name)
        for skill in registry.loaded()  # built-ins' exemplars are in the shipped bank
        for text in skill.examples
    )


def known_cities(store: Store) -> tuple[str, ...]:
    """The city names the tenant's sign-ins record (read once per store and snapshot)."""
    return _vocabulary(store).cities


def _vocabulary(store: Store) -> _Vocabulary:
    """The tenant's own words a prompt is read against, read once per store version (every
    request a server answers about one version shares them) or per snapshot of a store that
    can change."""
    return per_snapshot(
        store,
        "understanding vocabulary",
        lambda: _Vocabulary(sign_in_cities(store), departments(store)),
    )


def _parts(
    prompt: str,
    whole: Request,
    entities: PromptEntities,
    window: TimeWindow | None,
    registry: SkillRegistry,
) -> list[Request]:
    """One request per question of a compound prompt, when its questions ask different things."""
    clauses = [
        c
        for c in _CLAUSE_BREAK.split(prompt)
        if len(c.split()) >= MIN_PART_WORDS and not _only_narrows(c) and not _POINTS_BACK.match(c)
    ]
    if len(clauses) < 2:
        return []
    named = named_kinds(entities, prompt)
    parts = [
        _request(clause, readings, entities, window)
        for clause in clauses
        if (readings := _clear_reading(clause, entities, named, registry))
    ]
    intents = {p.intent for p in parts}
    if len(intents) < 2 or whole.intent not in intents:
        # One question only, or the questions read apart lose what the whole prompt asks
        # ("who gave X the role?? did that go through PIM": the first part alone reads as
        # "which roles has X"): the whole prompt's reading stands.
        return []
    return _unique_by_intent(parts)


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


_EVENT_TIME = re.compile(
    r"^(?:since|after|before|from|until)\s+(?:the|our|that|this|his|her|their|[\w-]+['’]s|"
    r"[\w-]+\s+[\w-]+\s+reset)\s+[a-z]",
    re.I,
)
"""A time said by an event ("since the password spray on the 9th"): a time, not the topic."""


def without_event_time(text: str, window: TimeWindow | None) -> str:
    """`text` without the time phrase that dates the question by an event ("has anyone touched
    the country-block policy since the password spray on the 9th?" asks about policy changes,
    not the spray)."""
    phrase = window.phrase if window is not None else ""
    if not phrase or not _EVENT_TIME.match(phrase) or len(phrase.split()) < 4:
        return text
    return re.sub(re.escape(phrase), " ", text, count=1, flags=re.I)


def _only_narrows(sentence: str) -> bool:
    """A sentence that sets a condition and asks nothing ("Leave out the guests."; not
    "Without naming anyone, how many sign-ins failed?")."""
    return "?" not in sentence and bool(_CONDITION_ONLY.search(sentence))


def _without_conditions(text: str) -> str:
    """The prompt without the sentences after its first that only narrow or shape what it
    asks ("What failed today? Just the real failures, not people asked for MFA."): what is
    asked is read from the rest (the conditions are read as stated values all the same)."""
    sentences = _SENTENCE_END.split(text)
    kept = [sentences[0], *(s for s in sentences[1:] if not _only_narrows(s))]
    return " ".join(kept) if len(kept) < len(sentences) else text


def _asked_after_statement(
    prompt: str, entities: PromptEntities, named: set[str], registry: SkillRegistry
) -> tuple[list[IntentScore] | None, bool]:
    """The readings of the question that follows a statement ("the consultant somehow has
    Cloud Application Administrator. who granted that"), when it is clear on its own: the
    statement says what the question is about, the question what is asked. A vague question
    ("... says he was locked out on Sunday. What happened to his account?") asks about what
    the statement reports: then the statement's readings, and True."""
    pieces = _SENTENCE_THEN_QUESTION.split(prompt)
    if len(pieces) < 2 or "?" in pieces[0]:
        return None, False
    question = " ".join(pieces[1:])
    if len(question.split()) < MIN_PART_WORDS:
        return None, False  # "Why?": the whole prompt reads as its statement already
    if set(re.findall(r"[a-z’']+", question.lower())) <= _VAGUE_QUESTION:
        statement = _clear_reading(pieces[0], entities, named, registry)
        if statement and _availability(statement[0].intent) is Availability.skill:
            return statement, True
        return None, False
    readings = _clear_reading(question, entities, named, registry)
    if not readings or _availability(readings[0].intent) is not Availability.skill:
        return None, False
    return readings, False


def _clear_reading(
    clause: str, entities: PromptEntities, named: set[str], registry: SkillRegistry
) -> list[IntentScore] | None:
    """The readings of one question of a prompt read on its own, when they are clear: about
    the tenant, at least `PART_CONFIDENT` sure, and naming what the intent needs."""
    classifier = classifier_for(_plugin_exemplars(registry))
    readings = weighed(classifier.scores(mask_names(clause, entities)), named, registry)
    if not readings:
        return None
    best = readings[0]
    if (
        _scope_of(best.intent) is not Scope.tenant
        or best.probability < PART_CONFIDENT
        or unmet_needs(best.intent, named)
    ):
        return None
    return readings


def _unique_by_intent(parts: list[Request]) -> list[Request]:
    seen: set[str] = set()
    kept = []
    for part in parts:
        if part.intent not in seen:
            seen.add(part.intent)
            kept.append(part)
    return kept
