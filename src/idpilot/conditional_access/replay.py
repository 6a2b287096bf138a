"""Compare computed policy results with the ones a real sign-in recorded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from idpilot.conditional_access.result import ConditionCheck, Evaluation, PolicyEvaluation


class DisagreementKind(StrEnum):
    """Why a computed result and a recorded one disagree."""

    result_mismatch = "resultMismatch"  # both know the policy, results differ
    unknown_policy = "unknownPolicy"  # the sign-in recorded a policy the set does not have
    not_recorded = "notRecorded"  # the set has a policy the sign-in did not record


class Disagreement(BaseModel):
    """One policy whose computed result differs from the sign-in's record."""

    kind: DisagreementKind
    policy_id: str
    display_name: str | None = None
    expected: str | None  # recorded result
    computed: str | None
    checks: list[ConditionCheck] = Field(default_factory=list)


def compare(evaluation: Evaluation, recorded: Sequence[Mapping[str, Any]]) -> list[Disagreement]:
    """Disagreements between an evaluation and a sign-in's appliedConditionalAccessPolicies."""
    computed = {p.policy_id.lower(): p for p in evaluation.policies}
    seen: set[str] = set()
    out: list[Disagreement] = []
    for entry in recorded:
        policy_id = str(entry.get("id") or "")
        key = policy_id.lower()
        seen.add(key)
        expected = entry.get("result")
        mine = computed.get(key)
        if mine is None:
            out.append(
                Disagreement(
                    kind=DisagreementKind.unknown_policy,
                    policy_id=policy_id,
                    display_name=entry.get("displayName"),
                    expected=expected,
                    computed=None,
                )
            )
        elif str(mine.result) != expected:
            out.append(_about_computed(DisagreementKind.result_mismatch, mine, expected))
    for key, mine in computed.items():
        if key not in seen:
            out.append(_about_computed(DisagreementKind.not_recorded, mine, None))
    return out


def _about_computed(
    kind: DisagreementKind, mine: PolicyEvaluation, expected: str | None
) -> Disagreement:
    """A disagreement about a policy the evaluation computed, with its condition checks."""
    return Disagreement(
        kind=kind,
        policy_id=mine.policy_id,
        display_name=mine.display_name,
        expected=expected,
        computed=str(mine.result),
        checks=list(mine.checks),
    )
