"""Deterministic skills over the store: the only source of facts in an answer."""

from idpilot.skills.base import (
    Candidate,
    EvidenceRecord,
    NextStep,
    ResultStatus,
    Skill,
    SkillResult,
    Slot,
    WindowInput,
    define_skill,
    slot,
)
from idpilot.skills.registry import SkillRegistry, default_registry

__all__ = [
    "Candidate",
    "EvidenceRecord",
    "NextStep",
    "ResultStatus",
    "Skill",
    "SkillRegistry",
    "SkillResult",
    "Slot",
    "WindowInput",
    "default_registry",
    "define_skill",
    "slot",
]
