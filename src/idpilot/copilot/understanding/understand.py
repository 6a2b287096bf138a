"""A prompt becomes one typed Request: names resolved once, intent and facet recognised from
meaning, what the intent needs checked against what the prompt names, scope decided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from idpilot.copilot.entities import EMAIL, GUID, IPV4, PromptEntities, resolve_entities
from idpilot.copilot.session import Session
from idpilot.copilot.time_phrases import TimeWindow
from idpilot.copilot.understanding._slot_report import AUDIENCES
from idpilot.copilot.understanding.classifier import (
    PLACEHOLDER_WORDS,
    Exemplar,
    IntentClassifier,
    IntentScore,
    classifier_for,
    mask_quoted_messages,
    single_placeholders,
)
from idpilot.copilot.understanding.intents import (
    COVERS,
    DESCRIBING,
    DETAIL_OF,
    INTENTS,
    LIST_OF,
    Availability,
    IntentSpec,
    Need,
    intent_of_skill,
)
from idpilot.copilot.understanding.request import CONFIDENT, QuestionForm, Request, Scope
from idpilot.copilot.understanding.slots import extract_slots, question_form
from idpilot.copilot.understanding.stated import (
    SITE_WORDS,
    asks_privileged_in_general,
    read_stated,
)
from idpilot.knowledge.countries import country_code
from idpilot.skills import SkillRegistry
from idpilot.skills.builtin._role_names import role_in_text
from idpilot.store import Store
from idpilot.store.directory import departments, sign_in_cities, users_in_department
from idpilot.store.lookup import EntityMatch, MatchQuality

NEED_UNMET = 0.3
"""An intent whose required object the prompt does not name is this much less likely."""
NEED_UNMET_NAME_UNKNOWN = 0.8
UNRESOLVED = "unresolvedName"
MAX_ROLE_WORDS = 3
"""Longest user name (in words) read as a role's name: "Global Admins", not "Global Admins
Team Lead"."""
QUESTION_SHARE_OF = (3, 4)
"""A name that opens the prompt with a question word and holds this share of its words (and at
least MIN_QUESTION_WORDS) is the question's shape, not a name."""
MIN_QUESTION_WORDS = 3
_QUESTION_WORDS = frozenset({
    "which", "who", "what", "whom", "whose", "why", "when", "where", "how", "show", "list",
    "tell", "give", "find", "is", "are", "does", "do", "did",
})  # fmt: skip
_WORDS_OF = re.compile(r"\w+")
STRONG = "named:"
NAMES_WHAT_IT_TAKES = 3.0
"""An intent that takes a kind of object the prompt names is this much more likely."""
TAKES_NOTHING_NAMED = 0.4
"""An intent that takes none of the objects the prompt names is this much less likely."""
_OBJECT_KINDS = frozenset({"user", "group", "servicePrincipal"})
DEPARTMENT = "department"
PLACE = "place"
WINDOW = "window"
WINDOW_TAKEN = 1.5
"""A time the prompt states weighs less than a name: many questions say when."""
_VALUE_KINDS = frozenset({"errorCode", "ip", DEPARTMENT, PLACE, WINDOW})
"""Kinds the prompt names as values (not directory objects matched by their words)."""


@dataclass(frozen=True)
class _Vocabulary:
    cities: tuple[str, ...]
    departments: tuple[str, ...]


_VOCABULARY: dict[tuple[object, object], _Vocabulary] = {}
FOLLOW_UP_WORDS = 6
ELLIPTIC_WORDS = 3
VALUE_FOLLOW_UP_WORDS = 10
"""A follow-up pointing back at an error code or IP may say this much and still go on."""
CONTINUES = 1000.0
CONTINUES_ASKING = 10.0
CONFIDENT_ALONE = 0.9
"""A follow-up read this surely as another question asks that question."""
"""A follow-up with a question of its own continues the previous one by this much less."""
DOUBT_OUT = 0.15
"""Unsure, with at least this probability of "out of scope": treated as out of scope."""
_OUT = IntentScore(intent="out_of_scope", probability=1.0, facet=None)
READINGS_KEPT = 3
PARTIAL_WORDS = 3
"""A partial match of this many words of a policy's name is masked as a name."""
PARTIAL_NAME_WORDS = 2
"""Words of an app's or group's name that show the prompt is about the tenant ("legacy sync")."""
PART_CONFIDENT = 0.5
"""A question of a compound prompt runs its own skill only when this sure of its intent."""
MIN_PART_WORDS = 3
COVERED_FLOOR = 0.1
"""Readings at least this likely are the ones a covering reading must answer."""
TRADE_WORD_EXEMPLARS = 2
"""A first name used literally by this many exemplars is also a word of the trade."""

