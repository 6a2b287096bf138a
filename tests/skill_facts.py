"""The facts contract every built-in skill keeps: its result's facts are its declared model."""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.skills import ResultStatus, Skill, SkillFacts, SkillResult, UnresolvedFacts
from idpilot.skills.registry import BUILTIN_PACKAGE

NOT_YET_TYPED: frozenset[str] = frozenset()
"""Built-in skills whose facts are still a plain dict (named, so a new skill cannot join)."""

_UNRESOLVED = {ResultStatus.not_found, ResultStatus.ambiguous}


def is_builtin(skill: Skill) -> bool:
    """Whether the skill ships with idpilot (plugins may keep plain-dict facts)."""
    return skill.template_package == BUILTIN_PACKAGE


def facts_problems(skill: Skill, result: SkillResult) -> list[str]:
    """Why `result` breaks the skill's facts contract (empty when it keeps it)."""
    if skill.facts_model is None:
        if is_builtin(skill) and skill.name not in NOT_YET_TYPED:
            return [f"built-in skill {skill.name} declares no facts model"]
        return []
    if not issubclass(skill.facts_model, SkillFacts):
        return [f"{skill.name}'s facts model does not derive from SkillFacts"]
    facts = result.facts
    allowed: tuple[type[BaseModel], ...] = (skill.facts_model,)
    if result.status in _UNRESOLVED:
        allowed = (skill.facts_model, UnresolvedFacts)
    if not isinstance(facts, allowed):
        names = " or ".join(model.__name__ for model in allowed)
        return [f"{skill.name} returned {type(facts).__name__} facts, not {names}"]
    again = type(facts).model_validate(facts.model_dump())
    if again != facts:
        return [f"{skill.name}'s facts change when dumped and validated again"]
    return []
