"""ca_whatif skill, its vocabulary, `idpilot whatif`, and `idpilot ask` what-if prompts."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from idpilot.copilot.understanding.stated import read_stated
from idpilot.skills import default_registry
from signin.tenant import PARIS_IP, SALESFORCE, G, P, U


def _run(store, description: str = "", **params):
    """Run the skill with what the understanding layer reads from `description`."""
    stated = read_stated(store, description).values if description else {}
    return default_registry().get("ca_whatif").run(store, {**stated, **params})


def test_words_fill_platform_device_country(store) -> None:
    words = read_stated(
        store, "what happens if bob signs in to Salesforce from an unmanaged iPhone in France?"
    ).values
    assert (words["platform"], words["device_compliant"], words["country"]) == ("iOS", False, "FR")
    assert read_stated(store, "from the US with MFA").values["mfa"]
    assert read_stated(store, "from the US").values["country"] == "US"
    assert "country" not in read_stated(store, "tell us about it").values


def test_unmanaged_iphone_blocked_by_device_policy(store) -> None:
    result = _run(
        store, user=U["alice"], app="Salesforce", description="unmanaged iPhone in France"
    )
    facts = result.facts
    assert facts.outcome == "controlsRequired"
    assert "compliantDevice" in facts.required_controls
    device_policy = next(p for p in facts.applying if p.id == P["compliant"])
    assert device_policy.result == "failure"
    assert device_policy.unsatisfied_controls == ["compliantDevice"]
    assert {c.condition for c in device_policy.checks} >= {"users", "applications"}
    assert {e.kind for e in result.evidence} >= {
        "user",
        "servicePrincipal",
        "conditionalAccessPolicy",
    }


def test_compliant_device_with_mfa_is_allowed(store) -> None:
    result = _run(store, user=U["alice"], app=SALESFORCE, device_compliant=True, mfa=True)
    assert result.facts.decided.outcome == "allowed"
    # No country given: the country block is undecided (it depends on the country), not
    # evaluated as if the sign-in came from an "unknown country/region".
    (depends,) = result.facts.decided.depends
    assert depends.blocks and depends.facts == ["the country"]


def test_a_stated_country_decides_the_country_block(store) -> None:
    allowed = _run(store, user=U["alice"], app=SALESFORCE, device_compliant=True, mfa=True,
                   country="FR")  # fmt: skip
    assert allowed.facts.outcome == "allowed"
    assert not allowed.facts.decided.depends


def test_an_explicitly_non_compliant_device_is_not_an_unknown_one(store) -> None:
    result = _run(store, user=U["alice"], app=SALESFORCE, device_compliant=False, mfa=True)
    assert result.facts.decided.outcome == "controlsRequired"
    device_policy = next(p for p in result.facts.applying if p.id == P["compliant"])
    assert device_policy.unsatisfied_controls == ["compliantDevice"]
    assert "device.isCompliant" not in device_policy.missing_facts


def test_trusted_location_words_use_a_named_location(store) -> None:
    result = _run(store, user=U["bob"], description="from the office on a compliant windows pc")
    assert result.facts.scenario["trusted_location_id"]
    assert any(e.kind == "namedLocation" for e in result.evidence)
    mfa_policy = next(p for p in result.facts.policies if p.id == P["mfa"])
    assert not mfa_policy.applies


def test_legacy_client_blocked(store) -> None:
    result = _run(store, user="Bob Smith", description="using IMAP")
    assert result.facts.decided.outcome == "blocked"
    assert result.facts.decided.blocking_policy_ids == [P["legacy"]]


def test_ask_whatif_prompt(store) -> None:
    answer = Copilot(store).ask(
        "What happens if Bob Smith signs in to Salesforce from an unmanaged iPhone in France?"
    )
    assert answer.skills[0].name == "ca_whatif"
    assert "Require compliant device for Salesforce" in answer.answer
    assert "conditionalAccessPolicy" in {c.kind for c in answer.citations}


def test_cli_whatif(tenant_path) -> None:
    import json

    from typer.testing import CliRunner

    import idpilot.cli.whatif  # noqa: F401
    from idpilot.cli.app import app

    runner = CliRunner()
    args = ["whatif", "--user", "Alice Johnson", "--app", "Salesforce", "--platform", "iOS"]
    text = runner.invoke(app, [*args, "--no-device-compliant", "--store", str(tenant_path)])
    assert text.exit_code == 0, text.output
    assert "Require compliant device for Salesforce" in text.output
    assert "Sources" in text.output
    raw = runner.invoke(
        app, [*args, "--device-compliant", "--mfa", "--json", "--store", str(tenant_path)]
    )
    assert raw.exit_code == 0, raw.output
    assert json.loads(raw.output)["facts"]["decided"]["outcome"] == "allowed"
    missing = runner.invoke(app, ["whatif", "--user", "Nobody Here", "--store", str(tenant_path)])
    assert missing.exit_code == 2  # a user that names no one is a user error
    assert "could not find a user" in missing.output


def test_reasons_name_the_group_and_cite_it_instead_of_its_id(store) -> None:
    answer = Copilot(store).ask(
        "What happens if Alice Johnson signs in to Salesforce from an unmanaged iPhone in France?"
    )
    assert "member of included group Sales" in answer.answer
    assert G["sales"] not in answer.answer
    assert ("group", G["sales"]) in {(c.kind, c.id) for c in answer.citations}


def test_outcome_follows_decided_conditions_and_names_what_it_depends_on(store) -> None:
    """No IP given: the MFA policy's location condition (outside trusted) is undecided."""
    result = _run(store, user=U["alice"], app=SALESFORCE, device_compliant=True, country="FR")
    decided = result.facts.decided
    assert decided.outcome == "allowed"
    [depends] = decided.depends
    assert depends.id == P["mfa"]
    assert depends.facts == ["the IP address"]
    assert [c.condition for c in depends.conditions] == ["locations"]
    assert "the trusted locations" in depends.conditions[0].reason
    answer = Copilot(store).ask(
        "What happens if Alice Johnson signs in to Salesforce on a compliant device in France?"
    )
    assert "depends on facts the question did not give" in answer.answer
    assert "Outcome: **allowed**" not in answer.answer
    with_ip = _run(
        store, user=U["alice"], app=SALESFORCE, device_compliant=True, ip_address=PARIS_IP
    )
    assert with_ip.facts.decided.outcome == "controlsRequired"
    assert with_ip.facts.decided.depends == []