_KIND_PLACEHOLDER = {
    "user": PLACEHOLDER_WORDS["user"],
    "group": PLACEHOLDER_WORDS["group"],
    "servicePrincipal": PLACEHOLDER_WORDS["app"],
    "unifiedRoleDefinition": PLACEHOLDER_WORDS["role"],
    "conditionalAccessPolicy": PLACEHOLDER_WORDS["policy"],
}
_NEED_KIND = {
    Need.user: "user",
    Need.group: "group",
    Need.application: "servicePrincipal",
}
_STRONG = frozenset(
    {
        MatchQuality.id,
        MatchQuality.exact,
        MatchQuality.alias,
        MatchQuality.first_name,
        MatchQuality.fuzzy,
    }
)
_NAME_LIKE = re.compile(r"\b[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)+")
"""Two or more capitalised words: how a person's or a group's name usually looks."""
_NOT_NAMES = frozenset(
    ["conditional access", "identity protection", "global administrator", "microsoft entra",
     "entra id", "azure ad", "azure active directory", "microsoft graph", "log analytics"]
)  # fmt: skip
HYPOTHETICAL = "hypothetical"
HYPOTHETICAL_WEIGHT = 6.0
""""What if ...?" asks about a sign-in that has not happened, whatever else it names."""
_HYPOTHETICAL = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|hmm)\W+)?(?:what\s+(?:if|would happen if|happens if)\b"
    r"|suppose\b|imagine\b|assuming\b|would\b(?!\s+you\b)|if\b.{3,}\b(?:would|will)\b"
    r"|if\b[^,?]{3,},\s*(?:does|do|can|could|is|are)\b"
    r"|if\b[^?]{3,}?,\s*what\s+(?:happens|would happen|will happen|is the (?:result|outcome))\b)",
    re.I,
)
"""A question about a sign-in that has not happened: "what if ...", "would a ... have to ..."."""
_BACK_REFERENCE = re.compile(r"\b(?:it|that|this|those|these|them|there)\b", re.I)
_OWN_QUESTION = re.compile(r"\b(?:who|what|why|which|how|when|where|whose)\b", re.I)
"""A follow-up with a question word asks its own question ("and who disabled the account?")."""
_GOING_ON = re.compile(r"\s*(?:ok(?:ay)?\W+)?(?:and|also|what about|how about|same)\b", re.I)
"""A follow-up that goes on with the previous question ("and ...", "what about ...")."""
_PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers)\b", re.I)
_ERROR = re.compile(r"\b(?:aadsts)?\d{5,7}\b", re.I)
# Where a compound prompt splits into questions: a question mark followed by more, or a
# conjunction starting a new question ("..., and is she risky?").
_QUESTION_WORDS = (
    r"(?:is|are|was|were|does|do|did|has|have|can|could|who|what|which|when|where|why|how|show|"
    r"list|tell|check)\b"
)
_CLAUSE_BREAK = re.compile(
    rf"\?\s+(?=\S)|[;,]?\s+\b(?:and also|and then|also|plus|and)\s+(?={_QUESTION_WORDS})",
    re.I,
)
_SENTENCE_THEN_QUESTION = re.compile(r"[.!]\s+(?=(?:who|what|which|when|where|why|how)\b)", re.I)
"""Where a statement ends and a question starts: "X somehow has the role. who granted that"
(a wh-question: "... can you check" asks nothing of its own)."""


def understand(
    store: Store,
    registry: SkillRegistry,
    prompt: str,
    anchor: datetime,
    session: Session | None = None,
) -> Request:
    """The typed request for `prompt`, names resolved against the store once."""
    entities = resolve_entities(store, prompt)
    drop_question_shaped_names(entities, prompt)
    drop_speaker(entities, prompt)
    _distinctive_words_as_names(entities)
    add_roles_in_words(store, entities, prompt)
    _keep_closest_names(entities, prompt)
    before = len(entities.matches)
    words = len(prompt.split())
    # "and yesterday?", "which sign-ins were behind it?": about what the last turn was about.
    # (A word that merely occurs in some policy's name, "sign-ins", names nothing.)
    elliptic = not any(_maskable(m) for m in entities.matches) and (
        words <= ELLIPTIC_WORDS
        or (
            words <= FOLLOW_UP_WORDS
            and (
                _BACK_REFERENCE.search(prompt)
                or (_GOING_ON.match(prompt) and not _OWN_QUESTION.search(prompt))
            )
        )
    )
    picked = None
    referred = False
    if session is not None:
        add_referents(entities, session, prompt)
        picked = _pick_listed(entities, session, prompt)
        referred = _add_referred_values(entities, session, prompt)
        if elliptic and (previous := session.last_turn()) is not None:
            entities.matches.extend(previous.subjects)  # about the same objects as before
    # A pronoun pointed back at an earlier object, or at an error code or IP ("who got it?").
    follows_up = len(entities.matches) > before or referred
    vocabulary = _vocabulary(store)
    slots = extract_slots(blank_names(prompt, entities), anchor, vocabulary.cities)
    window = slots.window or (_window_before(session, prompt) if session is not None else None)
    names = tuple(m.phrase for m in entities.matches if m.phrase) + tuple(entities.role_words)
    stated = read_stated(store, prompt, slots, names, vocabulary.departments)
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
        entities.matches = [m for m in entities.matches if not _inexact(m, department)]
        if not any(m.kind == "user" and _maskable(m) for m in entities.matches):
            readable = mask_department(prompt, department)
        else:
            _narrow_by_department(store, entities, department)
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
    readable = mask_places(readable, places)
    classifier = classifier_for(_plugin_exemplars(registry))
    scores = classifier.scores(mask_names(readable, entities, unresolved_name(readable, entities)))
    scores = _words_not_names(classifier, entities, readable, scores)
    named = _named_kinds(entities, readable)
    if department:
        named.add(DEPARTMENT)
    if places:
        named.add(PLACE)
    if window is not None:
        named.add(WINDOW)
    scores = _asked_of_anyone(scores, named, prompt)
    if written_for_an_audience(prompt):
        scores = _favour(scores, REPORT, CONTINUES)
    elif stated.values.get("capabilities") and _WHO_CAN.search(prompt):
        scores = _favour(scores, ROLE_HOLDERS, CONTINUES)
    elif _asks_what_someone_did(prompt, entities):
        scores = _favour(scores, ACTOR_ACTIVITY, CONTINUES)
    elif stated.values.get("activities") and _WHO_DID.search(prompt):
        scores = _who_did_the_activity(scores)
    elif _changes_to_a_named_policy(prompt, entities):
        scores = _favour(scores, POLICY_CHANGES, CONTINUES)
    if session is not None and picked is not None:
        scores = _drilling_down(scores, session)
    elif session is not None and (follows_up or elliptic):
        scores = _continuing(scores, session, prompt, referred)
    readings = _weighed(scores, named, registry)
    request = _request(prompt, readings, entities, window)
    if request.unsure:
        # Too close to call once what the prompt names is weighed in; but if one intent
        # stands out on the words alone, the question is clear and only its object is
        # missing ("tell me about the user", "who is <a name not in the tenant>?").
        plain = _weighed(scores, named, registry, with_needs=False)
        if plain and plain[0].probability >= CONFIDENT and unmet_needs(plain[0].intent, named):
            request = _request(prompt, plain, entities, window)
    if request.unsure and (covering := _covering(request.readings, named)) is not None:
        request = _request(prompt, covering, entities, window)
    sure_objects = {STRONG + kind for kind in _OBJECT_KINDS}
    names_an_object = bool(named & sure_objects) or any(
        m.kind in _OBJECT_KINDS and len(m.phrase.split()) >= PARTIAL_NAME_WORDS
        for m in entities.matches
    )
    doubtful = request.unsure or bool(unmet_needs(request.intent, named))
    if doubtful and not names_an_object and _out_of_scope_share(readings) >= DOUBT_OUT:
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
    asked = _asked_after_statement(readable, entities, named, registry)
    if asked and asked[0].probability > request.confidence and asked[0].intent != request.intent:
        request = _request(prompt, asked, entities, window)
    request.unmet = unmet_needs(request.intent, named)
    request.stated = stated
    request = _judged_if_asked(request, named, entities, window)
    request.parts = _parts(readable, request, entities, window, registry)
    request.parts = _with_verdict(request, scores, entities, window)
    for part in request.parts:
        part.stated = stated
    return request


