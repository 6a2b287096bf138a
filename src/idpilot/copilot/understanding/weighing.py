"""Readings weighed by what the prompt names: an intent that needs an object the prompt does
not name is less likely, one that takes what it names more likely, renormalised.
"""

from __future__ import annotations

import re

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.understanding.classifier import IntentScore
from idpilot.copilot.understanding.intents import INTENTS, IntentSpec, Need
from idpilot.copilot.understanding.prompt_names import maskable, unresolved_name
from idpilot.skills import SkillRegistry

NEED_UNMET = 0.3
"""An intent whose required object the prompt does not name is this much less likely."""

NEED_UNMET_NAME_UNKNOWN = 0.8

UNRESOLVED = "unresolvedName"

STRONG = "named:"

NAMES_WHAT_IT_TAKES = 3.0
"""An intent that takes a kind of object the prompt names is this much more likely."""

TAKES_NOTHING_NAMED = 0.4
"""An intent that takes none of the objects the prompt names is this much less likely."""

OBJECT_KINDS = frozenset({"user", "group", "servicePrincipal"})

DEPARTMENT = "department"

PLACE = "place"

WINDOW = "window"

WINDOW_TAKEN = 1.5
"""A time the prompt states weighs less than a name: many questions say when."""

_VALUE_KINDS = frozenset({"errorCode", "ip", DEPARTMENT, PLACE, WINDOW})
"""Kinds the prompt names as values (not directory objects matched by their words)."""

_NEED_KIND = {
    Need.user: "user",
    Need.group: "group",
    Need.application: "servicePrincipal",
}

HYPOTHETICAL = "hypothetical"

HYPOTHETICAL_WEIGHT = 6.0
""""What if ...?" asks about a sign-in that has not happened, whatever else it names."""

RECORDED = "recorded"
"""The prompt dates what it asks about in the past ("on the 9th", "yesterday") and asks no
"what if": a sign-in that happened, which the logs answer, not a hypothetical one."""

_HYPOTHETICAL = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|hmm)\W+)?(?:what\s+(?:if|would happen if|happens if)\b"
    r"|suppose\b|imagine\b|assuming\b|would\b(?!\s+you\b)|if\b.{3,}\b(?:would|will)\b"
    r"|if\b[^,?]{3,},\s*(?:does|do|can|could|is|are)\b"
    r"|if\b[^?]{3,}?,\s*what\s+(?:happens|would happen|will happen|is the (?:result|outcome))\b)",
    re.I,
)
"""A question about a sign-in that has not happened: "what if ...", "would a ... have to ..."."""


def named_kinds(entities: PromptEntities, prompt: str) -> set[str]:
    """The kinds of things the prompt names (objects, error codes, IP addresses)."""
    named = {m.kind for m in entities.matches}
    # A name matched for sure (not a word that merely occurs in some object's name) also
    # weighs for the intents that take that kind of object, and against those that do not.
    named |= {STRONG + m.kind for m in entities.matches if maskable(m)}
    if entities.unknown_names or unresolved_name(prompt, entities):
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


def weighed(
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
    elif not taken and sure & OBJECT_KINDS:
        factor *= TAKES_NOTHING_NAMED
    if UNRESOLVED in named and not sure & OBJECT_KINDS and not takes_a_person(spec):
        # "sign-in failures for Pernilla Strandberg": a person the tenant lacks is still the
        # subject; the question about her answers "not found", not about everyone.
        factor *= TAKES_NOTHING_NAMED
    if spec.hypothetical and HYPOTHETICAL in named:
        factor *= HYPOTHETICAL_WEIGHT
    elif spec.hypothetical and RECORDED in named:
        factor /= HYPOTHETICAL_WEIGHT
    return factor


def takes_a_person(spec: IntentSpec) -> bool:
    """Whether the intent takes or needs a user."""
    return "user" in spec.takes or Need.user in spec.needs or Need.user in spec.any_of


def _need_kind(need: Need) -> str:
    return _NEED_KIND.get(need, need.value)
