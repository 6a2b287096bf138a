"""ca_whatif asked about a role, on the demo tenant: holders grouped by outcome, PIM-eligible
holders evaluated as if activated, a role nobody counts as holding, and the user case's JSON."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.copilot.composer import CitationBook, compose
from idpilot.skills import SkillResult, default_registry
from idpilot.skills.builtin._whatif_facts import RoleWhatIfFacts, WhatIfFacts
from tests.conftest import DemoTenant

USER_CASE_KEYS = [
    "user", "app", "scenario", "outcome", "required_controls", "blocking_policy_ids", "decided",
    "policies", "applying", "not_applying", "missing_facts", "roles", "missing_words",
]  # fmt: skip
"""The keys `idpilot whatif --json` has always printed for a user, in order."""


def _whatif(demo: DemoTenant, **params: Any) -> SkillResult:
    return default_registry().get("ca_whatif").run(demo.store, params)


def _grants(demo: DemoTenant, role: str) -> list[dict[str, Any]]:
    """The role's grants as the independent `role_holders` skill lists them."""
    result = default_registry().get("role_holders").run(demo.store, {"role": role})
    roles = result.facts.model_dump(mode="json")["roles"]
    return [grant for entry in roles for grant in entry["grants"]]


def _user_ids(grants: list[dict[str, Any]], assignment: str, tenant_wide: bool) -> set[str]:
    found = set()
    for grant in grants:
        if grant["assignment"] != assignment or (grant["scope_kind"] == "tenant") != tenant_wide:
            continue
        if grant["principal"]["type"] == "user":
            found.add(grant["principal"]["id"])
        found |= {member["id"] for member in grant.get("via_members") or []}
    return found


def _holders(groups: list[Any]) -> dict[str, Any]:
    """Holder id -> (holder facts, its group)."""
    return {h.ref.removeprefix("user:"): (h, g) for g in groups for h in g.holders}


def _policies_including(demo: DemoTenant, template: str) -> set[str]:
    """Enabled policies whose users condition includes the role (read from the Graph JSON)."""
    return {
        policy["id"]
        for policy in TenantPolicies.load(demo.store).policies
        if policy["state"] == "enabled"
        and template in policy["conditions"]["users"].get("includeRoles", [])
    }


def test_holders_are_grouped_by_outcome_and_the_excluded_ones_say_why(
    demo_tenant: DemoTenant,
) -> None:
    personas = demo_tenant.answer_key["personas"]
    breakglass = {personas["breakglass01"]["id"], personas["breakglass02"]["id"]}
    result = _whatif(demo_tenant, role="Global Administrator", country="France")
    facts = result.facts
    assert isinstance(facts, RoleWhatIfFacts) and facts.user is None
    grants = _grants(demo_tenant, "Global Administrator")
    active = _user_ids(grants, "active", tenant_wide=True)
    assert breakglass <= active and len(active) > len(breakglass)
    holders = _holders(facts.outcome_groups)
    assert set(holders) == active and facts.holder_count == facts.evaluated_count == len(active)
    # The policy the role brings in that requires MFA: every holder outside the break-glass
    # group must satisfy it; the break-glass accounts are excluded from it by their group.
    brought = {p.id for p in facts.role_policies}
    [admin_mfa] = [p for p in facts.policies if p.id in brought and "mfa" in p.unsatisfied_controls]
    assert admin_mfa.id in _policies_including(demo_tenant, facts.role.templateId)
    exclusion = next(
        g for g in TenantPolicies.load(demo_tenant.store).policies if g["id"] == admin_mfa.id
    )["conditions"]["users"]["excludeGroups"]
    for user_id, (holder, group) in holders.items():
        requiring = {p.id for p in group.requiring}
        exempt = {e.policy.id: e for e in holder.exempt_from}
        if user_id in breakglass:
            assert admin_mfa.id not in requiring
            assert exempt[admin_mfa.id].cites == [f"group:{exclusion[0]}"]
            assert "excluded group" in (exempt[admin_mfa.id].reason or "")
        else:
            assert admin_mfa.id in requiring and "mfa" in group.required_controls
            assert admin_mfa.id not in exempt
    book = CitationBook(result.evidence)
    text = compose(result, book)
    need_mfa = next(g for g in facts.outcome_groups if admin_mfa.id in {p.id for p in g.requiring})
    assert f"{len(need_mfa.holders)} of {len(active)}" in text
    for user_id in breakglass:
        holder, _ = holders[user_id]
        assert f"{holder.displayName} [" in text and "excluded from" in text
    cited = book.cited()
    for user_id, (holder, _) in holders.items():
        kind, _, assignment_id = holder.assignment_ref.partition(":")
        assert kind == "unifiedRoleAssignment"
        assert ("user", user_id) in cited and (kind, assignment_id) in cited
    assert ("group", exclusion[0]) in cited and ("conditionalAccessPolicy", admin_mfa.id) in cited


def test_a_plain_holder_faces_the_policies_that_include_the_role(demo_tenant: DemoTenant) -> None:
    facts = _whatif(demo_tenant, role="Global Administrator", country="FR").facts
    template = facts.role.templateId
    assert {p.id for p in facts.role_policies} == _policies_including(demo_tenant, template)
    assert facts.outcome == "controlsRequired" and "mfa" in facts.decided.required_controls
    reasons = [c.reason for p in facts.applying for c in p.checks if c.condition == "users"]
    assert "user holds included role Global Administrator" in reasons