POSTURE = "posture_assessment"
_VERDICT = re.compile(
    r"\b(?:is (?:that|this|it) (?:ok(?:ay)?|fine|normal|a (?:risk|problem|concern|worry)|"
    r"too (?:many|much|high)|acceptable|enough|bad|good)|should (?:we|i) (?:worry|be worried)|"
    r"best practices?|microsoft(?:'s)? recommend\w*|recommended|too many|secure enough|"
    r"cis|scuba|eidsca|baselines?)\b",
    re.I,
)
"""A judgement asked of what is counted ("how many global admins are permanent? is that ok?")."""
_COUNTED = frozenset({"role_holders", "list_users", "user_roles", "list_groups"})
READINGS_ASKED = 3
"""The close readings an unsure request offers the admin."""


def _judged_if_asked(
    request: Request, named: set[str], entities: PromptEntities, window: TimeWindow | None
) -> Request:
    """An unsure request that asks for a judgement ("is our admin count within Microsoft's
    recommendation?"), when the posture assessment is among its close readings, is that."""
    if not request.unsure or not _VERDICT.search(request.prompt):
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
    if request.unsure or request.intent not in _COUNTED or not _VERDICT.search(request.prompt):
        return request.parts
    if any(part.intent == POSTURE for part in request.parts):
        return request.parts
    posture = next((s for s in scores if s.intent == POSTURE), None)
    if posture is None:
        return request.parts
    counted = request.parts or [_request(request.prompt, request.readings, entities, window)]
    judged = _request(request.prompt, [IntentScore(POSTURE, 1.0, posture.facet)], entities, window)
    return [*counted, judged]


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


def _availability(intent: str) -> Availability:
    spec = INTENTS.get(intent)
    return spec.availability if spec else Availability.skill


def _scope_of(intent: str) -> Scope:
    """Whether an intent is about the tenant, about idpilot itself, or out of scope."""
    return {
        Availability.out_of_scope: Scope.out,
        Availability.help: Scope.capabilities,
    }.get(_availability(intent), Scope.tenant)


_ANYONE = re.compile(
    r"\b(?:any(?:one|body)|every(?:one|body)"
    r"|(?:any|which|how many|all)\s+(?:of\s+(?:the|our)\s+)?(?:users?|accounts?|people|staff|"
    r"employees|guests))\b",
    re.I,
)


REPORT = "report"
ROLE_HOLDERS = "role_holders"
_WHO_CAN = re.compile(
    r"\b(?:who|which\s+(?:users?|admins?|people|roles?|accounts?|of\s+(?:us|our\s+\w+)))\b"
    r"[^?.]{0,40}?\b(?:can|could|may|(?:is|are)\s+(?:able|allowed|permitted)\s+to"
    r"|(?:has|have)\s+(?:the\s+)?(?:rights?|permissions?|access)\s+to)\b",
    re.I,
)
"""Who may do something ("who on the team is allowed to reset passwords?"): whom a role lets."""
_DELIVERABLE = re.compile(
    r"\b(?:report|write[- ]?up|brief(?:ing)?|memo|summary|one[- ]pager|slides?|deck|e-?mail|"
    r"update|note|overview|summari[sz]e)\b|\bwrite (?:up|something|a\b)",
    re.I,
)
_FOR_AN_AUDIENCE = re.compile(
    r"\b(?:for|to|aimed at|targeted at|meant for|addressed to|geared (?:to|towards)|tailored "
    r"(?:for|to)|to send to|to share with)\s+(?:the|our|my|a|an)?\s*(?:"
    + "|".join(words for _, words in AUDIENCES)
    + r")",
    re.I,
)


