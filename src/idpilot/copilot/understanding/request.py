"""The typed request a prompt becomes: scope, intent, facet, how sure, and what it names."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.time_phrases import TimeWindow
from idpilot.copilot.understanding._slot_numbers import QuestionForm
from idpilot.copilot.understanding.classifier import IntentScore
from idpilot.copilot.understanding.stated import Stated


class Scope(StrEnum):
    """Whether idpilot should answer at all."""

    tenant = "tenant"  # identity and access administration of this tenant
    capabilities = "capabilities"  # what idpilot itself can do
    out = "out"  # anything else: refused, no skill runs


@dataclass
class Request:
    """One prompt, understood once: everything the planner and the skills need from it."""

    prompt: str
    scope: Scope
    intent: str
    facet: str | None
    confidence: float
    readings: list[IntentScore]
    """The most likely intents, best first (the first is `intent`)."""
    form: QuestionForm
    entities: PromptEntities
    window: TimeWindow | None
    stated: Stated = field(default_factory=Stated)
    """Typed values the prompt states besides names (list filters, capabilities...)."""
    unmet: list[str] = field(default_factory=list)
    """Kinds of object the intent needs that the prompt does not name ("user")."""
    parts: list[Request] = field(default_factory=list)
    """For a compound prompt ("why did X fail, and is she risky?"), one request per question."""

    @property
    def unsure(self) -> bool:
        """Too close to call between the best readings: ask which was meant."""
        return bool(self.readings) and self.confidence < CONFIDENT


CONFIDENT = 0.45
"""Below this probability of the best intent, idpilot asks which reading was meant."""
