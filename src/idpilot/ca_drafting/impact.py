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
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from idpilot.ca_analysis._replay_classes import (
    UserProfiles,
    alike_key,
    sign_in_of,
    user_class_rows,
)
from idpilot.ca_analysis.tenant_policies import TenantPolicies, referenced_principals
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
    """Evaluate the draft (enforced) on every recorded sign-in that reached Conditional Access.

    Each user's sign-ins are a row of their own (read once per store version, see
    `user_class_rows`), but rows alike for the engine (the same user profile for the draft and
    the tenant's policies, IP class and every other fact it reads; see `replay`) are evaluated
    once.
    """
    draft_set = PolicySet.from_graph([enforced(draft)], tenant.named_locations)
    users, groups, roles = tenant.referenced_principals()
    drafted = referenced_principals(draft_set.policies)
    profiles = UserProfiles(tenant, (users | drafted[0], groups | drafted[1], roles | drafted[2]))
    tenant.directory.load()  # every signing-in user's facts are read: one bulk read
    judged: dict[tuple, _Judgement] = {}
    rows: list[ImpactRow] = []
    sign_ins = 0
    by_kind: Counter[ImpactKind] = Counter()
    overlapping: Counter[str] = Counter()
    for row in user_class_rows(store, tenant):
        user_id = row["user_id"]
        key = alike_key(row, profiles.of(user_id) if user_id else None)
        judgement = judged.get(key)
        if judgement is None:
            judgement = judged[key] = _judge(draft_set, tenant, row)
        kind = judgement.kind
        count = row["n"]
        sign_ins += count
        by_kind[kind] += count
        if kind in (ImpactKind.not_applied, ImpactKind.not_evaluated):
            continue
        rows.append(
            ImpactRow.model_construct(  # every field given, of its type: nothing to validate
                user_id=user_id,
                app_id=row["appId"],
                country=row["country"],
                client_app=row["clientAppUsed"],
                kind=kind,
                sign_ins=count,
                sample_ids=list(row["sample_ids"] or []),
                unmet_controls=list(judgement.unmet_controls),
                missing_facts=list(judgement.missing_facts),
            )
        )
        for policy_id in judgement.overlapping:
            overlapping[policy_id] += count
    rows.sort(key=_row_order)
    return DraftImpact(
        sign_ins=sign_ins,
        by_kind=dict(by_kind),
        rows=rows,
        overlapping=dict(sorted(overlapping.items(), key=lambda item: (-item[1], item[0]))),
    )


@dataclass(frozen=True, slots=True)
class _Judgement:
    """The draft's verdict on one kind of sign-in, and the enforced policies that applied."""

    kind: ImpactKind
    unmet_controls: tuple[str, ...]
    missing_facts: tuple[str, ...]
    overlapping: tuple[str, ...]


def _judge(draft_set: PolicySet, tenant: TenantPolicies, row: dict[str, Any]) -> _Judgement:
    """Evaluate the sign-in a class row stands for, with the draft and the tenant's policies."""
    context = context_from_sign_in(sign_in_of(row))
    evaluation = draft_set.evaluate(context, tenant.directory).policies[0]
    kind = classify(evaluation, context.primary_authentication_error is not None)
    overlapping: tuple[str, ...] = ()
    if kind not in (ImpactKind.not_applied, ImpactKind.not_evaluated):
        overlapping = tuple(
            policy_id
            for policy_id, result in tenant.policy_set.results(context, tenant.directory)
            if result in ENFORCED_APPLIED
        )
    return _Judgement(
        kind,
        tuple(evaluation.unsatisfied_controls),
        tuple(evaluation.missing_facts),
        overlapping,
    )


def _row_order(row: ImpactRow) -> tuple:
    """Affected kinds first, most sign-ins first, then by user, app, country and client."""
    rank = AFFECTED.index(row.kind) if row.kind in AFFECTED else len(AFFECTED)
    return (
        rank, -row.sign_ins, row.user_id or "", row.app_id or "", row.country or "",
        row.client_app or "", row.kind.value, row.sample_ids,
    )  # fmt: skip
