"""What a replay reports: per-policy tallies and the sign-in classes that differ."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from idpilot.conditional_access import ConditionCheck


class Verdict(StrEnum):
    """How one policy's recorded result compares with the engine's."""

    agree = "agree"
    disagree = "disagree"
    undecidable = "undecidable"
    not_recorded = "notRecorded"
    unknown_policy = "unknownPolicy"


class PolicyTally(BaseModel):
    """Per policy: how many replayed sign-ins agree, disagree or cannot be decided."""

    policy_id: str
    display_name: str | None = None
    agree: int = 0
    disagree: int = 0
    undecidable: int = 0
    not_recorded: int = 0
    unknown_policy: int = 0
    report_only_failures: int = 0
    """Recorded `reportOnlyFailure` results: sign-ins this report-only policy would block."""

    @property
    def decided(self) -> int:
        """Sign-ins where both the record and the engine give a result."""
        return self.agree + self.disagree


class Difference(BaseModel):
    """A policy the engine and the record judge differently for a class of sign-ins."""

    policy_id: str
    display_name: str | None = None
    recorded: str | None
    computed: str | None
    differing: list[ConditionCheck] = Field(default_factory=list)
    """The condition(s) or controls that explain the difference (see `replay._differing`)."""
    sign_in_count: int
    sign_in_ids: list[str]
    user_id: str
    app_id: str | None
    missing_facts: list[str] = Field(default_factory=list)


class ReplayReport(BaseModel):
    """The outcome of a replay."""

    since: datetime | None = None
    sign_ins: int = 0
    agreed: int = 0
    disagreed: int = 0
    undecidable: int = 0
    not_evaluated: int = 0
    """Sign-ins that failed primary authentication: Conditional Access never ran, and every
    record agreed that no policy applied (a record that disagrees counts in `disagreed`)."""
    classes: int = 0
    policies: list[PolicyTally] = Field(default_factory=list)
    disagreements: list[Difference] = Field(default_factory=list)
    undecided: list[Difference] = Field(default_factory=list)
    elapsed_seconds: float = 0.0

    @property
    def agreement(self) -> float | None:
        """Share of decided sign-ins whose every policy agrees (None when nothing decided)."""
        decided = self.agreed + self.disagreed
        return self.agreed / decided if decided else None

    @property
    def policy_evaluations(self) -> int:
        """Policy results compared: sign-ins times policies."""
        return self.sign_ins * len(self.policies)
