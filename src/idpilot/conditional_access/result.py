"""The outputs of a Conditional Access evaluation, in Graph's vocabulary."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class AppliedPolicyResult(StrEnum):
    """Graph `appliedConditionalAccessPolicyResult` values."""

    success = "success"
    failure = "failure"
    not_applied = "notApplied"
    not_enabled = "notEnabled"
    report_only_success = "reportOnlySuccess"
    report_only_failure = "reportOnlyFailure"
    report_only_not_applied = "reportOnlyNotApplied"
    report_only_interrupted = "reportOnlyInterrupted"
    unknown = "unknown"


class Outcome(StrEnum):
    """The combined effect of every policy on the sign-in."""

    allowed = "allowed"  # no policy stands in the way
    blocked = "blocked"  # an enforced policy blocks
    controls_required = "controlsRequired"  # enforced grant controls not (yet) satisfied
    not_evaluated = "notEvaluated"  # primary authentication failed: Conditional Access never ran


class ConditionCheck(BaseModel):
    """One assignment or condition of a policy checked against the sign-in."""

    condition: str  # "users", "applications", "clientAppTypes", "platforms", "locations", ...
    matched: bool | None  # None: the sign-in lacks the fact needed to decide
    reason: str  # plain language, e.g. "user is a member of group 'Finance' (included)"


class PolicyEvaluation(BaseModel):
    """One policy's result for one sign-in, as `appliedConditionalAccessPolicies` records it."""

    policy_id: str
    display_name: str
    state: str  # enabled | disabled | enabledForReportingButNotEnforced
    result: AppliedPolicyResult
    checks: list[ConditionCheck] = Field(default_factory=list)
    enforced_grant_controls: list[str] = Field(default_factory=list)
    enforced_session_controls: list[str] = Field(default_factory=list)
    unsatisfied_controls: list[str] = Field(default_factory=list)
    missing_facts: list[str] = Field(default_factory=list)
    grant_operator: str | None = None  # "AND" | "OR": how unsatisfied_controls combine


class Evaluation(BaseModel):
    """Every policy's result and the combined outcome for one sign-in context."""

    policies: list[PolicyEvaluation]
    outcome: Outcome
    required_controls: list[str] = Field(default_factory=list)
    blocking_policy_ids: list[str] = Field(default_factory=list)
    primary_authentication_error: int | None = None
    """Set when primary authentication failed and Conditional Access was not evaluated."""

    @property
    def evaluated(self) -> bool:
        """False when the sign-in failed before Conditional Access ran."""
        return self.primary_authentication_error is None