def test_a_role_held_only_through_pim_is_evaluated_as_if_activated(
    demo_tenant: DemoTenant,
) -> None:
    role = "Privileged Authentication Administrator"
    grants = _grants(demo_tenant, role)
    assert not _user_ids(grants, "active", tenant_wide=True)
    eligible = _user_ids(grants, "eligible", tenant_wide=True)
    assert eligible
    result = _whatif(demo_tenant, role=role)
    facts = result.facts
    assert facts.holder_count == 0 and facts.outcome_groups == []
    holders = _holders(facts.eligible_groups)
    assert set(holders) == eligible and facts.eligible_count == len(eligible)
    role_policies = {p.id for p in facts.role_policies}
    for holder, group in holders.values():
        assert holder.assignment == "eligible"
        assert holder.assignment_ref.startswith("unifiedRoleEligibilitySchedule:")
        assert role_policies & {p.id for p in group.requiring}
    text = compose(result, CitationBook(result.evidence))
    assert f"No user actively holds {role}" in text
    assert "as if they had activated it" in text


def test_a_role_nobody_holds_as_conditional_access_counts_it(demo_tenant: DemoTenant) -> None:
    """The demo's one Cloud Application Administrator is scoped to one app: not a holder."""
    role = "Cloud Application Administrator"
    grants = _grants(demo_tenant, role)
    scoped = _user_ids(grants, "active", tenant_wide=False)
    assert scoped and not _user_ids(grants, "active", tenant_wide=True)
    result = _whatif(demo_tenant, role=role, device_compliant=False)
    facts = result.facts
    assert (facts.holder_count, facts.eligible_count) == (0, 0)
    assert {h.ref.removeprefix("user:") for h in facts.scoped} == scoped
    template = facts.role.templateId
    assert {p.id for p in facts.role_policies} == _policies_including(demo_tenant, template)
    text = compose(result, CitationBook(result.evidence))
    assert f"No user actively holds {role}" in text
    assert "does not support role assignments scoped" in text
    assert any("No user holds" in step.action for step in result.next_steps)


def test_an_unknown_role_is_not_found(demo_tenant: DemoTenant) -> None:
    result = _whatif(demo_tenant, role="Chief Llama Officer")
    assert result.status == "notFound" and result.facts.kind == "role"


def test_exactly_one_of_user_and_role(demo_tenant: DemoTenant) -> None:
    alice = demo_tenant.answer_key["personas"]["alice_johnson"]["id"]
    with pytest.raises(
        ValidationError, match=r"exactly one of `user`.*`role`.*user and role given"
    ):
        _whatif(demo_tenant, user=alice, role="Global Administrator")
    with pytest.raises(ValidationError, match="none given"):
        _whatif(demo_tenant, country="FR")


def test_the_user_case_keeps_its_json_keys_and_the_role_case_only_adds(
    demo_tenant: DemoTenant,
) -> None:
    alice = demo_tenant.answer_key["personas"]["alice_johnson"]["id"]
    user = _whatif(demo_tenant, user=alice, country="FR")
    assert type(user.facts) is WhatIfFacts
    assert list(user.model_dump(mode="json")["facts"]) == USER_CASE_KEYS
    role = _whatif(demo_tenant, role="Global Administrator", country="FR")
    keys = list(role.model_dump(mode="json")["facts"])
    assert keys[: len(USER_CASE_KEYS)] == USER_CASE_KEYS and len(keys) > len(USER_CASE_KEYS)


def test_past_the_cap_the_first_holders_by_name_are_evaluated_and_it_is_said(
    demo_tenant: DemoTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from idpilot.ca_analysis import role_whatif

    monkeypatch.setattr(role_whatif, "MAX_HOLDERS_EVALUATED", 2)
    result = _whatif(demo_tenant, role="Global Administrator")
    facts = result.facts
    assert facts.holder_cap == 2 and facts.evaluated_count == 2 < facts.holder_count
    names = sorted(h.displayName for g in facts.outcome_groups for h in g.holders)
    grants = _grants(demo_tenant, "Global Administrator")
    active = _user_ids(grants, "active", tenant_wide=True)
    everyone = sorted(
        {g["principal"]["displayName"] for g in grants if g["principal"]["id"] in active}
    )
    assert names == everyone[:2]
    text = compose(result, CitationBook(result.evidence))
    assert f"{facts.holder_count} users actively hold" in text
    assert "the first 2 by name are evaluated" in text


def test_from_home_is_a_network_no_named_location_covers(demo_tenant: DemoTenant) -> None:
    """ "from home" decides every "outside trusted locations" condition (the address is in no
    named location) and leaves the country undecided; the answer names no address."""
    from idpilot.copilot.engine import Copilot

    name = demo_tenant.answer_key["personas"]["alice_johnson"]["displayName"]
    app = demo_tenant.store.scalar(
        "SELECT displayName FROM servicePrincipals WHERE displayName LIKE '%Finance Portal%'"
    )
    answer = Copilot(demo_tenant.store).ask(f"if {name} opens {app} from home, what happens?")
    call = answer.skills[0]
    assert call.name == "ca_whatif" and call.params.get("outside_locations") is True
    assert "from a network no named location covers" in answer.answer
    assert "203.0.113" not in answer.answer
    undecided = [line for line in answer.answer.splitlines() if "depends on the IP" in line]
    assert not undecided, undecided
