"""A policy drafted from a description, or pasted, and proved against the tenant's records.

`draft_policy` reads the description, leaves out break-glass (and, when asked, service)
accounts, writes the Graph JSON report-only, and `prove` adds what the admin needs before
creating it: the plain-language summary, the impact replayed on the recorded sign-ins, the
accounts it would reach that it should not, its overlaps with the existing policies, the
phased rollout and the proposal. Nothing here sends anything.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from idpilot.actions import Proposal, create_conditional_access_policy
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.ca_drafting.checks import AccountCheck, Overlap, account_checks, overlaps
from idpilot.ca_drafting.description import (
    BUILT_IN_ROLE_NAMES,
    PolicyDescription,
    read_description,
)
from idpilot.ca_drafting.exclusions import (
    ExcludedObject,
    break_glass_objects,
    service_account_objects,
)
from idpilot.ca_drafting.graph_policy import policy_body
from idpilot.ca_drafting.impact import DraftImpact, replay_draft
from idpilot.ca_drafting.rollout import RolloutPhase, rollout_phases
from idpilot.conditional_access.compile import CompiledPolicy
from idpilot.conditional_access.plain_language import policy_ids, summarize_policy
from idpilot.conditional_access.policy import parse_policy
from idpilot.errors import IdpilotError
from idpilot.knowledge.privileged_roles import privileged_role
from idpilot.model.records import Record
from idpilot.store import Store
from idpilot.store.queries.related import objects_with_ids

DRAFT_ID = "draft"
"""The id the engine evaluates a draft under (Graph assigns the real one on creation)."""


class NotAPolicyError(IdpilotError):
    """A pasted document is not a Conditional Access policy the engine can read."""


class ProvedPolicy(BaseModel):
    """A drafted or pasted policy and everything known about it before it exists."""

    description: PolicyDescription | None = None
    body: dict[str, Any]
    """The Graph JSON (the POST body for a draft; the pasted policy as given)."""
    summary: list[str]
    excluded: list[ExcludedObject] = Field(default_factory=list)
    accounts: list[AccountCheck] = Field(default_factory=list)
    overlaps: list[Overlap] = Field(default_factory=list)
    impact: DraftImpact
    rollout: list[RolloutPhase] = Field(default_factory=list)
    proposal: Proposal | None = None
    """None when the description said nothing the policy would do (nothing to create)."""

    def exposed_accounts(self) -> list[AccountCheck]:
        """Break-glass and service accounts the policy would hold to its controls."""
        return [a for a in self.accounts if a.in_scope is not False]


def draft_policy(store: Store, text: str, tenant: TenantPolicies | None = None) -> ProvedPolicy:
    """Draft the described policy (report-only) and prove it against the tenant."""
    tenant = tenant or TenantPolicies.load(store)
    description = read_description(text)
    excluded = break_glass_objects(store, tenant) if description.exclude_break_glass else []
    if not description.exclude_break_glass and description.has_control:
        excluded = break_glass_objects(store, tenant)  # never lock out the emergency accounts
    if description.exclude_service_accounts:
        excluded += service_account_objects(store, tenant)
    body = policy_body(description, excluded)
    return prove(store, tenant, body, description=description, excluded=excluded)


def check_policy(store: Store, policy: Any, tenant: TenantPolicies | None = None) -> ProvedPolicy:
    """Prove a pasted policy (Graph JSON) against the tenant: impact, accounts, overlaps."""
    if not isinstance(policy, dict) or not isinstance(policy.get("conditions"), dict):
        raise NotAPolicyError(
            "Not a Conditional Access policy: expected a JSON object with 'conditions' "
            "(and 'grantControls'), as Graph returns it from /identity/conditionalAccess/policies."
        )
    tenant = tenant or TenantPolicies.load(store)
    return prove(store, tenant, policy)


def prove(
    store: Store,
    tenant: TenantPolicies,
    body: dict[str, Any],
    *,
    description: PolicyDescription | None = None,
    excluded: list[ExcludedObject] | None = None,
) -> ProvedPolicy:
    """Everything known about a policy before it exists (see the module docstring)."""
    evaluated = {**body, "id": str(body.get("id") or DRAFT_ID)}
    parsed = parse_policy(evaluated)
    compiled = _compiled(tenant, evaluated)
    names = {row["matched"]: row["label"] for row in objects_with_ids(store, policy_ids(parsed))}
    users = parsed.conditions.users if parsed.conditions else None
    for role_id in [*users.include_roles, *users.exclude_roles] if users else []:
        role = privileged_role(role_id)
        name = role.display_name if role else BUILT_IN_ROLE_NAMES.get(role_id.lower())
        if name is not None:
            names.setdefault(role_id.lower(), name)  # a built-in role the store may not hold
    impact = replay_draft(store, tenant, evaluated)
    excluded = excluded or []
    affected_users = len({row.user_id for row in impact.affected()})
    proposal = None
    rollout: list[RolloutPhase] = []
    if description is None or description.has_control:
        proposal = create_conditional_access_policy(
            body,
            affected=[_record(o) for o in excluded],
            reason="Drafted from: " + description.text if description else "Pasted policy",
        )
        rollout = rollout_phases(proposal.request, affected_users, len(excluded))
    return ProvedPolicy(
        description=description,
        body=body,
        summary=summarize_policy(parsed, names).sentences,
        excluded=excluded,
        accounts=account_checks(store, tenant, compiled),
        overlaps=overlaps(tenant, compiled),
        impact=impact,
        rollout=rollout,
        proposal=proposal,
    )


def _compiled(tenant: TenantPolicies, policy: dict[str, Any]) -> CompiledPolicy:
    from idpilot.conditional_access import PolicySet

    return PolicySet.from_graph([policy], tenant.named_locations).policies[0]


def _record(excluded: ExcludedObject) -> Record:
    return Record(
        kind=excluded.kind,
        id=excluded.id,
        label=f"{excluded.kind} {excluded.display_name}",
        fields={"displayName": excluded.display_name},
    )
