"""What the engine reports while it answers, before the Answer: the plan, each skill that ran.

`Copilot.steps` yields these, then the Answer; the API streams them as server-sent events.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from idpilot.copilot.answer import SkillCall


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
