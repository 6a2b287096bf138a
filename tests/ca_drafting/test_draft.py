"""Policies drafted and proved: the description read, the impact replayed as the engine judges
each recorded sign-in with the draft added, exclusions and overlaps, nothing sent."""

from __future__ import annotations

from collections import Counter

import orjson
import pytest

from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.ca_drafting import check_policy, draft_policy, read_description
from idpilot.ca_drafting.description import ADMIN_ROLE_TEMPLATE_IDS, UserScope
from idpilot.ca_drafting.draft import DRAFT_ID, NotAPolicyError
from idpilot.ca_drafting.impact import ImpactKind, classify, enforced
from idpilot.conditional_access import PolicySet, context_from_sign_in
from idpilot.conditional_access.catalog import PHISHING_RESISTANT_MFA_STRENGTH_ID
from idpilot.copilot.engine import Copilot
from idpilot.knowledge import fails_primary_authentication
from tests.conftest import DemoTenant

ADMINS = "Require phishing-resistant MFA for admins, except break-glass"


def test_description_of_admins_except_break_glass() -> None:
    read = read_description(ADMINS)
    assert read.scope is UserScope.admins
    assert read.role_template_ids == list(ADMIN_ROLE_TEMPLATE_IDS)
    assert read.exclude_break_glass and not read.exclude_service_accounts
    assert read.authentication_strength_id == PHISHING_RESISTANT_MFA_STRENGTH_ID
    assert read.built_in_controls == [] and read.not_expressed == []


def test_the_request_and_a_question_about_impact_are_not_the_policy() -> None:
    asked = (
        "Draft a CA policy: phishing-resistant MFA for every admin role, both break-glass "
        "accounts excluded. What would it break?"
    )
    read = read_description(asked)
    assert read.text == (
        "phishing-resistant MFA for every admin role, both break-glass accounts excluded."
    )
    assert read.scope is UserScope.admins and read.exclude_break_glass
    assert read.authentication_strength_id == PHISHING_RESISTANT_MFA_STRENGTH_ID
    assert read.not_expressed == []
    # Without the request or the question, the description is read as written.
    assert read_description(ADMINS).text == ADMINS


@pytest.mark.parametrize(
    ("text", "unexpressed"),
    [
        ("block sign-ins from France", "country"),
        ("require terms of use for guests", "terms-of-use"),
        ("limit session lifetime for admins", "session controls"),
        ("require MFA for the finance group Treasury", "group"),
    ],
)
def test_what_cannot_be_expressed_is_said(text: str, unexpressed: str) -> None:
    assert any(unexpressed in item for item in read_description(text).not_expressed)


def test_legacy_block_and_risk_levels() -> None:
    legacy = read_description("create a CA policy to block legacy authentication")
    assert legacy.block and legacy.client_app_types == ["exchangeActiveSync", "other"]
    assert legacy.scope_assumed
    risky = read_description("require MFA when sign-in risk is medium or high")
    assert risky.sign_in_risk_levels == ["medium", "high"] and risky.built_in_controls == ["mfa"]


def _per_sign_in(tenant: TenantPolicies, draft: dict, rows: list[dict]) -> Counter:
    """The engine's judgement of each recorded sign-in, the draft enforced among the policies."""
    policies = PolicySet.from_graph([*tenant.policies, enforced(draft)], tenant.named_locations)
    counts: Counter = Counter()
    for row in rows:
        sign_in = orjson.loads(row["raw"]) if isinstance(row["raw"], str) else row["raw"]
        if not sign_in.get("appliedConditionalAccessPolicies"):
            continue
        evaluation = policies.evaluate(context_from_sign_in(sign_in), tenant.directory)
        mine = next(p for p in evaluation.policies if p.policy_id == DRAFT_ID)
        failed = fails_primary_authentication((sign_in.get("status") or {}).get("errorCode"))
        counts[(sign_in.get("userId"), sign_in.get("appId"), classify(mine, failed))] += 1
    return counts


@pytest.mark.parametrize(
    "text",
    [ADMINS, "block legacy authentication for all users", "require a compliant device for guests"],
)
def test_replayed_impact_is_the_engine_on_each_sign_in(demo_tenant: DemoTenant, text: str) -> None:
    store = demo_tenant.store
    tenant = TenantPolicies.load(store)
    proved = draft_policy(store, text, tenant)
    draft = {**proved.body, "id": DRAFT_ID}
    expected = _per_sign_in(tenant, draft, store.query("SELECT raw FROM signIns"))
    shown = {key: n for key, n in expected.items() if key[2] not in _UNLISTED}
    replayed: Counter = Counter()
    for row in proved.impact.rows:
        replayed[(row.user_id, row.app_id, row.kind)] += row.sign_ins
    assert dict(replayed) == shown
    assert proved.impact.sign_ins == sum(expected.values())
    assert shown  # the draft reaches recorded sign-ins


_UNLISTED = (ImpactKind.not_applied, ImpactKind.not_evaluated)


def test_break_glass_excluded_and_duplicate_found(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    proved = draft_policy(store, "require MFA for all users except service accounts")
    assert proved.body["state"] == "enabledForReportingButNotEnforced"
    excluded = {o.reason for o in proved.excluded}
    assert excluded == {"breakGlass", "serviceAccount"}
    assert not [a for a in proved.exposed_accounts() if a.reason == "breakGlass"]
    assert "duplicate" in {o.kind for o in proved.overlaps}
    assert proved.proposal is not None
    assert proved.proposal.request.url.endswith("/identity/conditionalAccess/policies")
    assert proved.rollout[-1].rollback.body == {"state": "enabledForReportingButNotEnforced"}


def test_pasted_policy_reaching_break_glass_is_flagged(demo_tenant: DemoTenant) -> None:
    policy = {
        "displayName": "Block everyone",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }
    proved = check_policy(demo_tenant.store, policy)
    assert {a.reason for a in proved.exposed_accounts()} >= {"breakGlass"}
    assert proved.impact.by_kind[ImpactKind.blocked] > 0
    with pytest.raises(NotAPolicyError):
        check_policy(demo_tenant.store, {"displayName": "no conditions"})


def test_ask_drafts_through_the_policy_draft_skill(demo_tenant: DemoTenant) -> None:
    answer = Copilot(demo_tenant.store).ask(ADMINS)
    assert answer.status.value == "ok"
    assert answer.trace.plan[0].name == "policy_draft"
    assert "nothing was created or sent" in answer.answer


def test_asking_about_conflicts_without_a_policy_says_how_to_check_one(
    demo_tenant: DemoTenant,
) -> None:
    answer = Copilot(demo_tenant.store).ask("does my new policy conflict with anything?")
    assert answer.trace.plan and answer.trace.plan[0].name == "policy_draft"
    assert "idpilot ca check" in answer.answer
