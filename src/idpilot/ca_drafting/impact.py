"""A drafted policy's impact replayed on the recorded sign-ins, through the engine.

The draft is evaluated as if enabled (its end state): every recorded sign-in that reached
Conditional Access is judged once per class of sign-ins alike for the engine (`replay`'s
classes, one user per class so each result names its user), and sorted into what the draft
would have done to it: blocked, prompted (an interactive control unmet), required a device or
app it did not have, satisfied, not applied, undecidable (a fact missing) or not evaluated
(primary authentication failed first). Existing enforced policies that also applied to the
same sign-ins are counted: the overlap the recorded traffic shows.
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from idpilot.ca_analysis._replay_classes import replay_classes, sign_in_of
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access import PolicyEvaluation, PolicySet, context_from_sign_in
from idpilot.conditional_access.catalog import (
    CUSTOM_FACTOR_PREFIX,
    STRENGTH_PREFIX,
    TERMS_OF_USE_PREFIX,
    BuiltInControl,
)
from idpilot.conditional_access.policy import PolicyState
from idpilot.conditional_access.result import AppliedPolicyResult
from idpilot.store import Store

ENFORCED_APPLIED = frozenset({AppliedPolicyResult.success, AppliedPolicyResult.failure})
INTERACTIVE = (
    BuiltInControl.mfa.value, BuiltInControl.password_change.value,
    STRENGTH_PREFIX, TERMS_OF_USE_PREFIX, CUSTOM_FACTOR_PREFIX,
)  # fmt: skip


class ImpactKind(StrEnum):
    """What the draft, enforced, would have done to a recorded sign-in."""

    blocked = "blocked"
    prompted = "prompted"
    device_or_app_required = "deviceOrAppRequired"
    satisfied = "satisfied"
    not_applied = "notApplied"
    undecidable = "undecidable"
    not_evaluated = "notEvaluated"


AFFECTED = (ImpactKind.blocked, ImpactKind.prompted, ImpactKind.device_or_app_required)
"""The kinds that change what the user experiences."""


class ImpactRow(BaseModel):
    """Sign-ins of one user alike for the engine, and what the draft would have done."""

    user_id: str | None
    app_id: str | None
    country: str | None
    client_app: str | None
    kind: ImpactKind
    sign_ins: int
    sample_ids: list[str] = Field(default_factory=list)
    unmet_controls: list[str] = Field(default_factory=list)
    missing_facts: list[str] = Field(default_factory=list)


class DraftImpact(BaseModel):
    """The draft's impact on every replayable recorded sign-in."""

    sign_ins: int = 0
    by_kind: dict[ImpactKind, int] = Field(default_factory=dict)
    rows: list[ImpactRow] = Field(default_factory=list)
    """Every class the draft applies to (not-applied classes are only counted)."""
    overlapping: dict[str, int] = Field(default_factory=dict)
    """Existing enforced policy id -> sign-ins the draft applies to that it also applied to."""

    def affected(self) -> list[ImpactRow]:
        """Rows the draft would block, prompt or hold to a device or app control."""
        return [row for row in self.rows if row.kind in AFFECTED]

    def count_by(self, field: str) -> list[tuple[str | None, int]]:
        """Affected sign-ins per user, app or country (`field`), most first."""
        counts: Counter[str | None] = Counter()
        for row in self.affected():
            counts[getattr(row, field)] += row.sign_ins
        return sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))


def enforced(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy as it would be once switched on (its end state after the rollout)."""
    return {**policy, "state": PolicyState.enabled.value}


def classify(evaluation: PolicyEvaluation, primary_failed: bool) -> ImpactKind:
    """What one policy's evaluation means for the sign-in."""
    if primary_failed:
        return ImpactKind.not_evaluated
    if evaluation.result not in ENFORCED_APPLIED:
        return ImpactKind.not_applied
    if evaluation.missing_facts:
        return ImpactKind.undecidable
    if evaluation.result is AppliedPolicyResult.success:
        return ImpactKind.satisfied
    unmet = evaluation.unsatisfied_controls
    if BuiltInControl.block.value in unmet:
        return ImpactKind.blocked
    if any(control.startswith(INTERACTIVE) for control in unmet):
        return ImpactKind.prompted
    return ImpactKind.device_or_app_required


def replay_draft(store: Store, tenant: TenantPolicies, draft: dict[str, Any]) -> DraftImpact:
    """Evaluate the draft (enforced) on every recorded sign-in that reached Conditional Access."""
    draft_set = PolicySet.from_graph([enforced(draft)], tenant.named_locations)
    impact = DraftImpact()
    by_kind: Counter[ImpactKind] = Counter()
    overlapping: Counter[str] = Counter()
    for row in replay_classes(store, tenant, None, per_user=True):
        context = context_from_sign_in(sign_in_of(row))
        evaluation = draft_set.evaluate(context, tenant.directory).policies[0]
        kind = classify(evaluation, context.primary_authentication_error is not None)
        count = row["n"]
        impact.sign_ins += count
        by_kind[kind] += count
        if kind in (ImpactKind.not_applied, ImpactKind.not_evaluated):
            continue
        impact.rows.append(
            ImpactRow(
                user_id=row["user_id"],
                app_id=row["appId"],
                country=row["country"],
                client_app=row["clientAppUsed"],
                kind=kind,
                sign_ins=count,
                sample_ids=list(row["sample_ids"] or []),
                unmet_controls=list(evaluation.unsatisfied_controls),
                missing_facts=list(evaluation.missing_facts),
            )
        )
        for policy_id, result in tenant.policy_set.results(context, tenant.directory):
            if result in ENFORCED_APPLIED:
                overlapping[policy_id] += count
    impact.by_kind = dict(by_kind)
    impact.overlapping = dict(overlapping.most_common())
    impact.rows.sort(key=lambda r: (AFFECTED.index(r.kind) if r.kind in AFFECTED else 9,
                                    -r.sign_ins))  # fmt: skip
    return impact
