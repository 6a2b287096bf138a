"""A prompt read as part of a conversation: what a short follow-up points back at (an object,
an item of the last list, an error code, the last window moved back) and how much the previous
question carries into it.
"""

from __future__ import annotations

import re
from datetime import timedelta

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.session import Session
from idpilot.copilot.time_phrases import TimeWindow
from idpilot.copilot.understanding.classifier import PERSONAL_PRONOUN, IntentScore, favour
from idpilot.copilot.understanding.intents import DESCRIBING, DETAIL_OF, intent_of_skill
from idpilot.copilot.understanding.off_topic import IDENTITY_WORDS
from idpilot.copilot.understanding.prompt_names import KIND_PLACEHOLDER, maskable
from idpilot.copilot.understanding.request import CONFIDENT
from idpilot.store.lookup import EntityMatch, MatchQuality

FOLLOW_UP_WORDS = 6

ELLIPTIC_WORDS = 3

ASKED_AGAIN_WORDS = 14
"""A follow-up asking the last question again ("and the failure on Monday at 08:55, same
reason?") may say this much and still go on."""

VALUE_FOLLOW_UP_WORDS = 10
"""A follow-up pointing back at an error code or IP may say this much and still go on."""

CONTINUES = 1000.0
CORRECTION_WORDS = 24
"""A follow-up that corrects the last question goes on with it up to this many words."""
"""A follow-up that asks nothing of its own makes the previous turn's intent this much likelier."""

CONTINUES_ASKING = 3.0
"""A follow-up with a question of its own continues the previous one by this much less."""

CONFIDENT_ALONE = 0.9
"""A follow-up read this surely as another question asks that question."""

_BACK_REFERENCE = re.compile(r"\b(?:it|that|this|those|these|they|them|there)\b", re.I)

_OWN_QUESTION = re.compile(
    r"\b(?:who|what(?!\s+about)|why|which|how(?!\s+about)|when|where|whose)\b", re.I
)
"""A follow-up with a question word asks its own question ("and who disabled the account?");
"what about ..." goes on with the last one."""

_ADVICE_ON_THE_LAST = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|right)\W+)?(?:"
    r"what\s+(?:would|should|do)\s+(?:you|i|we)\s+(?:change|fix|do|tackle|address|prioriti[sz]e)"
    r"(?:\s+first)?|where\s+(?:do|should|would)\s+(?:i|we|you)\s+start"
    r"|what\s+do\s+you\s+recommend|what(?:['’]s|\s+is)\s+the\s+(?:priority|first\s+step)"
    r"|which\s+(?:one\s+)?(?:first|matters\s+most))\b",
    re.I,
)
"""Advice asked about the last answer ("what would you change first?", "where do we start?"):
it goes on with the last question, whose answer carries the ranked steps."""

_GOING_ON = re.compile(
    r"\s*(?:ok(?:ay)?\W+)?(?:and|also|what about|how about|same"
    r"|(?:more|less|fewer|higher|lower|worse|better)\s+than|compared\s+(?:to|with)|vs\.?|versus)\b",
    re.I,
)
"""A follow-up that goes on with the previous question ("and ...", "what about ...", "more
than the day before?")."""

_BEFORE_THAT = re.compile(
    r"\bthe\s+(?:(day|week|month)\s+before|previous\s+(day|week|month))\b", re.I
)

_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}


def window_before(session: Session, prompt: str) -> TimeWindow | None:
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


def same_window(session: Session, intent: str) -> TimeWindow | None:
    """ "Anything weird during the weekend?" then "did they get into any account?": a follow-up
    that goes on with the last question and says no time of its own keeps the last window."""
    previous = session.last_turn()
    if previous is None or previous.skill is None or intent_of_skill(previous.skill) != intent:
        return None
    if not isinstance(previous.params.get("window"), dict):
        return None
    try:
        return TimeWindow.model_validate(previous.params["window"])
    except ValueError:
        return None


