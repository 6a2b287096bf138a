"""The outputs of a Conditional Access evaluation, in Graph's vocabulary."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from functools import lru_cache

from pydantic import BaseModel, Field

_MARKER = re.compile(r"\{(user|group|directoryRole|application|namedLocation):([^{}\s]+)\}")


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

    @classmethod
    def combined(cls, *, blocked: bool, controls_required: bool) -> Outcome:
        """The evaluated outcome: blocked when a policy blocks, else controls required when a
        grant control is unmet, else allowed."""
        if blocked:
            return cls.blocked
        if controls_required:
            return cls.controls_required
        return cls.allowed


class ObjectRef(BaseModel):
    """A directory object a reason names: its kind and id, for the answer to cite by name."""

    kind: str  # user | group | directoryRole (template id) | application (appId) | namedLocation
    id: str


class ConditionCheck(BaseModel):
    """One assignment or condition of a policy checked against the sign-in."""

    condition: str  # "users", "applications", "clientAppTypes", "platforms", "locations", ...
    matched: bool | None  # None: the sign-in lacks the fact needed to decide
    reason: str  # plain language, e.g. "user is a member of included group {0}"
    refs: list[ObjectRef] = Field(default_factory=list)
    """The objects the reason names; `{0}`, `{1}`... in `reason` stand for them, in order."""

    def text(self, name: Callable[[ObjectRef], str] | None = None) -> str:
        """The reason with each object written by `name` (by default its id)."""
        out = self.reason
        for index, ref in enumerate(self.refs):
            out = out.replace(f"{{{index}}}", name(ref) if name else ref.id)
        return out


def condition_check(condition: str, matched: bool | None, reason: str) -> ConditionCheck:
    """A check whose reason marks objects as `{kind:id}`; each becomes a ref and `{n}`."""
    text, refs = _parse_reason(reason) if "{" in reason else (reason, ())
    return ConditionCheck.model_construct(
        condition=condition, matched=matched, reason=text, refs=list(refs)
    )


@lru_cache(maxsize=8192)
def _parse_reason(reason: str) -> tuple[str, tuple[ObjectRef, ...]]:
    """Reasons repeat across sign-ins: each distinct one is parsed once."""
    refs: list[ObjectRef] = []

    def placeholder(match: re.Match[str]) -> str:
        refs.append(ObjectRef.model_construct(kind=match.group(1), id=match.group(2)))
        return f"{{{len(refs) - 1}}}"

    return _MARKER.sub(placeholder, reason), tuple(refs)


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
