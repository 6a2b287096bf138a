"""Skill `policy_draft`: a Conditional Access policy drafted from a description and proved
against the recorded sign-ins before it exists (never created)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from idpilot.ca_drafting.description import PolicyDescription
from idpilot.model.collections import Collection
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

NAME = "policy_draft"
SHOWN = 5
"""Users, apps and countries named per list in the answer."""


class PolicyDraftInput(BaseModel):
    """The described policy, as the understanding layer read it."""

    drafted_policy: PolicyDescription | None = slot(
        Slot.stated, "The policy the admin described, read into typed parts.", default=None
    )


class PolicyDraftFacts(SkillFacts):
    """The proved draft (`ca_drafting.ProvedPolicy`) and the lists the answer names."""

    draft: dict[str, Any]
    affected_users: int
    affected_sign_ins: int
    by_user: list[dict[str, Any]]
    by_app: list[dict[str, Any]]
    by_country: list[dict[str, Any]]
    overlapping: list[dict[str, Any]]
    """Existing enforced policies that also applied to the sign-ins the draft reaches."""


def policy_draft(store: Store, params: PolicyDraftInput) -> SkillResult:
    """Draft a Conditional Access policy from a description, replay its impact, check conflicts."""
    from idpilot.ca_analysis.evidence import cite_policy, cite_service_principal, cite_user
    from idpilot.ca_analysis.tenant_policies import TenantPolicies
    from idpilot.ca_drafting import draft_policy
    from idpilot.model.records import Record
    from idpilot.store.ca_names import service_principals_by_app_id
    from idpilot.store.queries.users import users_by_ids

    result = SkillResult(skill=NAME)
    if params.drafted_policy is None or not params.drafted_policy.has_control:
        # Nothing to draft yet ("does my new policy conflict with anything?"): the answer says
        # what to describe, or to check a pasted policy with `idpilot ca check`.
        result.facts = _empty()
        return result
    tenant = TenantPolicies.load(store)
    proved = draft_policy(store, params.drafted_policy.text, tenant)
    impact = proved.impact
    for excluded in proved.excluded:
        if excluded.kind != "group":
            continue
        result.add_evidence(
            Record(
                kind="group",
                id=excluded.id,
                label=f"group {excluded.display_name}",
                fields={"displayName": excluded.display_name},
            )
        )
    for row in users_by_ids(store, [o.id for o in proved.excluded if o.kind == "user"]):
        cite_user(result, row)
    users = impact.count_by("user_id")
    user_rows = {r["id"]: r for r in users_by_ids(store, [u for u, _ in users[:SHOWN] if u])}
    by_user = []
    for user_id, count in users[:SHOWN]:
        if user_id in user_rows:
            cite_user(result, user_rows[user_id])
            by_user.append(
                {"id": user_id, "displayName": user_rows[user_id]["displayName"], "sign_ins": count}
            )
    apps = impact.count_by("app_id")
    principals = service_principals_by_app_id(store, [a for a, _ in apps[:SHOWN] if a])
    by_app = []
    for app_id, count in apps[:SHOWN]:
        sp = principals.get((app_id or "").lower()) or principals.get(app_id or "")
        if sp is not None:
            cite_service_principal(result, sp)
            by_app.append({"id": sp["id"], "displayName": sp.get("displayName"), "sign_ins": count})
    overlapping = []
    for policy_id, count in list(impact.overlapping.items())[:SHOWN]:
        cite_policy(result, tenant, policy_id)
        raw = tenant.policy(policy_id) or {}
        overlapping.append(
            {"id": policy_id, "displayName": raw.get("displayName"), "sign_ins": count}
        )
    for overlap in proved.overlaps:
        cite_policy(result, tenant, overlap.policy_id)
    account_rows = users_by_ids(store, [a.user_id for a in proved.exposed_accounts()])
    for row in account_rows:
        cite_user(result, row)
    affected = impact.affected()
    result.facts = PolicyDraftFacts(
        draft=proved.model_dump(mode="json"),
        affected_users=len({row.user_id for row in affected}),
        affected_sign_ins=sum(row.sign_ins for row in affected),
        by_user=by_user,
        by_app=by_app,
        by_country=[{"country": c, "sign_ins": n} for c, n in impact.count_by("country")[:SHOWN]],
        overlapping=overlapping,
    )
    if proved.exposed_accounts():
        result.next_steps.append(
            NextStep(
                action="Exclude the break-glass and service accounts the draft still reaches.",
                evidence_ids=[a.user_id for a in proved.exposed_accounts()],
            )
        )
    result.followups = ["Show our Conditional Access coverage gaps"]
    return result


def _empty() -> PolicyDraftFacts:
    return PolicyDraftFacts(
        draft={}, affected_users=0, affected_sign_ins=0, by_user=[], by_app=[], by_country=[],
        overlapping=[],
    )  # fmt: skip


def register(registry: SkillRegistry) -> None:
    """Register `policy_draft`."""
    registry.add(
        define_skill(
            policy_draft,
            name=NAME,
            facts=PolicyDraftFacts,
            reads=(Collection.conditional_access_policies, Collection.sign_ins),
            keywords={"draft": 2.0, "new policy": 2.5, "write a policy": 2.5, "conflict": 1.5},
        )
    )
