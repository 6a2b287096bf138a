"""A drafted or pasted policy checked against the tenant: the accounts it must leave out, and
its conflicts, duplicates and overlaps with the existing policies (`ca_analysis.coverage`)."""

from __future__ import annotations

from dataclasses import replace

from pydantic import BaseModel

from idpilot.ca_analysis.policy_reach import ACTIVE_STATES, users_condition
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.ca_drafting.exclusions import ExclusionReason
from idpilot.conditional_access import SignInContext
from idpilot.conditional_access.compile import CompiledPolicy
from idpilot.conditional_access.facts import Facts
from idpilot.conditional_access.policy import PolicyState
from idpilot.store import Store
from idpilot.store.queries.users import SERVICE_ACCOUNT_USER_WORDS, users_named_like


class AccountCheck(BaseModel):
    """One break-glass or service account, and whether the policy reaches it."""

    user_id: str
    display_name: str
    reason: ExclusionReason
    in_scope: bool | None
    """True: the policy would hold it to its controls (a finding); None: undecidable."""


class Overlap(BaseModel):
    """An existing policy over the same users and apps as the checked one."""

    kind: str
    """`conflict` (one blocks, one grants), `duplicate` or `overlap` (different controls)."""
    detail: str
    policy_id: str
    display_name: str


def account_checks(
    store: Store, tenant: TenantPolicies, policy: CompiledPolicy
) -> list[AccountCheck]:
    """Every break-glass and service account, and whether `policy`'s users condition has it."""
    from idpilot.ca_analysis.coverage import break_glass_accounts

    condition = users_condition(policy)
    accounts = [
        (a["id"], a.get("displayName") or a["id"], ExclusionReason.break_glass)
        for a in break_glass_accounts(store, tenant)
    ]
    known = {account[0] for account in accounts}
    accounts += [
        (u["id"], u.get("displayName") or u["id"], ExclusionReason.service_account)
        for u in users_named_like(store, SERVICE_ACCOUNT_USER_WORDS)
        if u["id"] not in known
    ]
    found = []
    for user_id, name, reason in accounts:
        in_scope = (
            condition.check(Facts(SignInContext(user_id=user_id), tenant.directory), False)[0]
            if condition is not None
            else False
        )
        found.append(
            AccountCheck(user_id=user_id, display_name=name, reason=reason, in_scope=in_scope)
        )
    return found


def overlaps(tenant: TenantPolicies, policy: CompiledPolicy) -> list[Overlap]:
    """Active existing policies over exactly the same users and apps (another id than the
    checked policy's)."""
    from idpilot.ca_analysis.coverage import overlaps_with

    others = [
        p
        for p in tenant.policy_set.policies
        if p.state in ACTIVE_STATES and p.id.lower() != policy.id.lower()
    ]
    found = []
    for pair in overlaps_with(_as_active(policy), others):
        index = 1 if pair["policy_ids"][0] == policy.id else 0
        found.append(
            Overlap(
                kind=pair["kind"],
                detail=pair["detail"],
                policy_id=pair["policy_ids"][index],
                display_name=pair["names"][index] or pair["policy_ids"][index],
            )
        )
    return found


def _as_active(policy: CompiledPolicy) -> CompiledPolicy:
    """The policy as an active one (a disabled paste is compared as it would run)."""
    if policy.state in ACTIVE_STATES:
        return policy
    return replace(policy, state=PolicyState.enabled.value)