def test_an_eligible_role_is_named_with_the_policy_it_would_bring_in(store) -> None:
    """Dana holds no active role; her PIM-eligible Global Administrator would add admin MFA."""
    result = _run(store, user=U["dana"], app=SALESFORCE, mfa=True)
    roles = result.facts.roles
    assert roles["targeting_policy_ids"] == [P["admin_mfa"]]
    assert roles["active"] == []
    [eligible] = roles["eligible"]
    assert eligible["name"] == "Global Administrator"
    [once] = roles["once_activated"]
    assert [p["id"] for p in once["would_apply"]] == [P["admin_mfa"]]
    assert ("unifiedRoleEligibilitySchedule", "re-1") in {(e.kind, e.id) for e in result.evidence}
    answer = Copilot(store).ask("What if Dana signs in to Salesforce with MFA?")
    assert "eligible through PIM for Global Administrator" in answer.answer
    assert "Once Global Administrator is activated: Require MFA for admins" in answer.answer


def test_an_active_role_through_a_group_is_named(store) -> None:
    result = _run(store, user=U["admin"], app=SALESFORCE)
    [active] = result.facts.roles["active"]
    assert active["name"] == "Global Administrator" and active["via_group"]
    assert result.facts.roles["once_activated"] == []


def test_a_pim_eligible_holder_is_evaluated_with_the_role_activated(store) -> None:
    """Dana is only eligible for Global Administrator: as herself the admin policy skips her;
    as a holder of the role (once activated) it applies to her."""
    as_herself = _run(store, user=U["dana"], app=SALESFORCE)
    assert P["admin_mfa"] not in {p.id for p in as_herself.facts.applying}
    facts = _run(store, role="Global Administrator", app=SALESFORCE).facts
    [group] = facts.eligible_groups
    [dana] = group.holders
    assert dana.ref == f"user:{U['dana']}" and dana.assignment_ref.endswith(":re-1")
    assert P["admin_mfa"] in {p.id for p in group.requiring}
    assert [p.id for p in facts.role_policies] == [P["admin_mfa"]]
    active = {h.ref for g in facts.outcome_groups for h in g.holders}
    assert f"user:{U['admin']}" in active and f"user:{U['bg']}" in active
    admin = next(h for g in facts.outcome_groups for h in g.holders if h.ref.endswith(U["admin"]))
    assert admin.via_group is not None and admin.via_group.id == f"group:{G['admins']}"


def test_cli_whatif_for_a_role(tenant_path) -> None:
    import json

    from typer.testing import CliRunner

    import idpilot.cli.whatif  # noqa: F401
    from idpilot.cli.app import app

    runner = CliRunner()
    args = ["whatif", "--role", "Global Administrator", "--app", "Salesforce"]
    text = runner.invoke(app, [*args, "--store", str(tenant_path)])
    assert text.exit_code == 0, text.output
    assert "What if someone holding Global Administrator" in text.output
    assert "Eligible through PIM" in text.output and "Sources" in text.output
    raw = runner.invoke(app, [*args, "--json", "--store", str(tenant_path)])
    assert raw.exit_code == 0, raw.output
    facts = json.loads(raw.output)["facts"]
    assert facts["user"] is None and facts["role"]["displayName"] == "Global Administrator"
    assert facts["holder_count"] == len(
        {h["ref"] for g in facts["outcome_groups"] for h in g["holders"]}
    )
    both = runner.invoke(
        app, ["whatif", "--user", "Alice Johnson", *args[1:], "--store", str(tenant_path)]
    )
    neither = runner.invoke(app, ["whatif", "--store", str(tenant_path)])
    for refused in (both, neither):
        assert refused.exit_code == 2
        assert "name exactly one: --user" in refused.output
    missing = runner.invoke(app, ["whatif", "--role", "No Such Role", "--store", str(tenant_path)])
    assert missing.exit_code == 2 and "could not find a role" in missing.output


