"""ca_whatif asked about a described population, on the demo tenant: every population and every
expected count is read from the store with SQL, and each member's outcome is checked against the
one-user what-if of that member."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from idpilot.copilot.composer import CitationBook, compose
from idpilot.knowledge.privileged_roles import PRIVILEGED_ROLES, PrivilegeTier
from idpilot.skills import SkillResult, default_registry
from idpilot.skills.builtin._whatif_facts import PopulationWhatIfFacts, WhatIfFacts
from tests.conftest import DemoTenant

SCENARIO = {"country": "FR", "platform": "android", "device_compliant": False}
"""A sign-in every population is asked about (an unmanaged Android phone in France)."""


def _whatif(demo: DemoTenant, **params: Any) -> SkillResult:
    return default_registry().get("ca_whatif").run(demo.store, params)


def _ids(demo: DemoTenant, sql: str, params: list[Any] | None = None) -> set[str]:
    return {row[0] for row in demo.store.con.execute(sql, params or []).fetchall()}


def _enabled(demo: DemoTenant, where: str, params: list[Any] | None = None) -> set[str]:
    """Ids of enabled users meeting `where` (a test's own SQL)."""
    return _ids(
        demo, f"SELECT id FROM users WHERE coalesce(accountEnabled, TRUE) AND ({where})", params
    )


def _per_member(demo: DemoTenant, member_ids: set[str]) -> tuple[Counter, Counter]:
    """From each member's own one-user what-if: how many end each way (outcome, blocking
    policies, required controls), and how many each policy applies to."""
    outcomes: Counter = Counter()
    applies: Counter = Counter()
    for user_id in sorted(member_ids):
        facts = _whatif(demo, user=user_id, **SCENARIO).facts
        decided = facts.decided
        outcomes[
            (decided.outcome, tuple(decided.blocking_policy_ids), tuple(decided.required_controls))
        ] += 1
        applies.update(p.id for p in facts.applying)
    return outcomes, applies


def _check_against_members(
    demo: DemoTenant, facts: PopulationWhatIfFacts, member_ids: set[str]
) -> None:
    assert facts.member_count == len(member_ids) > 0
    outcomes, applies = _per_member(demo, member_ids)
    said: Counter = Counter()
    for group in facts.outcome_groups:
        blocking = tuple(p.id for p in group.blocking)
        said[(group.outcome, blocking, tuple(group.required_controls))] += group.count
        example_ids = {e.ref.removeprefix("user:") for e in group.examples}
        assert example_ids and example_ids <= member_ids
    assert said == outcomes
    assert {
        line.policy.id: line.applies_count for line in facts.policy_lines if line.applies_count
    } == dict(applies)
    for line in facts.policy_lines:
        assert line.applies_count + sum(left.count for left in line.left_out) == len(member_ids)


def test_a_department_is_every_enabled_user_in_it(demo_tenant: DemoTenant) -> None:
    department = demo_tenant.store.scalar(
        "SELECT department FROM users WHERE department IS NOT NULL GROUP BY 1 "
        "ORDER BY count(*), 1 LIMIT 1"
    )
    result = _whatif(demo_tenant, population={"department": department}, **SCENARIO)
    facts = result.facts
    assert isinstance(facts, PopulationWhatIfFacts) and facts.user is None
    members = _enabled(demo_tenant, "lower(department) = lower(?)", [department])
    _check_against_members(demo_tenant, facts, members)
    assert facts.cohort_count <= facts.member_count
    text = compose(result, CitationBook(result.evidence))
    assert f"{len(members)} enabled users" in text and department in text


def test_a_group_population_is_its_members_and_says_whom_a_policy_leaves_out(
    demo_tenant: DemoTenant,
) -> None:
    # A group some enabled policy both targets by name and leaves some of its members out of.
    group_id, name = demo_tenant.store.con.execute(
        "SELECT g.id, g.displayName FROM groups g, conditionalAccessPolicies p "
        "WHERE p.state = 'enabled' AND list_contains(CAST(json_extract_string(p.conditions, "
        "'$.users.includeGroups[*]') AS VARCHAR[]), g.id) ORDER BY g.displayName LIMIT 1"
    ).fetchone()
    members = _enabled(
        demo_tenant,
        "id IN (WITH RECURSIVE down(id, t) AS (SELECT member_id, member_type FROM group_members "
        "WHERE group_id = ? UNION SELECT m.member_id, m.member_type FROM group_members m "
        "JOIN down ON m.group_id = down.id WHERE down.t = 'group') SELECT id FROM down)",
        [group_id],
    )
    result = _whatif(demo_tenant, population={"group": name}, **SCENARIO)
    facts = result.facts
    assert facts.population.group is not None and facts.population.group.displayName == name
    _check_against_members(demo_tenant, facts, members)


def test_guests_are_every_enabled_guest(demo_tenant: DemoTenant) -> None:
    members = _enabled(demo_tenant, "userType = 'Guest'")
    result = _whatif(demo_tenant, population={"user_type": "Guest"}, **SCENARIO)
    _check_against_members(demo_tenant, result.facts, members)


def test_admins_are_the_holders_of_a_privileged_role_active_or_eligible(
    demo_tenant: DemoTenant,
) -> None:
    templates = [t for t, r in PRIVILEGED_ROLES.items() if r.tier is not PrivilegeTier.read]
    principals = (
        "SELECT a.principalId FROM {table} a LEFT JOIN roleDefinitions d "
        "ON d.id = a.roleDefinitionId WHERE lower(coalesce(d.templateId, a.roleDefinitionId)) "
        "IN (SELECT unnest(?)) AND coalesce(a.directoryScopeId, '/') = '/'"
    )
    holders = set()
    for table in ("roleAssignments", "roleEligibilitySchedules"):
        direct = _ids(demo_tenant, principals.format(table=table), [templates])
        holders |= direct | _ids(
            demo_tenant,
            "SELECT member_id FROM group_members WHERE group_id IN (SELECT unnest(?))",
            [sorted(direct)],
        )
    members = _enabled(demo_tenant, "id IN (SELECT unnest(?))", [sorted(holders)])
    result = _whatif(demo_tenant, population={"admins": True}, **SCENARIO)
    facts = result.facts
    assert facts.member_count == len(members) > 0
    evaluated = {e.ref.removeprefix("user:") for g in facts.outcome_groups for e in g.examples}
    assert evaluated <= members
    # A policy that includes privileged roles applies to some admin, and to no plain member.
    role_policies = _ids(
        demo_tenant,
        "SELECT id FROM conditionalAccessPolicies WHERE state = 'enabled' AND "
        "json_array_length(conditions, '$.users.includeRoles') > 0",
    )
    applying = {line.policy.id for line in facts.policy_lines if line.applies_count}
    assert role_policies & applying
    member = _whatif(demo_tenant, someone="member", **SCENARIO).facts
    assert not role_policies & {p.id for p in member.applying}


def test_a_population_no_one_fits_says_so(demo_tenant: DemoTenant) -> None:
    known = _ids(demo_tenant, "SELECT lower(department) FROM users WHERE department IS NOT NULL")
    nowhere = "Department of Llamas"
    assert nowhere.lower() not in known
    result = _whatif(demo_tenant, population={"department": nowhere}, **SCENARIO)
    facts = result.facts
    assert facts.member_count == 0 and facts.outcome_groups == [] and facts.policy_lines == []
    text = compose(result, CitationBook(result.evidence))
    assert "No enabled user fits" in text
    assert any("No enabled user fits" in step.action for step in result.next_steps)


def test_an_unknown_group_is_not_found(demo_tenant: DemoTenant) -> None:
    result = _whatif(demo_tenant, population={"group": "Llama Herders Worldwide"})
    assert result.status == "notFound" and result.facts.kind == "group"


def test_a_population_needs_a_part_and_is_one_of_the_alternatives(
    demo_tenant: DemoTenant,
) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="at least one part"):
        _whatif(demo_tenant, population={"said": "someone"})
    alice = demo_tenant.answer_key["personas"]["alice_johnson"]["id"]
    with pytest.raises(ValidationError, match="user and population given"):
        _whatif(demo_tenant, user=alice, population={"user_type": "Guest"})