ACTOR_ACTIVITY = "actor_activity"
_DID_WHAT = (
    r"\b(?:what|which\s+(?:changes|things|objects|settings))\s+(?:else\s+)?(?:did|has|have)"
    r"\s+{name}\s+(?:\w+\s+)?(?:change|changed|do|done|modify|modified|edit|edited|update|"
    r"updated|delete|deleted|remove|removed|add|added|create|created|touch|touched|configure|"
    r"configured|break|broken|make|made)\b"
)


def _asks_what_someone_did(prompt: str, entities: PromptEntities) -> bool:
    """ "what did natarajan change on the 2nd?": the person is the one who acted, not the
    account acted on."""
    return any(
        re.search(_DID_WHAT.format(name=_words_pattern(match.phrase)), prompt, re.I)
        for match in entities.of_kind("user")
        if match.phrase
    )


AUDIT_HISTORY = "audit_history"
_WHO_DID = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|hi|hey)\W+)?who\s+(?:\w+ed|reset|set|made|gave|put|took|did|ran)\b",
    re.I,
)
POLICY_CHANGES = "policy_changes"
_ABOUT_CHANGES = frozenset({"who_changed", POLICY_CHANGES, ACTOR_ACTIVITY, AUDIT_HISTORY})
_CHANGED = re.compile(r"\b(?:chang|modif|edit|updat|tweak|alter|touch)\w*\b", re.I)


def _changes_to_a_named_policy(prompt: str, entities: PromptEntities) -> bool:
    """ "what was changed in the MFA outside trusted offices policy on the 6th?": one Conditional
    Access policy named by several of its words, and its changes asked."""
    policies = {
        m.id
        for m in entities.of_kind("conditionalAccessPolicy")
        if len(m.phrase.split()) >= 2 or m.quality is not MatchQuality.partial
    }
    return len(policies) == 1 and bool(_CHANGED.search(prompt))


def _who_did_the_activity(scores: list[IntentScore]) -> list[IntentScore]:
    """ "who registered new MFA methods since monday?": an audit activity named and who did it
    asked: the audit events answer, unless another reading of changes already leads."""
    if not scores or max(scores, key=lambda s: s.probability).intent in _ABOUT_CHANGES:
        return scores
    return _favour(scores, AUDIT_HISTORY, CONTINUES)


def written_for_an_audience(prompt: str) -> bool:
    """A piece of writing asked for a reader ("write up the risky users situation for the
    helpdesk team", "sign-in report for last week, aimed at the engineers"): a report."""
    return bool(_DELIVERABLE.search(prompt) and _FOR_AN_AUDIENCE.search(prompt))


_BEFORE_THAT = re.compile(
    r"\bthe\s+(?:(day|week|month)\s+before|previous\s+(day|week|month))\b", re.I
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}


def _window_before(session: Session, prompt: str) -> TimeWindow | None:
    """ "and the day before?": the last turn's window moved back by that much (a month by 30
    days), the same length."""
    match = _BEFORE_THAT.search(prompt)
    previous = session.last_turn()
    if match is None or previous is None or not isinstance(previous.params.get("window"), dict):
        return None
    try:
        last = TimeWindow.model_validate(previous.params["window"])
    except ValueError:
        return None
    step = timedelta(days=_UNIT_DAYS[(match.group(1) or match.group(2)).lower()])
    return TimeWindow(start=last.start - step, end=last.end - step, phrase=match.group(0))


def _asked_of_anyone(scores: list[IntentScore], named: set[str], prompt: str) -> list[IntentScore]:
    """A one-object question asked of anyone ("is anybody in sales flagged as risky?", "did
    anyone fail to sign in?") names no such object: it is its list question, which finds them."""
    if not _ANYONE.search(prompt) or EMAIL.search(prompt):
        return scores
    moved: dict[str, float] = {}
    for score in scores:
        listing = LIST_OF.get(score.intent)
        if listing and unmet_needs(score.intent, named):
            moved[listing] = moved.get(listing, 0.0) + score.probability
    if not moved:
        return scores
    return [
        IntentScore(s.intent, 0.0, s.facet)
        if s.intent in LIST_OF and unmet_needs(s.intent, named)
        else IntentScore(s.intent, s.probability + moved.get(s.intent, 0.0), s.facet)
        for s in scores
    ]


def _favour(scores: list[IntentScore], intent: str, weight: float) -> list[IntentScore]:
    """The scores with one intent made `weight` times likelier (not renormalised)."""
    return [
        IntentScore(s.intent, s.probability * (weight if s.intent == intent else 1.0), s.facet)
        for s in scores
    ]


def _continuing(
    scores: list[IntentScore], session: Session, prompt: str, value_referred: bool = False
) -> list[IntentScore]:
    """A short follow-up about the same object ("is she fine now?") likely goes on asking what
    the previous turn asked: that intent is this much more likely; when the follow-up points
    back at the error code or IP that turn was about, and asks nothing clearly its own, it goes
    on asking it."""
    previous = session.last_turn()
    longest = VALUE_FOLLOW_UP_WORDS if value_referred else FOLLOW_UP_WORDS
    if previous is None or previous.skill is None or len(prompt.split()) > longest:
        return scores
    intent = intent_of_skill(previous.skill) or previous.skill
    # The less the follow-up says, the more the previous question carries: "and yesterday?",
    # "what about last week?", "ok, and who's hitting it?" go on asking it; "what changed on it
    # since Monday?" asks a question of its own, clear on its words alone.
    top = max(scores, key=lambda s: s.probability) if scores else None
    asks_own = (
        top is not None
        and top.intent != intent
        and (
            (
                len(prompt.split()) > ELLIPTIC_WORDS
                and not _GOING_ON.match(prompt)
                and top.probability >= CONFIDENT_ALONE
            )
            # "and who disabled the account?": a question word and a clear reading of its own.
            or (bool(_OWN_QUESTION.search(prompt)) and top.probability >= CONFIDENT)
        )
    )
    weight = CONTINUES_ASKING if asks_own else CONTINUES
    favoured = _favour(scores, intent, weight)
    if value_referred and not asks_own and favoured:
        # "ok and who got it this week?" after an error code: the words alone may not hint at
        # the previous question at all, but the code they point back at was its subject.
        highest = max(s.probability for s in favoured)
        favoured = [
            IntentScore(s.intent, max(s.probability, highest * 1.01), s.facet)
            if s.intent == intent
            else s
            for s in favoured
        ]
    return favoured


