"""Deterministic skills over the store: the only source of facts in an answer."""

from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import (
    NextStep,
    ResultStatus,
    Skill,
    SkillFacts,
    SkillResult,
    Slot,
    UnresolvedFacts,
    define_skill,
    slot,
)
from idpilot.skills.registry import SkillRegistry, default_registry

__all__ = [
    "NextStep",
    "Record",
    "ResultStatus",
    "Skill",
    "SkillFacts",
    "SkillRegistry",
    "SkillResult",
    "Slot",
    "TimeWindow",
    "UnresolvedFacts",
    "default_registry",
    "define_skill",
    "slot",
]
