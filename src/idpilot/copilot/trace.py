"""What an answer records of how it was made: the plan, each step, the tokens, the grounding.

Every Answer carries one (`Answer.trace`): offline answers too (no model calls, no tokens), so
a session log or an evaluation reads one shape. Nothing here imports the LLM client.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

MAX_RESULT_IDS = 50
"""Evidence ids a step lists (its `result_count` says how many there were)."""


class SkillCall(BaseModel):
    """A skill the planner ran, with its parameters."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class StepOrigin(StrEnum):
    """Who asked for a step."""

    planner = "planner"  # the plan (the offline planner's code, from the Request)
    model = "model"  # the model, in the agent loop, after reading evidence


class Step(BaseModel):
    """One tool call: which, with what, what it returned, how long it took."""

    n: int
    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    origin: StepOrigin = StepOrigin.planner
    status: str
    """The skill's result status (`ok`, `empty`, `notFound`...), or `invalid` for a call that
    failed validation (then `note` says why and nothing ran)."""
    result_ids: list[str] = Field(default_factory=list)
    """`kind:id` of the evidence it returned (the first MAX_RESULT_IDS)."""
    result_count: int = 0
    latency_ms: float = 0.0
    note: str | None = None


class ModelCallRecord(BaseModel):
    """One request to the model: what for, how long, the tokens, the attempts, any failure."""

    purpose: str
    latency_ms: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    attempts: int = 1
    failed: str | None = None


class Verdict(StrEnum):
    """What the grounding check concluded."""

    grounded = "grounded"  # every entity the answer names is in its evidence or the prompt
    not_checked = "notChecked"  # no skill ran: the answer names nothing from the tenant


class Grounding(BaseModel):
    """The grounding check's verdict on the answer, and what it kept out of it."""

    verdict: Verdict = Verdict.not_checked
    model_text: bool = False
    """The model's direct answer and summary passed the check and head the answer."""
    rejected: list[str] = Field(default_factory=list)
    """What was left out for naming something absent from the evidence (a model's rewording,
    a further step's result), each with why."""


class Trace(BaseModel):
    """How one answer was made."""

    planner: str = "offline"
    """`offline`, or `model` when the model's Request was used."""
    model: str | None = None
    intent: str | None = None
    facet: str | None = None
    plan: list[SkillCall] = Field(default_factory=list)
    fallback: str | None = None
    """Why the model's Request was not used, when it was not."""
    steps: list[Step] = Field(default_factory=list)
    stopped: str | None = None
    """Why the agent loop ended early (a failure or an unrepaired call), when it did."""
    model_calls: list[ModelCallRecord] = Field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    grounding: Grounding = Field(default_factory=Grounding)

    def count_tokens(self) -> None:
        """Sum the model calls' tokens into the trace's totals."""
        self.prompt_tokens = sum(c.prompt_tokens for c in self.model_calls)
        self.completion_tokens = sum(c.completion_tokens for c in self.model_calls)
        self.total_tokens = self.prompt_tokens + self.completion_tokens


def result_ids(evidence: list[Any]) -> tuple[list[str], int]:
    """The `kind:id` of a result's evidence records (capped) and how many there were."""
    ids = [f"{record.kind}:{record.id}" for record in evidence]
    return ids[:MAX_RESULT_IDS], len(ids)
