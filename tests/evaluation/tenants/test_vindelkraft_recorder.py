"""The generator's own Conditional Access recorder follows Microsoft's documented semantics."""

from __future__ import annotations

import pytest

from idpilot.evaluation.tenants.vindelkraft import build
from idpilot.evaluation.tenants.vindelkraft._core import Record, Tenant
from idpilot.evaluation.tenants.vindelkraft.recorder import Context, Outcome, record

OFFICE_MALMO = "185.45.12.77"
HOME_SE = "81.224.10.20"
ABROAD_FR = "90.1.2.3"


@pytest.fixture(scope="module")
def tenant() -> Tenant:
    """The default tenant, in memory."""
    return build()


def _record(tenant: Tenant, user: Record, ip: str, country: str, **facts: object) -> Outcome:
    policies = tenant.records("conditionalAccessPolicies")
    context = Context(user=user, group_ids=set(), role_ids=set(),
                      app_id=tenant.records("servicePrincipals")[1]["appId"],
                      client=str(facts.pop("client", "browser")), platform="windows", ip=ip,
                      country=country, **facts)  # type: ignore[arg-type]  # fmt: skip
    return record(policies, context, tenant.records("namedLocations"))


def _results(tenant: Tenant, outcome: Outcome) -> dict[str, str]:
    names = {p["id"]: key.removeprefix("policy:") for key, p in tenant.planted.items()
             if key.startswith("policy:")}  # fmt: skip
    return {names[e["id"]]: e["result"] for e in outcome.applied}


def test_a_wrong_password_never_reaches_conditional_access(tenant: Tenant) -> None:
    outcome = _record(tenant, tenant.user("zofia"), ABROAD_FR, "FR", primary_failed=True)
    results = _results(tenant, outcome)
    assert outcome.status == "notApplied"
    assert results["country_block"] == "notApplied"
    assert results["risk_mfa"] == "reportOnlyNotApplied"
    assert results["user_risk"] == "notEnabled"


def test_block_wins_and_mfa_is_not_performed(tenant: Tenant) -> None:
    outcome = _record(tenant, tenant.user("zofia"), ABROAD_FR, "FR")
    results = _results(tenant, outcome)
    assert outcome.blocked and outcome.status == "failure" and not outcome.mfa_done
    assert results["country_block"] == "failure"


def test_trusted_office_needs_no_mfa_and_home_does(tenant: Tenant) -> None:
    office = _record(tenant, tenant.user("zofia"), OFFICE_MALMO, "SE")
    home = _record(tenant, tenant.user("zofia"), HOME_SE, "SE")
    assert _results(tenant, office)["mfa_untrusted"] == "notApplied"
    assert not office.mfa_required and office.status == "notApplied"
    assert _results(tenant, home)["mfa_untrusted"] == "success" and home.status == "success"


def test_report_only_mfa_interrupts_when_nothing_else_asked_for_it(tenant: Tenant) -> None:
    outcome = _record(tenant, tenant.user("zofia"), OFFICE_MALMO, "SE", risk="high")
    assert _results(tenant, outcome)["risk_mfa"] == "reportOnlyInterrupted"
    assert outcome.status == "notApplied"


def test_a_denied_push_fails_the_mfa_policy(tenant: Tenant) -> None:
    outcome = _record(tenant, tenant.user("zofia"), HOME_SE, "SE", will_do_mfa=False)
    assert _results(tenant, outcome)["mfa_untrusted"] == "failure"
    assert outcome.status == "failure" and not outcome.mfa_done


def test_legacy_clients_are_blocked_except_for_break_glass(tenant: Tenant) -> None:
    blocked = _record(tenant, tenant.user("zofia"), OFFICE_MALMO, "SE", client="other")
    assert _results(tenant, blocked)["legacy_block"] == "failure"
    spared = _record(tenant, tenant.user("breakglass02"), OFFICE_MALMO, "SE", client="other")
    assert _results(tenant, spared)["legacy_block"] == "notApplied"
