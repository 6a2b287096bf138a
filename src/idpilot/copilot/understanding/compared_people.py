"""Two or three people set side by side in one question ("does Eve have the same admin rights
as Priya?", "who is the bigger worry, Bob or Lars?", "Åse and Bjørnar both failed on Wednesday:
same cause?"): the question is asked of each of them, one part each.

Only questions whose skill looks at one person at a time are split, and only when the prompt
compares (a word of likeness, difference or choice) or names them as one list ("check Bob,
Lars and Alice for risky sign-ins"): "did Sven add Günter to the group?" names two people in
two roles, which its skill reads apart.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from idpilot.copilot.entities import EntityMatch, PromptEntities
from idpilot.copilot.understanding.prompt_names import NAMED_OUTRIGHT
from idpilot.store.lookup import MatchQuality

MAX_COMPARED = 3
"""The most people one comparison asks about (more is a list question)."""
PER_PERSON = frozenset(
    {"user_roles", "user_details", "risky_user_summary", "signin_troubleshoot", "audit_history"}
)
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
    for matches in entities.groups_by_phrase("user").values():
        ids = {m.id for m in matches}
        sure = [m for m in matches if m.quality in NAMED_OUTRIGHT]
        if sure:
            people.setdefault(sure[0].id, sure[0])
        elif len(ids) == 1 and matches[0].quality is MatchQuality.first_name:
            # "did any of Zofia, Ingrid or Paulo reset their password?": a first name only
            # one person has is that person.
            people.setdefault(matches[0].id, matches[0])
    if not 2 <= len(people) <= MAX_COMPARED:
        return []
    if not _COMPARES.search(prompt) and not _listed_together(prompt, list(people.values())):
        return []
    return list(people.values())


_LIST_JOINT = re.compile(r"\W*(?:,|&|/|\band\b|\bor\b|\bnor\b)\W*(?:(?:and|or)\W+)?", re.I)
"""What stands between two names of a list ("Bob, Lars and Alice", "Ann / Ben")."""


def _listed_together(prompt: str, people: list[EntityMatch]) -> bool:
    """Whether the people are named as one list, only commas, "and" or "or" between them
    ("check Bob Martinez, Lars Eriksson and Alice Moreau for risky sign-ins")."""
    spans = []
    for person in people:
        found = re.search(rf"\b{re.escape(person.phrase)}\b", prompt, re.I)
        if found is None:
            return False
        spans.append(found.span())
    spans.sort()
    return all(
        _LIST_JOINT.fullmatch(prompt[end:start]) is not None
        for (_, end), (start, _) in itertools.pairwise(spans)
    )


def entities_of_one(entities: PromptEntities, person: EntityMatch) -> PromptEntities:
    """What the prompt names, with `person` the only user."""
    kept = [m for m in entities.matches if m.kind != "user" or m.id == person.id]
    return replace(entities, matches=kept)
