"""Two or three people set side by side in one question ("does Eve have the same admin rights
as Priya?", "who is the bigger worry, Bob or Lars?", "Åse and Bjørnar both failed on Wednesday:
same cause?"): the question is asked of each of them, one part each.

Only questions whose skill looks at one person at a time are split, and only when the prompt
compares (a word of likeness, difference or choice): "did Sven add Günter to the group?" names
two people in two roles, which its skill reads apart.
"""

from __future__ import annotations

import re
from dataclasses import replace

from idpilot.copilot.entities import EntityMatch, PromptEntities
from idpilot.copilot.understanding.prompt_names import NAMED_OUTRIGHT

MAX_COMPARED = 3
"""The most people one comparison asks about (more is a list question)."""
PER_PERSON = frozenset({"user_roles", "user_details", "risky_user_summary", "signin_troubleshoot"})
"""Intents whose answer is about one person at a time."""
_COMPARES = re.compile(
    r"\b(?:same|similar|different|differ\w*|difference|compare\w*|comparison|versus|vs\.?|"
    r"both|either|neither|each|between|worse|better|bigger|smaller|riskier|than|like|unlike|"
    r"whereas|while)\b|\bor\b(?=[^?]*\?)",
    re.I,
)


_RISK_WORDS = re.compile(
    r"\b(?:worry|worries|worried|worrying|concern\w*|risk\w*|compromised|danger\w*|threat\w*|"
    r"exposed|safe|safer)\b",
    re.I,
)
RISK_SUMMARY = "risky_user_summary"


def compared_on_risk(prompt: str) -> bool:
    """Whether people are compared on how much of a risk they are ("who is the bigger worry,
    Bob or Lars?"): each one's risk, not their account."""
    return bool(_RISK_WORDS.search(prompt))


def compared_people(prompt: str, entities: PromptEntities) -> list[EntityMatch]:
    """The people a prompt compares, in the order named (each by its best match); empty when it
    names fewer than two for sure, more than `MAX_COMPARED`, or compares nothing."""
    people: dict[str, EntityMatch] = {}
    for match in entities.matches:
        if match.kind == "user" and match.quality in NAMED_OUTRIGHT:
            people.setdefault(match.id, match)
    if not 2 <= len(people) <= MAX_COMPARED or not _COMPARES.search(prompt):
        return []
    return list(people.values())


def entities_of_one(entities: PromptEntities, person: EntityMatch) -> PromptEntities:
    """What the prompt names, with `person` the only user."""
    kept = [m for m in entities.matches if m.kind != "user" or m.id == person.id]
    return replace(entities, matches=kept)