def test_the_population_case_keeps_the_user_case_keys(demo_tenant: DemoTenant) -> None:
    from tests.skills.builtin.test_ca_whatif import USER_CASE_KEYS

    result = _whatif(demo_tenant, population={"user_type": "Guest"}, country="FR")
    keys = list(result.model_dump(mode="json")["facts"])
    assert keys[: len(USER_CASE_KEYS)] == USER_CASE_KEYS
    user = _whatif(demo_tenant, user=demo_tenant.answer_key["personas"]["alice_johnson"]["id"])
    assert type(user.facts) is WhatIfFacts


def test_a_hybrid_joined_device_is_applied_as_its_trust_type(demo_tenant: DemoTenant) -> None:
    from idpilot.ca_analysis.scenario import Scenario
    from idpilot.ca_analysis.words import WhatIfWords
    from idpilot.copilot.understanding.stated import read_stated

    stated = read_stated(demo_tenant.store, "would a guest on a hybrid joined laptop need MFA?")
    assert stated.values["device_joined"] == "hybrid"
    result = _whatif(demo_tenant, population={"user_type": "Guest"}, device_joined="hybrid")
    assert result.facts.scenario["device_trust_type"] == "ServerAd"
    assert "on a hybrid joined device" in compose(result, CitationBook(result.evidence))
    context = Scenario.merge(WhatIfWords(), device_trust_type="ServerAd").context("u", None)
    assert context.device is not None and context.device.trust_type == "ServerAd"
