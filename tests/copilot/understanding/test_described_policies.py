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