def test_an_address_without_a_country_takes_the_one_its_sign_ins_record(store) -> None:
    result = _run(store, user=U["alice"], app=SALESFORCE, device_compliant=True, mfa=True,
                  ip_address=PARIS_IP)  # fmt: skip
    scenario = result.facts.scenario
    assert scenario["country"] == "FR"
    assert any(PARIS_IP in line and "FR" in line for line in scenario["assumptions"])
    assert result.facts.decided.outcome == "allowed"
    assert not result.facts.decided.depends


def test_an_address_no_sign_in_records_leaves_the_country_undecided(store) -> None:
    result = _run(store, user=U["alice"], app=SALESFORCE, ip_address="198.51.100.200")
    assert result.facts.scenario["country"] is None
    assert any(d.facts == ["the country"] for d in result.facts.decided.depends)


def test_a_city_takes_the_country_its_sign_ins_record(store) -> None:
    from collections import Counter

    from signin.tenant import sign_ins

    recorded = Counter(
        row["location"]["countryOrRegion"]
        for row in sign_ins()
        if row["location"]["city"] == "Somewhere" and row["location"]["countryOrRegion"]
    )
    expected = min(recorded, key=lambda code: (-recorded[code], code))
    result = _run(store, user=U["alice"], city="somewhere")
    assert result.facts.scenario["city"] == "somewhere"
    assert result.facts.scenario["country"] == expected
    unknown = _run(store, user=U["alice"], city="Atlantis")
    assert unknown.facts.scenario["country"] is None
    assert any("not known for Atlantis" in a for a in unknown.facts.scenario["assumptions"])


def test_the_office_in_a_city_is_the_named_location_named_after_it() -> None:
    from idpilot.ca_analysis.evidence import site_sample
    from idpilot.ca_analysis.tenant_policies import TenantPolicies
    from idpilot.conditional_access import PolicySet
    from idpilot.conditional_access.locations import compile_location
    from idpilot.conditional_access.named_location import parse_named_location

    def ip_location(location_id: str, name: str, cidr: str, trusted: bool) -> dict:
        return {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": location_id,
                "displayName": name, "isTrusted": trusted,
                "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange",
                              "cidrAddress": cidr}]}  # fmt: skip

    named = [
        ip_location("l1", "Kraków Zabłocie office", "198.51.100.0/24", False),
        ip_location("l2", "Malmö HQ", "203.0.113.0/24", True),
    ]
    compiled = [compile_location(parse_named_location(raw)) for raw in named]
    tenant = TenantPolicies(
        policies=[], named_locations=named, policy_set=PolicySet.from_graph([], named),
        directory=None, locations={c.id: c for c in compiled},  # type: ignore[arg-type]
    )  # fmt: skip
    assert site_sample(tenant, "malmo") == ("l2", "203.0.113.1")
    assert site_sample(tenant, "Krakow") == ("l1", "198.51.100.1")
    assert site_sample(tenant, "Bergen") is None


def test_the_city_office_words_reach_the_skill(store) -> None:
    values = read_stated(store, "what if bob signs in from the Somewhere office").values
    assert values["city"].lower() == "somewhere" and values["at_site"] is True
    assert "at_site" not in read_stated(store, "what if bob signs in from Somewhere").values


def test_a_hypothetical_guest_or_member_is_evaluated_without_naming_anyone(store) -> None:
    stated = read_stated(store, "would a guest signing in to Salesforce be blocked?").values
    assert stated["someone"] == "guest"
    assert read_stated(store, "would a regular user need MFA?").values["someone"] == "member"
    guest = _run(store, "would a guest signing in to Salesforce be blocked?", app=SALESFORCE)
    assert guest.facts.user is None and "userType Guest" in guest.facts.someone
    mfa_policy = next(p for p in guest.facts.policies if p.id == P["mfa"])
    assert mfa_policy.applies  # "all users" includes guests
    member = _run(store, someone="member", app=SALESFORCE, device_compliant=True, mfa=True,
                  country="FR")  # fmt: skip
    assert "userType Member" in member.facts.someone
    assert member.facts.decided.outcome == "allowed"


def test_a_what_if_names_exactly_one_principal(store) -> None:
    import pytest

    from idpilot.skills.builtin.ca_whatif import WhatIfInput

    with pytest.raises(ValueError, match="exactly one"):
        WhatIfInput(user=U["alice"], someone="guest")
    with pytest.raises(ValueError, match="none given"):
        WhatIfInput()