def _pick_listed(entities: PromptEntities, session: Session, prompt: str) -> EntityMatch | None:
    """ "Tell me more about the top one": the item of the last answer's list, when the prompt
    names no object of that kind itself."""
    item = session.listed_referent(prompt)
    if item is None or any(m.kind == item.kind and _maskable(m) for m in entities.matches):
        return None
    entities.matches = [m for m in entities.matches if m.kind != item.kind]
    entities.matches.append(item)
    return item


def _add_referred_values(entities: PromptEntities, session: Session, prompt: str) -> bool:
    """ "Who's hitting it?" after a question about an error code: that code (and an IP).
    True when the prompt pointed back at one."""
    if entities.error_codes or entities.ips:
        return False
    codes, ips = session.referred_values(prompt)
    entities.error_codes.extend(codes)
    entities.ips.extend(ips)
    return bool(codes or ips)


def _drilling_down(scores: list[IntentScore], session: Session) -> list[IntentScore]:
    """A follow-up about one item of the last list asks that list's detail question: "tell me
    more about the top one" after the risky users is that user's risk summary."""
    previous = session.last_turn()
    listing = intent_of_skill(previous.skill) if previous and previous.skill else None
    detail = DETAIL_OF.get(listing or "")
    if detail is None or not scores:
        return scores
    weight = CONTINUES if scores[0].intent in DESCRIBING else CONTINUES_ASKING
    return _favour(scores, detail, weight)


def _words_pattern(phrase: str) -> str:
    """A regex for the phrase's words with any separators between them ("IT-Operations")."""
    return r"\W+".join(re.escape(w) for w in phrase.split())


def said_as_department(prompt: str, department: str, entities: PromptEntities) -> bool:
    """Whether the department's words in the prompt name the department, not a group or an
    object whose longer name holds them ("the Finance group", "Marketing Team", "the
    engineering dynamic group")."""
    lowered = department.lower()
    # A longer name matched around the department's words ("the finance portal"), however
    # loosely: the words are that name's.
    if any(
        re.search(rf"\b{re.escape(lowered)}\b", m.phrase) and m.phrase != lowered
        for m in entities.matches
    ):
        return False
    words = _words_pattern(department)
    said = re.search(rf"\b{words}\b(?!\s+(?:[\w-]+\s+)?(?:groups?|teams?)\b)", prompt, flags=re.I)
    return said is not None


def _inexact(match: EntityMatch, department: str) -> bool:
    """A match of the department's own words that is not the object's exact name."""
    exact = match.quality in (MatchQuality.id, MatchQuality.exact)
    return not exact and match.phrase.lower() == department.lower()


def mask_department(prompt: str, department: str) -> str:
    """The prompt with the department's name read as "the department"."""
    words = _words_pattern(department)
    placeholder = PLACEHOLDER_WORDS["department"]
    return re.sub(rf"(?:\bthe\s+)?\b{words}\b", placeholder, prompt, flags=re.I)


_PERSON_NOUNS = (
    r"(?:guy|girl|man|woman|lady|person|user|employee|colleague|starter|joiner|hire|"
    r"intern|contractor|consultant|staffer|member|admin|engineer|manager|technician)s?"
)
"""Nouns for a person: "the new guy in Bergen" says where he works, not where he signed in."""


def drop_home_places(
    prompt: str, places: list[tuple[str, str]], user_phrases: list[str]
) -> tuple[str, list[tuple[str, str]]]:
    """The prompt without the places that only say where a person is based ("new starter
    Ainhoa in Valencia", "the new guy in Bergen, Orjan"), and the places left.

    Such a place describes who is meant, not a sign-in's location: read as "that city" it
    would make the question look like a what-if about signing in from there. A place with a
    site word ("in the Malmö office") or after a verb ("signs in from Bergen") stays.
    """
    people = [_words_pattern(p) for p in user_phrases] + [_PERSON_NOUNS]
    who = "|".join(rf"\b{p}" for p in people)
    kept = []
    for typed, kind in places:
        home = re.compile(
            rf"(?:{who})\W{{0,3}}\s*(?:(?:who\s+)?(?:is\s+)?(?:based|located|working)\s+)?"
            rf"(?:in|from|at)\s+(?:the\s+)?({_words_pattern(typed)})\b(?!\s+{SITE_WORDS})",
            re.I,
        )
        found = home.search(prompt)
        if found is None:
            kept.append((typed, kind))
            continue
        start, end = found.span(1)
        # "in"/"from"/"at" and the place go; the person stays.
        lead = re.search(r"(?:in|from|at)\s+(?:the\s+)?$", prompt[:start], re.I)
        prompt = prompt[: lead.start() if lead else start] + prompt[end:]
    return prompt, kept


