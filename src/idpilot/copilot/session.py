"""Conversation state: what earlier turns named, so follow-ups can say "he" or "that group"."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from idpilot.store.lookup import EntityMatch, MatchQuality

MAX_TURNS_KEPT = 20
# Words that point back at something an earlier turn named, by the kind they can mean.
_REFERENCES = {
    "user": re.compile(
        r"\b(he|she|him|her|his|hers|they|them|their|this user|that user|the user|"
        r"this person|that person|this account|that account|same user)\b",
        re.I,
    ),
    "group": re.compile(r"\b(it|its|this group|that group|the group|same group)\b", re.I),
    "servicePrincipal": re.compile(r"\b(it|its|this app|that app|the app|same app)\b", re.I),
    "conditionalAccessPolicy": re.compile(r"\b(it|this policy|that policy|the policy)\b", re.I),
}


@dataclass
class Turn:
    """One prompt of the conversation: the skill it ran and the objects it was about."""

    prompt: str
    skill: str | None
    params: dict[str, object]
    subjects: list[EntityMatch]
    status: str


@dataclass
class Session:
    """The turns of one conversation, newest last."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    turns: list[Turn] = field(default_factory=list)

    def remember(self, turn: Turn) -> None:
        """Add a turn, keeping the most recent ones."""
        self.turns.append(turn)
        del self.turns[:-MAX_TURNS_KEPT]

    def last_turn(self) -> Turn | None:
        """The previous turn, if any."""
        return self.turns[-1] if self.turns else None

    def referent(self, prompt: str, kind: str) -> EntityMatch | None:
        """The object of `kind` a pronoun in the prompt points back at, if any."""
        pattern = _REFERENCES.get(kind)
        if pattern is None or not (words := pattern.search(prompt)):
            return None
        for turn in reversed(self.turns):
            for subject in turn.subjects:
                if subject.kind == kind:
                    return subject.model_copy(
                        update={"phrase": words.group(0).lower(), "quality": MatchQuality.id}
                    )
        return None
