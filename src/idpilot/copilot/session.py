"""Conversation state: what earlier turns named, so follow-ups can say "he" or "that group"."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from pydantic import TypeAdapter

from idpilot.store.lookup import EntityMatch, MatchQuality

MAX_TURNS_KEPT = 20
# Words that point back at something an earlier turn named, by the kind they can mean.
_REFERENCES = {
    "user": re.compile(
        r"\b(he|she|him|her|his|hers|they|them|their|this user|that user|the user|"
        r"this person|that person|this account|that account|same user)\b",
        re.I,
    ),
    "group": re.compile(
        r"\b(it|its|this group|that group|the group|same group|that one|this one)\b", re.I
    ),
    "servicePrincipal": re.compile(
        r"\b(it|its|this app|that app|the app|same app|that one|this one)\b", re.I
    ),
    "conditionalAccessPolicy": re.compile(
        r"\b(it|this policy|that policy|the policy|that one|this one)\b", re.I
    ),
}


_ORDINALS = {"top": 0, "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2}
# "the top one", "the second user", "the first app on that list": an item of the last list.
_ORDINAL_REFERENCE = re.compile(
    r"\b(?:the\s+)?(top|first|1st|second|2nd|third|3rd)\s+"
    r"(?:one|user|person|account|guy|group|app|application|entry|item|policy)\b",
    re.I,
)
# "the medium one", "the Tor one", "the disabled account": the one item of the last list whose
# line in the answer says that word.
_ATTRIBUTE_REFERENCE = re.compile(
    r"\bthe\s+(?:other\s+)?(?!(?:other|same|last|next|previous|new|only|whole|right|wrong)\b)"
    r"([\w-]{2,})\s+(?:one|user|person|account|guy|group|app|application|entry|item|policy)\b",
    re.I,
)
# "who's hitting it?", "where does this error happen?": the code or IP the last turn was about.
_VALUE_REFERENCE = re.compile(
    r"\b(it|this|that|the same|those|these)\b"
    r"(?!\s+(?:users?|persons?|people|accounts?|guys?|groups?|apps?|applications?|polic(?:y|ies)"
    r"|roles?|devices?|admins?|sign-?ins?|ones?|workflows?|detections?)\b)"
    r"(?:\s+(?:error|code|ip|address))?",
    re.I,
)
"""A pronoun that may point back at an error code or IP ("who's hitting it?"), not one that
names another kind of thing ("this user")."""


_RELATION_NOUNS = r"(?:manager|boss|supervisor|owners?)"
"""The people a question asks for through someone or something else."""
_RELATION = re.compile(rf"\b{_RELATION_NOUNS}\b", re.I)
"""A follow-up that asks the relation again ("and her manager?" after "who's her manager?":
the record of the manager named, which names the one above)."""
_ASKS_FOR_ANOTHER = re.compile(
    r"^\W*(?:who|whom|whose|which\s+(?:user|person|admin|account|one))\b.*"
    rf"\b(?:{_RELATION_NOUNS}|owns?|manages|sponsor|approver)\b",
    re.I,
)
"""A question that asks for the person related to what it names ("who is X's manager?", "who
owns the payroll app?"): the answer's one such person is whom the next pronoun means."""


_ADDRESS_REFERENCE = re.compile(
    r"\b(?:that|this|the\s+same|those|these)\s+(?:ip|ips|address|addresses|ip\s+address)\b", re.I
)
"""An address pointed at outright ("that IP"): only then is it one the last answer spoke of."""


@dataclass
class Turn:
    """One prompt of the conversation: the skill it ran, the objects it was about, the error
    codes and IP addresses it named, and the objects its answer listed (in order)."""

    prompt: str
    skill: str | None
    params: dict[str, object]
    subjects: list[EntityMatch]
    status: str
    error_codes: list[int] = field(default_factory=list)
    ips: list[str] = field(default_factory=list)
    listed: list[EntityMatch] = field(default_factory=list)
    answered_ips: list[str] = field(default_factory=list)
    """The address the answer spoke of first, when the question named none ("that IP" after
    "did anyone spray passwords at us?")."""


_TURN_DOCUMENT = TypeAdapter(Turn)


def turn_document(turn: Turn) -> bytes:
    """A turn as JSON, as a persisted session keeps it (`remembered_turn` reads it back)."""
    return _TURN_DOCUMENT.dump_json(turn)


def remembered_turn(document: str | bytes) -> Turn:
    """A turn from its JSON (`turn_document`): what a follow-up in a later request needs."""
    return _TURN_DOCUMENT.validate_json(document)


@dataclass
class Session:
    """The turns of one conversation, newest last."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    turns: list[Turn] = field(default_factory=list)

    @classmethod
    def resume(cls, session_id: str, turns: list[Turn]) -> Session:
        """A session continued from the turns it remembered (oldest first)."""
        session = cls(id=session_id)
        for turn in turns:
            session.remember(turn)
        return session

    def remember(self, turn: Turn) -> None:
        """Add a turn, keeping the most recent ones."""
        self.turns.append(turn)
        del self.turns[:-MAX_TURNS_KEPT]

    def last_turn(self) -> Turn | None:
        """The previous turn, if any."""
        return self.turns[-1] if self.turns else None

    def listed_referent(self, prompt: str) -> EntityMatch | None:
        """The item of the last turn's list that "the top one", "the second user" or "the medium
        one" (the one item whose line says "medium") names."""
        previous = self.last_turn()
        if previous is None:
            return None
        said = _ORDINAL_REFERENCE.search(prompt)
        if said is not None:
            index = _ORDINALS[said.group(1).lower()]
            if index >= len(previous.listed):
                return None
            item = previous.listed[index]
        elif (said := _ATTRIBUTE_REFERENCE.search(prompt)) is not None:
            word = re.compile(rf"\b{re.escape(said.group(1))}\b", re.I)
            fitting = [item for item in previous.listed if word.search(_words_of(item.detail))]
            if len(fitting) != 1:
                return None
            item = fitting[0]
        else:
            return None
        return item.model_copy(update={"phrase": said.group(0).lower(), "quality": MatchQuality.id})

    def referred_values(self, prompt: str) -> tuple[list[int], list[str]]:
        """The error codes and IP addresses of the last turn that named any, when the prompt
        points back ("it", "this error", "that IP")."""
        if not _VALUE_REFERENCE.search(prompt):
            return [], []
        for turn in reversed(self.turns):
            if turn.error_codes or turn.ips:
                return list(turn.error_codes), list(turn.ips)
        last = self.last_turn()
        if last is not None and last.answered_ips and _ADDRESS_REFERENCE.search(prompt):
            return [], list(last.answered_ips)
        return [], []

    def referent(self, prompt: str, kind: str) -> EntityMatch | None:
        """The object of `kind` a pronoun in the prompt points back at, if any: the one other
        object the last question asked for ("Who is Ainhoa's manager?" then "is she risky?":
        the manager), else the newest object of that kind a question was about."""
        pattern = _REFERENCES.get(kind)
        if pattern is None or not (words := pattern.search(prompt)):
            return None
        update = {"phrase": words.group(0).lower(), "quality": MatchQuality.id}
        relation_again = _RELATION.search(prompt) is not None  # "and her manager?": one up
        if not relation_again and (answered := self._answered(kind)) is not None:
            return answered.model_copy(update=update)
        for turn in reversed(self.turns):
            for subject in turn.subjects:
                if subject.kind == kind:
                    return subject.model_copy(update=update)
        return None

    def _answered(self, kind: str) -> EntityMatch | None:
        """The one object of `kind` the last answer named that its question asked for, beside
        what the question was about ("who owns the payroll app?": its one owner; "which groups
        have no members?": the one group listed)."""
        last = self.last_turn()
        if last is None:
            return None
        about = {s.id for s in last.subjects}
        others = [m for m in last.listed if m.kind == kind and m.id not in about]
        if len(others) != 1:
            return None
        if _ASKS_FOR_ANOTHER.search(last.prompt):
            return others[0]
        # "Which of our Teams have no members?" then "who owns that one?": the one item of
        # the list, when the last question was about nothing of that kind.
        return (
            others[0] if kind != "user" and not any(s.kind == kind for s in last.subjects) else None
        )


def _words_of(line: str) -> str:
    """A line with its camelCase words apart ("passwordSpray": "password Spray")."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", line)