def mask_places(prompt: str, places: list[tuple[str, str]]) -> str:
    """The prompt with the countries and cities it names read as "that country"/"that city"."""
    for typed, kind in sorted(places, key=lambda p: -len(p[0])):
        words = _words_pattern(typed)
        placeholder = PLACEHOLDER_WORDS[kind]
        prompt = re.sub(rf"(?:\bthe\s+)?\b{words}\b", placeholder, prompt, count=1, flags=re.I)
    return prompt


def _out_of_scope_share(readings: list[IntentScore]) -> float:
    return sum(r.probability for r in readings if r.intent == "out_of_scope")


def _narrow_by_department(store: Store, entities: PromptEntities, department: str) -> None:
    """ "Lars from Sales": of the people a first name matches, those in the department said
    (all of them when none is)."""
    for matches in entities.groups_by_phrase("user").values():
        ids = list(dict.fromkeys(m.id for m in matches))
        if len(ids) < 2:
            continue
        inside = users_in_department(store, ids, department)
        if inside and len(inside) < len(ids):
            entities.matches = [m for m in entities.matches if m not in matches or m.id in inside]


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _name_words(text: str) -> set[str]:
    """The words of a name or prompt, camelCase split, lower case, a plural -s dropped."""
    words = re.findall(r"[^\W_]+", _CAMEL.sub(" ", text).lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words}


def _keep_closest_names(entities: PromptEntities, prompt: str) -> None:
    """Of the objects a partial phrase fits, those whose names share the most words with the
    whole prompt: "the CA service accounts exclusion group" is CA-Exclusion-ServiceAccounts,
    not CA-Exclusion-BreakGlass, though "exclusion" fits both."""
    said = _name_words(prompt)
    for kind in ("group", "servicePrincipal", "conditionalAccessPolicy"):
        for matches in entities.groups_by_phrase(kind).values():
            partial = [m for m in matches if m.quality is MatchQuality.partial]
            if len({m.id for m in partial}) < 2:
                continue
            shared = {m.id: len(_name_words(m.label) & said) for m in partial}
            best = max(shared.values())
            if list(shared.values()).count(best) < len(shared) and best > 1:
                drop = {i for i, n in shared.items() if n < best}
                entities.matches = [m for m in entities.matches if m.id not in drop]


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
    if spec is None:
        return True  # a plugin skill: its inputs are not known here
    return "user" in spec.takes or Need.user in spec.needs or Need.user in spec.any_of


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


def _named_kinds(entities: PromptEntities, prompt: str) -> set[str]:
    """The kinds of things the prompt names (objects, error codes, IP addresses)."""
    named = {m.kind for m in entities.matches}
    # A name matched for sure (not a word that merely occurs in some object's name) also
    # weighs for the intents that take that kind of object, and against those that do not.
    named |= {STRONG + m.kind for m in entities.matches if _maskable(m)}
    if unresolved_name(prompt, entities):
        named.add(UNRESOLVED)
    if _HYPOTHETICAL.search(prompt):
        named.add(HYPOTHETICAL)
    if entities.error_codes:
        named.add("errorCode")
    if entities.ips:
        named.add("ip")
    return named


def unmet_needs(intent: str, named: set[str]) -> list[str]:
    """The kinds of object an intent needs that the prompt does not name."""
    spec = INTENTS.get(intent)
    if spec is None:
        return []
    unmet = [_need_kind(n) for n in spec.needs if _need_kind(n) not in named]
    if spec.any_of and not any(_need_kind(n) in named for n in spec.any_of):
        unmet.append(_need_kind(spec.any_of[0]))
    return unmet


def _weighed(
    scores: list[IntentScore],
    named: set[str],
    registry: SkillRegistry,
    *,
    with_needs: bool = True,
) -> list[IntentScore]:
    """Scores adjusted by what the prompt names, renormalised, best first."""
    weighed = []
    for score in scores:
        spec = INTENTS.get(score.intent)
        if spec is None:
            if score.intent not in registry:
                continue
            spec = IntentSpec(name=score.intent)
        elif spec.answered_by and spec.answered_by not in registry:
            continue  # the skill that answers it is not installed
        weighed.append((score, score.probability * _evidence_factor(spec, named, with_needs)))
    total = sum(weight for _, weight in weighed) or 1.0
    adjusted = [
        IntentScore(intent=s.intent, probability=w / total, facet=s.facet) for s, w in weighed
    ]
    return sorted(adjusted, key=lambda s: -s.probability)


def _evidence_factor(spec: IntentSpec, named: set[str], with_needs: bool) -> float:
    factor = 1.0
    unmet = unmet_needs(spec.name, named)
    if with_needs:
        # A name the store does not hold may still be the object the intent needs: the
        # answer will say it was not found, so that reading is only mildly less likely.
        penalty = NEED_UNMET_NAME_UNKNOWN if UNRESOLVED in named else NEED_UNMET
        factor *= penalty ** len(unmet)
    # Only names matched for sure, and values (an address, a code), count as named: a word
    # that merely occurs in some policy's name ("sign-ins") names nothing.
    sure = {k.removeprefix(STRONG) for k in named if k.startswith(STRONG)} | (named & _VALUE_KINDS)
    taken = spec.takes & sure
    if taken and not (with_needs and unmet):
        # Each kind of named thing the intent takes makes it likelier; an intent that cannot
        # run without an object the prompt does not name gains nothing from the others.
        for kind in taken:
            factor *= WINDOW_TAKEN if kind == WINDOW else NAMES_WHAT_IT_TAKES
    elif not taken and sure & _OBJECT_KINDS:
        factor *= TAKES_NOTHING_NAMED
    if spec.hypothetical and HYPOTHETICAL in named:
        factor *= HYPOTHETICAL_WEIGHT
    return factor


