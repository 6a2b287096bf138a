"""A person the prompt describes whom several people fit ("the accountant in Kraków", "the
reader in the finance portal"): the skill, handed the description, finds no one by that name,
so the answer asks which of the people the understanding found was meant."""

from __future__ import annotations

from idpilot.copilot.planner import Plan
from idpilot.skills import SkillResult
from idpilot.skills.base import ResultStatus, UnresolvedFacts
from idpilot.skills.resolve import Resolution


def ask_which_described(plan: Plan, result: SkillResult) -> SkillResult:
    """`result`, or, when it found nobody by a phrase the prompt's understanding read as
    several people, the ambiguous result that lists them."""
    if (
        result.status is not ResultStatus.not_found
        or plan.request is None
        or not result.query
        or not isinstance(result.facts, UnresolvedFacts)
    ):
        return result
    phrase = result.query.strip().lower()
    fitting = {
        m.id: m
        for m in plan.request.entities.matches
        if m.kind == "user" and m.phrase.lower() == phrase
    }
    if len(fitting) < 2:
        return result
    candidates = sorted(fitting.values(), key=lambda m: m.label)
    return Resolution(result.query, candidates=candidates).unresolved(
        result.skill, result.facts.kind
    )
