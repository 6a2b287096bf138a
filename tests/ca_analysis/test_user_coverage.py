"""One person against the MFA policies: which reach them and what leaves them out, named; and
a block narrowed by location covers nobody's every sign-in."""

from __future__ import annotations

from pathlib import Path

from idpilot.ca_analysis import coverage
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.skills import default_registry
from tests.conftest import DemoTenant
from tests.security.builder import TenantBuilder


def test_a_person_left_out_by_an_excluded_group_is_told_which(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    uncovered = coverage.analyse(store, TenantPolicies.load(store))["mfa_gap"]["uncovered"]
    service = next(u for u in uncovered if "break glass" not in u["displayName"].lower())
    result = default_registry().get("ca_coverage").run(store, {"user": service["id"]})
    person = result.facts.person
    assert person["id"] == service["id"] and not person["every_sign_in"]
    left_out = [p for p in person["policies"] if p["reaches"] is False]
    excluded = [p for p in left_out if "excluded group" in p["why"]]
    assert excluded and excluded[0]["cites"]  # the group that leaves them out, cited
    group_id = excluded[0]["cites"][0].split(":", 1)[1]
    assert group_id in {r.id for r in result.evidence}
    assert "{" not in excluded[0]["why"]  # named, not a marker or an id


def test_a_covered_person_is_said_covered(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    alice = demo_tenant.answer_key["personas"]["alice_johnson"]["id"]
    person = default_registry().get("ca_coverage").run(store, {"user": alice}).facts.person
    assert person["every_sign_in"] and person["reached"] >= 1


def test_a_block_narrowed_by_location_covers_no_sign_in_fully(tmp_path: Path) -> None:
    """ "Block outside our countries" lets sign-ins from inside through with no MFA; "MFA
    outside trusted offices" is the accepted baseline and covers."""
    t = TenantBuilder()
    t.user("Ann Member")
    office = t.named_location("Office", ["10.0.0.0/8"])
    places = {"includeLocations": ["All"], "excludeLocations": [office["id"]]}
    block = t.policy("Block outside", controls=["block"], locations=places)
    mfa = t.policy("MFA outside offices", controls=["mfa"], locations=places)
    tenant = TenantPolicies.load(t.store(tmp_path / "snap"))
    compiled = {p.id: p for p in tenant.policy_set.policies}
    assert not coverage.covers_every_sign_in(compiled[block["id"]], tenant)
    assert coverage.covers_every_sign_in(compiled[mfa["id"]], tenant)