def _need_kind(need: Need) -> str:
    return _NEED_KIND.get(need, need.value)


def _plugin_exemplars(registry: SkillRegistry) -> tuple[Exemplar, ...]:
    return tuple(
        Exemplar(text=text, intent=skill.name)
        for skill in registry.loaded()  # built-ins' exemplars are in the shipped bank
        for text in skill.examples
    )


def blank_names(prompt: str, entities: PromptEntities) -> str:
    """The prompt with the names of objects it holds blanked out, so a group called
    "Mac Users" or an app called "Windows Virtual Desktop" is not read as a platform."""
    text = prompt
    for match in sorted(entities.matches, key=lambda m: -len(m.phrase)):
        if match.phrase and "@" not in match.phrase and _maskable(match):
            words = _words_pattern(match.phrase)
            text = re.sub(rf"\b{words}\b", lambda m: " " * len(m.group(0)), text, flags=re.I)
    return text


def known_cities(store: Store) -> tuple[str, ...]:
    """The city names the tenant's sign-ins record (read once per store and snapshot)."""
    return _vocabulary(store).cities


def _vocabulary(store: Store) -> _Vocabulary:
    """The tenant's own words a prompt is read against, cached per store version (every
    request a server answers about one version shares them) or, for a store that can change,
    per store and snapshot."""
    key = store.version_key() or (id(store), store.captured_at())
    found = _VOCABULARY.get(key)
    if found is None:
        found = _Vocabulary(sign_in_cities(store), departments(store))
        _VOCABULARY.clear()
        _VOCABULARY[key] = found
    return found


def mask_names(prompt: str, entities: PromptEntities, unknown: str | None = None) -> str:
    """The prompt with the names, addresses, ids and codes it holds replaced by placeholders.

    `unknown` is a name the store does not hold; it reads as a person's name.
    """
    text = prompt.replace(unknown, PLACEHOLDER_WORDS["user"]) if unknown else prompt
    for match in entities.matches:  # an object named by its id reads as that kind of object
        if match.kind in _KIND_PLACEHOLDER and GUID.fullmatch(match.phrase):
            text = text.replace(match.phrase, _KIND_PLACEHOLDER[match.kind])
    text = GUID.sub(" ", text)
    text = EMAIL.sub(PLACEHOLDER_WORDS["user_upn"], text)
    text = IPV4.sub(PLACEHOLDER_WORDS["ip"], text)
    text = _ERROR.sub(PLACEHOLDER_WORDS["error_code"], text)
    if entities.of_kind("user"):  # "is she risky?" is about the user the prompt names
        text = _PERSONAL_PRONOUN.sub(PLACEHOLDER_WORDS["user"], text)
    for match in sorted(entities.matches, key=lambda m: -len(m.phrase)):
        if not match.phrase or "@" in match.phrase or not _maskable(match):
            continue
        words = _words_pattern(match.phrase)
        text = re.sub(rf"\b{words}(?:['’]s)?\b", _KIND_PLACEHOLDER[match.kind], text, flags=re.I)
    text = single_placeholders(text)
    text = mask_quoted_messages(text)
    return " ".join(text.split())


MIN_DISTINCTIVE = 5


def _distinctive_words_as_names(entities: PromptEntities) -> None:
    """An object named by the first word of its name alone ("tell me about bladescan" for
    BladeScan Analytics), a word no question of the bank uses and no other object shares, is
    named as surely as by an alias: its word is a name, not the question's."""
    classifier = classifier_for(())
    by_phrase: dict[str, list[EntityMatch]] = {}
    for match in entities.matches:
        by_phrase.setdefault(match.phrase, []).append(match)
    for phrase, matches in by_phrase.items():
        match = matches[0]
        if (
            len(matches) > 1
            or match.quality is not MatchQuality.partial
            or " " in phrase
            or len(phrase) < MIN_DISTINCTIVE
            or not phrase.isalpha()
            or match.label.split()[0].lower() != phrase
            or classifier.exemplars_using(phrase) > 0
        ):
            continue
        entities.matches[entities.matches.index(match)] = match.model_copy(
            update={"quality": MatchQuality.alias}
        )


def _maskable(match: EntityMatch) -> bool:
    """A match sure enough that its words are a name, not the question's own words."""
    if match.quality in _STRONG:
        return True
    # Several words of a policy's or group's name ("block legacy authentication").
    return match.kind == "conditionalAccessPolicy" and len(match.phrase.split()) >= PARTIAL_WORDS


def add_roles_in_words(store: Store, entities: PromptEntities, prompt: str) -> None:
    """A role named the way admins say it ("the global admins"), in place of weaker matches."""
    general = asks_privileged_in_general(prompt)
    strong = [
        m
        for m in entities.of_kind("unifiedRoleDefinition")
        if m.quality is not MatchQuality.partial
        and (not general or m.label.lower() in prompt.lower())
    ]
    said = [] if strong else role_in_text(store, prompt)[:1]
    if general:
        # "the privileged roles" is not the Privileged Role Administrator role.
        said = [r for r in said if r["displayName"].lower() in prompt.lower()]
    if strong or said or general:
        entities.matches = [
            m for m in entities.matches if m.kind != "unifiedRoleDefinition" or m in strong
        ]
    if said:
        # A user named after the role ("Global Admins") does not take a question about the
        # role over: a person's name that reads as a role is a look-alike, not the subject.
        role_ids = {role["id"] for role in said}
        entities.matches = [
            m for m in entities.matches if not (m.kind == "user" and _reads_as(store, m, role_ids))
        ]
    for role in said:
        entities.role_words.append(role["said"])
        entities.matches.append(
            EntityMatch(
                kind="unifiedRoleDefinition",
                id=role["id"],
                label=role["displayName"],
                detail=role.get("templateId") or "",
                phrase=role["displayName"].lower(),
                quality=MatchQuality.alias,
            )
        )


