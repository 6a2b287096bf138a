"""The offline planner on the demo tenant: a what-if about a role passes the role."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from idpilot.copilot.planner import Plan, plan_offline
from idpilot.skills import default_registry
from idpilot.skills.builtin._role_names import find_role
from tests.conftest import DemoTenant


def _plan(demo: DemoTenant, prompt: str) -> Plan:
    return plan_offline(demo.store, default_registry(), prompt, demo.store.captured_at())


def test_a_what_if_about_someone_holding_a_role_runs_ca_whatif_with_the_role(
    demo_tenant: DemoTenant,
) -> None:
    [global_admin] = find_role(demo_tenant.store, "Global Administrator")
    prompt = "Would someone holding Global Administrator have to do MFA from France?"
    plan = _plan(demo_tenant, prompt)
    assert plan.missing is None
    [call] = plan.calls
    assert call.skill == "ca_whatif"
    assert call.params["role"] == global_admin["id"] and "user" not in call.params
    assert call.params["country"] == "FR"
    answer = Copilot(demo_tenant.store).ask(prompt)
    assert answer.skills[0].params["role"] == global_admin["id"]
    assert "What if someone holding Global Administrator" in answer.answer
    assert "could not find" not in answer.answer
    assert ("unifiedRoleDefinition", global_admin["id"]) in {
        (c.kind, c.id) for c in answer.citations
    }


def test_a_person_named_with_their_role_is_the_one_asked_about(demo_tenant: DemoTenant) -> None:
    alice = demo_tenant.answer_key["personas"]["alice_johnson"]
    plan = _plan(
        demo_tenant, f"What if {alice['displayName']}, a Global Administrator, signs in from Spain?"
    )
    [call] = plan.calls
    assert call.params["user"] == alice["id"] and "role" not in call.params


def test_a_what_if_naming_nobody_still_lacks_a_user(demo_tenant: DemoTenant) -> None:
    plan = _plan(demo_tenant, "What would happen if they signed in from an unmanaged iPhone?")
    assert plan.missing == "user"
