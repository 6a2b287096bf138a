"""idpilot describing itself: what it can answer, and the readings of an unclear prompt."""

from __future__ import annotations

import re
from dataclasses import dataclass

from idpilot.copilot.understanding.classifier import IntentScore, load_bank
from idpilot.copilot.understanding.intents import INTENTS, Availability
from idpilot.skills import SkillRegistry

NOT_YET: dict[str, str] = {}
"""What each not-yet intent asks for, as the end of "I cannot ... yet"."""
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Capability:
    """One thing idpilot can answer: a short title, what it does, an example prompt."""

    title: str
    description: str
    example: str = ""


def _example(intent: str) -> str:
    for exemplar in load_bank():
        if exemplar.intent == intent:
            return _PLACEHOLDER.sub(lambda m: f"<{m.group(1)}>", exemplar.text)
    return ""


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def capabilities(registry: SkillRegistry) -> list[Capability]:
    """Every skill idpilot can run, described by its own one-line description."""
    return [
        Capability(title=_title(skill.name), description=skill.description)
        for skill in registry.all()
    ]


def describe_readings(
    registry: SkillRegistry, readings: list[IntentScore]
) -> list[Capability | None]:
    """A description of each reading that idpilot could answer (None for the others)."""
    described: list[Capability | None] = []
    for reading in readings:
        spec = INTENTS.get(reading.intent)
        skill_name = spec.answered_by if spec else reading.intent
        if spec is not None and spec.availability is not Availability.skill:
            described.append(None)
        elif skill_name in registry:
            skill = registry.get(skill_name)
            described.append(
                Capability(
                    title=_title(reading.intent),
                    description=skill.description,
                    example=_example(reading.intent),
                )
            )
        else:
            described.append(None)
    return described
