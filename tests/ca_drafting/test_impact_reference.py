"""A draft's replayed impact, with rows alike evaluated once, is the impact found by
evaluating every per-user class row on its own (`tail_reference.replay_draft`)."""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.ca_drafting import draft_policy
from idpilot.ca_drafting.draft import DRAFT_ID
from idpilot.ca_drafting.impact import AFFECTED, DraftImpact, ImpactKind, ImpactRow, replay_draft
from idpilot.store import Store
from tests import tail_reference
from tests.conftest import DemoTenant

DRAFTS = [
    "Require phishing-resistant MFA for admins, except break-glass",
    "block legacy authentication for all users",
    "require a compliant device for guests",
    "require MFA for every guest, and keep the break glass accounts out of it",
    "block high sign-in risk for all users except the break-glass accounts",
    "require MFA for all users except service accounts",
]


def _pasted(store: Store, tenant: TenantPolicies) -> dict[str, Any]:
    """A policy over a group (less one member) no policy of the tenant names: users in and out
    of it look alike to the tenant's policies, not to this one."""
    named = tenant.referenced_principals()[1]
    group_id, member = next(
        (row["group_id"], row["member"])
        for row in store.query(
            "SELECT m.group_id, min(m.member_id) AS member FROM group_members m"
            " JOIN signIns s ON s.userId = m.member_id"
            " GROUP BY 1 ORDER BY count(DISTINCT s.userId) DESC, 1"
        )
        if row["group_id"].lower() not in named
    )
    return {
        "id": DRAFT_ID,
        "displayName": "A group no policy names",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "users": {"includeGroups": [group_id], "excludeUsers": [member]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }


def _rows(impact: DraftImpact) -> list[str]:
    return sorted(row.model_dump_json() for row in impact.rows)


@pytest.mark.parametrize("text", [*DRAFTS, None])
def test_impact_is_every_class_row_evaluated_on_its_own(
    demo_tenant: DemoTenant, text: str | None
) -> None:
    store = demo_tenant.store
    tenant = TenantPolicies.load(store)
    if text is None:
        draft = _pasted(store, tenant)
    else:
        draft = {**draft_policy(store, text, tenant).body, "id": DRAFT_ID}
    fast = replay_draft(store, TenantPolicies.load(store), draft)
    reference = tail_reference.replay_draft(store, TenantPolicies.load(store), draft)
    replayable = (
        "SELECT count(*) FROM signIns WHERE json_array_length(appliedConditionalAccessPolicies) > 0"
    )
    assert fast.sign_ins == reference.sign_ins == store.scalar(replayable)
    assert fast.by_kind == reference.by_kind
    assert list(fast.overlapping.items()) == list(reference.overlapping.items())
    assert _rows(fast) == _rows(reference)
    if text is None:  # the group's users are held to MFA: their rows differ from the others'
        assert fast.affected() and fast.by_kind[ImpactKind.not_applied]


def test_rows_and_overlaps_have_one_order(demo_tenant: DemoTenant) -> None:
    """Affected kinds first, then most sign-ins, ties by user, app, country and client."""
    store = demo_tenant.store
    tenant = TenantPolicies.load(store)
    draft = {**draft_policy(store, DRAFTS[3], tenant).body, "id": DRAFT_ID}
    impact = replay_draft(store, tenant, draft)
    assert impact.rows and impact.overlapping

    def rank(row: ImpactRow) -> tuple:
        kind = AFFECTED.index(row.kind) if row.kind in AFFECTED else len(AFFECTED)
        return (kind, -row.sign_ins, row.user_id or "", row.app_id or "", row.country or "")

    assert [rank(r) for r in impact.rows] == sorted(rank(r) for r in impact.rows)
    counts = [(-n, policy_id) for policy_id, n in impact.overlapping.items()]
    assert counts == sorted(counts)
