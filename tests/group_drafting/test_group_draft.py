"""Groups drafted: the rule written from the words, evaluated against every user (members,
near misses and why), settings and risks, nothing created."""

from __future__ import annotations

from idpilot.directory_rules import evaluate, parse_rule
from idpilot.group_drafting import draft_group, read_group_description
from idpilot.group_drafting.description import GroupKind
from idpilot.store.queries.users import users_with_raw
from tests.conftest import DemoTenant

CONTRACTORS = "a group for the finance contractors in Oslo, expiring at the end of their contract"


def test_contractors_in_oslo_read() -> None:
    read = read_group_description(CONTRACTORS, departments=["Finance"], cities=["Paris"])
    assert [(c.property, c.value) for c in read.clauses] == [
        ("user.department", "Finance"),
        ("user.city", "Oslo"),
        ("user.employeeType", "Contractor"),
    ]
    assert read.expiring and read.kind is GroupKind.security
    assert any(item.startswith("Oslo") for item in read.not_expressed)


def test_rule_evaluated_against_every_user(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    drafted = draft_group(store, "a Teams group for the Engineering staff in Paris")
    assert drafted.body["groupTypes"] == ["Unified", "DynamicMembership"]
    assert drafted.body["membershipRuleProcessingState"] == "Paused"
    rule = parse_rule(drafted.rule)
    users = users_with_raw(store)
    assert drafted.members == sum(1 for u in users if evaluate(rule, u["raw"])) > 0
    for miss in drafted.near_miss_samples:
        assert miss.why_not and not any(m.id == miss.id for m in drafted.member_samples)
    assert {"owners", "dynamic membership"} <= {r.choice for r in drafted.risks}


def test_oslo_contractors_match_nobody_and_say_why(demo_tenant: DemoTenant) -> None:
    drafted = draft_group(demo_tenant.store, CONTRACTORS)
    assert drafted.members == 0 and "rule" in {r.choice for r in drafted.risks}
    assert drafted.clause_matches['(user.city -eq "Oslo")'] == 0
    assert "expiration" in {r.choice for r in drafted.risks}
    assert drafted.proposal is not None and drafted.proposal.request.url.endswith("/groups")


def test_role_assignable_group_is_static(demo_tenant: DemoTenant) -> None:
    drafted = draft_group(demo_tenant.store, "a group of Finance admins for a privileged role")
    assert drafted.body["isAssignableToRole"] is True
    assert "membershipRule" not in drafted.body
    assert drafted.proposal.required_role == "Privileged Role Administrator"