_SPEAKER = re.compile(
    r"^\W*(?:(?:hi|hello|hey|good (?:morning|afternoon|evening))\W+)?"
    r"(?:i['’]?m|i am|this is|my name is|here is)\s+",
    re.I,
)
_ABOUT_OTHERS = re.compile(
    r"\b(?:any(?:one|body)|some(?:one|body)|every(?:one|body)|who|which|whose|he|she|him|her|"
    r"his|they|them|their|users?|people|staff|colleagues?|members?|employees?|accounts)\b",
    re.I,
)


def drop_speaker(entities: PromptEntities, prompt: str) -> None:
    """The person who introduces themselves ("I'm Lars Eriksson, I manage the sales team. is
    anybody in sales flagged as risky?") is the speaker, not the subject, when the rest asks
    about others; "I'm Alice, why can't I sign in?" is about the speaker and keeps her."""
    if not (opening := _SPEAKER.match(prompt)):
        return
    rest = prompt[opening.end() :].lower()
    speaker = [m for m in entities.of_kind("user") if m.phrase and rest.startswith(m.phrase)]
    if not speaker:
        return
    after = rest[max(len(m.phrase) for m in speaker) :]
    others = [m for m in entities.of_kind("user") if m not in speaker and m.phrase in after]
    if others or _ABOUT_OTHERS.search(after):
        entities.matches = [m for m in entities.matches if m not in speaker]


def drop_question_shaped_names(entities: PromptEntities, prompt: str) -> None:
    """An object named like the question itself ("Which users are risky") is a look-alike:
    a name of three words or more that opens the prompt with a question word and holds three
    quarters of its words does not take the question over."""
    words = _WORDS_OF.findall(prompt.lower())
    entities.matches = [m for m in entities.matches if not _question_shaped(m.phrase, words)]


def _question_shaped(phrase: str, words: list[str]) -> bool:
    said = _WORDS_OF.findall(phrase.lower())
    return (
        len(said) >= MIN_QUESTION_WORDS
        and said[0] in _QUESTION_WORDS
        and words[: len(said)] == said
        and len(said) * QUESTION_SHARE_OF[1] >= len(words) * QUESTION_SHARE_OF[0]
    )


def _reads_as(store: Store, match: EntityMatch, role_ids: set[str]) -> bool:
    """Whether a matched object's whole name is one of the roles said in words."""
    return len(match.label.split()) <= MAX_ROLE_WORDS and any(
        role["id"] in role_ids for role in role_in_text(store, match.label)
    )


def unresolved_name(prompt: str, entities: PromptEntities) -> str | None:
    """A capitalised name in the prompt that matched no object ("who is Zebulon Quackenbush?")."""
    for match in _NAME_LIKE.finditer(prompt):
        words = match.group(0).split()
        if match.start() == 0 or prompt[: match.start()].rstrip().endswith((".", "?", "!")):
            words = words[1:]
        name = " ".join(words)
        if len(words) < 1 or name.lower() in _NOT_NAMES or country_code(name):
            continue  # a product, or a place ("United States"), is not a person's name
        if any(name.lower() in m.phrase or m.phrase in name.lower() for m in entities.matches):
            continue
        return name
    return None


def add_referents(entities: PromptEntities, session: Session, prompt: str) -> None:
    """Fill a kind the prompt lacks from what a pronoun points back at."""
    named = {m.kind for m in entities.matches}
    for kind in _KIND_PLACEHOLDER:
        if kind not in named and (referent := session.referent(prompt, kind)) is not None:
            entities.matches.append(referent)


def _parts(
    prompt: str,
    whole: Request,
    entities: PromptEntities,
    window: TimeWindow | None,
    registry: SkillRegistry,
) -> list[Request]:
    """One request per question of a compound prompt, when its questions ask different things."""
    clauses = [c for c in _CLAUSE_BREAK.split(prompt) if len(c.split()) >= MIN_PART_WORDS]
    if len(clauses) < 2:
        return []
    named = _named_kinds(entities, prompt)
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


def _asked_after_statement(
    prompt: str, entities: PromptEntities, named: set[str], registry: SkillRegistry
) -> list[IntentScore] | None:
    """The readings of the question that follows a statement ("the consultant somehow has
    Cloud Application Administrator. who granted that"), when it is clear on its own: the
    statement says what the question is about, the question what is asked."""
    pieces = _SENTENCE_THEN_QUESTION.split(prompt)
    if len(pieces) < 2 or "?" in pieces[0]:
        return None
    question = " ".join(pieces[1:])
    if len(question.split()) < MIN_PART_WORDS:
        return None
    readings = _clear_reading(question, entities, named, registry)
    if not readings or _availability(readings[0].intent) is not Availability.skill:
        return None
    return readings


def _clear_reading(
    clause: str, entities: PromptEntities, named: set[str], registry: SkillRegistry
) -> list[IntentScore] | None:
    """The readings of one question of a prompt read on its own, when they are clear: about
    the tenant, at least `PART_CONFIDENT` sure, and naming what the intent needs."""
    classifier = classifier_for(_plugin_exemplars(registry))
    readings = _weighed(classifier.scores(mask_names(clause, entities)), named, registry)
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