_TIME_ONLY_WORDS = frozenset(
    {
        *("and", "what", "about", "how", "same", "again", "then", "ok", "okay", "now", "for"),
        *("the", "this", "last", "past", "previous", "next", "that", "since", "before", "after"),
        *("on", "in", "of", "today", "yesterday", "tonight", "day", "days", "week", "weeks"),
        *("month", "months", "morning", "afternoon", "evening", "night", "weekend", "hour"),
        *("hours", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"),
        *("sunday", "one", "a", "couple", "few", "v", "kw"),
    }
)


def _only_another_time(prompt: str) -> bool:
    """ "and this week?", "what about yesterday?": only another time, the question the same."""
    words = re.findall(r"[a-z]+|\d+", prompt.lower())
    return bool(words) and all(w in _TIME_ONLY_WORDS or w.isdigit() for w in words)


_ANOTHER_OBJECT = re.compile(
    r"^\W*(?:ok(?:ay)?\W+)?(?:and|what\s+about|how\s+about|same\s+for|now)\s+"
    r"(?P<other>[^,?!.]{1,60}?)"
    r"(?:\W+(?:same|too|also|as\s+well|then|please)\b[^?!.]{0,30})?\W*$",
    re.I,
)
"""The last question asked of another object ("and Soren, same window?", "what about the
finance portal?")."""
_OWN_QUESTION_WORDS = re.compile(
    r"\b(?:who|whom|what|which|when|why|how|where|is|are|was|were|did|does|do|has|have|can)\b",
    re.I,
)
MAX_OTHER_OBJECT_WORDS = 4
_OF_THE_SAME = re.compile(r"(?:his|her|hers|their|its|my|our|your|him|them|it)\b", re.I)
"""Another thing of the same object ("and his risk?"), not another object."""


def only_another_object(prompt: str) -> bool:
    """Whether the prompt only names another object for the last question ("and Soren, same
    window?"): a few words after "and" or "what about", no question of their own."""
    found = _ANOTHER_OBJECT.match(prompt)
    if found is None:
        return False
    other = found.group("other")
    return (
        len(other.split()) <= MAX_OTHER_OBJECT_WORDS
        and not _OWN_QUESTION_WORDS.search(other)
        and not _OF_THE_SAME.match(other)
        # A kind of object in lower case ("what about apps?"), not a name ("and Otto Admin?").
        and not IDENTITY_WORDS.search(re.sub(r"\b[A-Z][\w'’-]*", " ", other))
    )


def continuing(
    scores: list[IntentScore], session: Session, prompt: str, value_referred: bool = False
) -> list[IntentScore]:
    """A short follow-up about the same object ("is she fine now?") likely goes on asking what
    the previous turn asked: that intent is this much more likely; when the follow-up points
    back at the error code or IP that turn was about, and asks nothing clearly its own, it goes
    on asking it."""
    previous = session.last_turn()
    longest = VALUE_FOLLOW_UP_WORDS if value_referred else FOLLOW_UP_WORDS
    if asks_again(prompt) or narrows(prompt):
        longest = ASKED_AGAIN_WORDS
    if _CORRECTION.search(prompt):
        longest = CORRECTION_WORDS  # "no, not the standing ones. just the people who ..."
    if previous is None or previous.skill is None or len(prompt.split()) > longest:
        return scores
    intent = intent_of_skill(previous.skill) or previous.skill
    if narrows(prompt) or _only_another_time(prompt) or only_another_object(prompt):
        # "only the ones holding an admin role", "and this week?", "and Soren, same window?":
        # the last question, however its words read.
        top = max((s.probability for s in scores), default=0.0)
        return [
            IntentScore(s.intent, max(s.probability, top) * CONTINUES, s.facet)
            if s.intent == intent
            else s
            for s in scores
        ]
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
    settled = _ADVICE_ON_THE_LAST.search(prompt) or narrows(prompt)
    weight = CONTINUES_ASKING if asks_own and not settled else CONTINUES
    favoured = favour(scores, intent, weight)
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


def pick_listed(entities: PromptEntities, session: Session, prompt: str) -> EntityMatch | None:
    """ "Tell me more about the top one": the item of the last answer's list, when the prompt
    names no object of that kind itself."""
    item = session.listed_referent(prompt)
    if item is None or any(m.kind == item.kind and maskable(m) for m in entities.matches):
        return None
    # Words of the pick ("the medium one") name nothing else ("medium" in a policy's name).
    entities.matches = [
        m
        for m in entities.matches
        if m.kind != item.kind
        and not (m.quality is MatchQuality.partial and m.phrase in item.phrase)
    ]
    entities.matches.append(item)
    return item


def add_referred_values(entities: PromptEntities, session: Session, prompt: str) -> bool:
    """ "Who's hitting it?" after a question about an error code: that code (and an IP).
    True when the prompt pointed back at one."""
    if entities.error_codes or entities.ips:
        return False
    codes, ips = session.referred_values(prompt)
    entities.error_codes.extend(codes)
    entities.ips.extend(ips)
    return bool(codes or ips)


def drilling_down(scores: list[IntentScore], session: Session) -> list[IntentScore]:
    """A follow-up about one item of the last list asks that list's detail question: "tell me
    more about the top one" after the risky users is that user's risk summary."""
    previous = session.last_turn()
    listing = intent_of_skill(previous.skill) if previous and previous.skill else None
    detail = DETAIL_OF.get(listing or "")
    if detail is None or not scores:
        return scores
    weight = CONTINUES if scores[0].intent in DESCRIBING else CONTINUES_ASKING
    return favour(scores, detail, weight)


def add_referents(entities: PromptEntities, session: Session, prompt: str) -> None:
    """Fill a kind the prompt lacks from what a pronoun points back at. One "it" that could
    be objects of several kinds is the one the last answer was about (its skill took it):
    "did she get back in to it?" after "why did Kvitto Expenses refuse Zofia (Shared
    Services)?" is the app, not the group."""
    named = {m.kind for m in entities.matches if maskable(m)}  # a word of a name names nothing
    found = [
        referent
        for kind in KIND_PLACEHOLDER
        if kind not in named and (referent := session.referent(prompt, kind)) is not None
    ]
    things = [r for r in found if r.kind != "user"]
    last = session.last_turn()
    if len(things) > 1 and last is not None:
        taken = {str(value) for value in last.params.values()}
        if used := [r for r in things if r.id in taken]:
            found = [r for r in found if r.kind == "user" or r in used]
    entities.matches.extend(found)


def is_elliptic(prompt: str, entities: PromptEntities) -> bool:
    """ "and yesterday?", "which sign-ins were behind it?": a prompt so short, or so plainly
    going on from the last turn, that it is about what that turn was about. (A word that merely
    occurs in some policy's name, "sign-ins", names nothing.)"""
    if any(maskable(m) for m in entities.matches):
        return False
    words = len(prompt.split())
    return words <= ELLIPTIC_WORDS or (
        words <= FOLLOW_UP_WORDS
        and bool(
            _BACK_REFERENCE.search(prompt)
            or _ADVICE_ON_THE_LAST.search(prompt)
            or (_GOING_ON.match(prompt) and not _OWN_QUESTION.search(prompt))
        )
    )


CHANGE_FINDERS = frozenset({"who_changed", "audit_history", "policy_changes"})
"""Skills whose answer names who made a change: a "he" asked what he did next means that one."""


def swap_referent_for_actor(entities: PromptEntities, session: Session) -> None:
    """ "Who gave Eve global admin?" then "what else has he done this month?": the one person
    the last answer named as making the change, not the person the change was made to, when a
    pronoun pointed back at the latter."""
    last = session.last_turn()
    if last is None or last.skill not in CHANGE_FINDERS:
        return
    subject_ids = {s.id for s in last.subjects}
    actors = [m for m in last.listed if m.kind == "user" and m.id not in subject_ids]
    if len(actors) != 1:
        return
    for index, match in enumerate(entities.matches):
        if (
            match.kind == "user"
            and match.id in subject_ids
            and PERSONAL_PRONOUN.fullmatch(match.phrase)
        ):
            entities.matches[index] = actors[0].model_copy(update={"phrase": match.phrase})
            return


_SAME_AGAIN = re.compile(
    r"\bsame\s+(?:reason|thing|issue|problem|cause|error|again)\b|\bagain\b", re.I
)


def asks_again(prompt: str) -> bool:
    """Whether the prompt asks the last question again of something else ("same reason?")."""
    return bool(_SAME_AGAIN.search(prompt))


def same_person_again(
    entities: PromptEntities,
    session: Session,
    prompt: str,
    intent: str,
    lacks_a_user: bool,
    refers_back: bool = False,
) -> bool:
    """ "And the Teams failure on Monday at 08:55, same reason?", "would it have worked from the
    office?": a follow-up that asks the last question again, or points back at what the last
    turn was about, and names nobody, though its question needs a person, is about the one
    person the last turn was about; that person is added (True)."""
    last = session.last_turn()
    if not lacks_a_user or last is None or last.skill is None:
        return False
    again = intent_of_skill(last.skill) == intent and bool(
        _GOING_ON.match(prompt) or asks_again(prompt)
    )
    back = refers_back or (
        bool(_BACK_REFERENCE.search(prompt)) and len(prompt.split()) <= ASKED_AGAIN_WORDS
    )  # "would it have worked from the office?": "it" is the last turn's sign-in
    if not (again or back):
        return False
    people = {s.id: s for s in last.subjects if s.kind == "user"}
    if len(people) != 1:
        return False
    entities.matches.append(
        next(iter(people.values())).model_copy(update={"quality": MatchQuality.id})
    )
    return True


_NARROWING = re.compile(
    r"^\W*(?:(?:and|but|ok(?:ay)?|now|so)\W+)?(?:only|just|of\s+(?:those|them|these)|"
    r"among\s+(?:those|them|these)|which\s+of\s+(?:those|them|these)|"
    r"same\s+(?:thing\s+)?(?:but\s+)?(?:for|in|with|without)|now\s+for|and\s+for)\b",
    re.I,
)
"""A follow-up that changes one thing of the last question ("only the ones holding an admin
role", "same for Kraków", "now for last month")."""


_CORRECTION = re.compile(
    r"^\W*(?:(?:no|nope|sorry|wait|oops|actually|ah|er+m?)\W+){0,3}(?:i\s+meant\b|"
    r"not\s+(?:him|her|them|that\s+one|this\s+one|the\s+[\w-]+(?:\s+ones?)?|those|these|"
    r"just|only|(?:this|that|last|next)\s+\w+)\b|by\s+\w+)"
    r"|^\W*(?:no|nope|sorry)\W+[^?]*\bi\s+meant\b",
    re.I,
)
"""A follow-up that corrects the last question ("no sorry, I meant the other Alice", "not him,
the guest", "not the standing ones, just ..."): the same question with one thing changed."""


def narrows(prompt: str) -> bool:
    """Whether the prompt asks the last question again with one thing changed or added (or
    corrected)."""
    return bool(_NARROWING.search(prompt) or _CORRECTION.search(prompt))


def values_kept(session: Session, intent: str, filters: frozenset[str]) -> dict[str, object]:
    """The list filters the last question applied, when this one goes on asking it: "only the
    ones holding an admin role" after "which guests ...?" keeps the guests."""
    last = session.last_turn()
    if last is None or last.skill is None or intent_of_skill(last.skill) != intent:
        return {}
    return {k: v for k, v in last.params.items() if k in filters and v not in (None, False, [])}
