"""What the engine reports while it answers, before the Answer: the plan, each skill that ran.

A `Copilot` with an `observer` tells it of these; the API streams them as server-sent events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from idpilot.copilot.answer import SkillCall

if TYPE_CHECKING:
    from idpilot.copilot.planner import Plan
    from idpilot.skills import SkillResult


class Planned(BaseModel):
    """The prompt was understood: the skills about to run (none for a refusal or a question
    back), and the window the prompt's time phrase named."""

    step: str = "plan"
    skills: list[SkillCall] = Field(default_factory=list)
    window: str | None = None
    """The time window, as `start/end` in ISO 8601 (UTC), when the prompt named one."""


class SkillRan(BaseModel):
    """One planned skill has run: how it ended and how many records it found."""

    step: str = "skill"
    skill: str
    status: str
    records: int

    @classmethod
    def of(cls, skill: str, result: SkillResult) -> SkillRan:
        """What a skill's result tells of its run."""
        return cls(skill=skill, status=result.status.value, records=len(result.evidence))


def planned(plan: Plan) -> Planned:
    """What a plan tells before its skills run."""
    window = plan.window
    return Planned(
        skills=[SkillCall(name=c.skill, params=c.params) for c in plan.calls],
        window=f"{window.start.isoformat()}/{window.end.isoformat()}" if window else None,
    )
