"""A Conditional Access policy named by what it does, in other words than its name."""

from __future__ import annotations

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.understanding.described_policies import swap_for_described_policy
from tests.conftest import DemoTenant


def _named(demo: DemoTenant, prompt: str) -> list[str]:
    entities = PromptEntities()
    swap_for_described_policy(demo.store, prompt, entities)
    return [m.label for m in entities.of_kind("conditionalAccessPolicy")]


def test_a_policy_described_by_the_words_of_its_name(demo_tenant: DemoTenant) -> None:
    name = demo_tenant.store.scalar(
        "SELECT displayName FROM conditionalAccessPolicies "
        "WHERE displayName ILIKE '%compliant device for contractors%'"
    )
    said = "who is excluded from the rule requiring a compliant device for the contractors?"
    assert _named(demo_tenant, said) == [name]


def test_words_that_fit_several_policies_name_none(demo_tenant: DemoTenant) -> None:
    # "require MFA" is in several policies' names: no one of them is meant.
    assert _named(demo_tenant, "which policy requires MFA?") == []
    # Not about a policy at all.
    assert _named(demo_tenant, "did the contractors sign in with compliant devices?") == []


def test_a_policy_named_by_its_code_and_words_or_by_when_it_was_added(tmp_path) -> None:
    from tests.security.builder import TenantBuilder

    t = TenantBuilder()
    t.user("Ann Member")
    t.policy("XY-09 Field tablets: require compliant device (pilot)", state="disabled")
    old = t.policy("XY-02 All users: MFA outside trusted offices")
    new = t.policy(
        "XY-07 Medium or high sign-in risk: MFA", state="enabledForReportingButNotEnforced"
    )
    new["createdDateTime"] = t.ago(days=5).isoformat().replace("+00:00", "Z")
    old["createdDateTime"] = t.ago(days=300).isoformat().replace("+00:00", "Z")
    store = t.store(tmp_path / "snap")

    def named(prompt: str) -> list[str]:
        entities = PromptEntities()
        swap_for_described_policy(store, prompt, entities)
        return [m.label for m in entities.of_kind("conditionalAccessPolicy")]

    # The code "XY-09" is no content word: three of the name's five words say it.
    assert named("is the 'compliant tablets only' rule for field staff switched on?") == [
        "XY-09 Field tablets: require compliant device (pilot)"
    ]
    # Only one policy was added in the last 30 days.
    assert named("the risk policy that was added recently: is it enforcing anything?") == [
        "XY-07 Medium or high sign-in risk: MFA"
    ]
    assert named("which policy requires MFA?") == []
