"""The sign-in skills and the replay on the demo tenant (the generator uses the same engine)."""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.ca_analysis.replay import replay
from idpilot.skills import default_registry
from idpilot.store import Store
from tests.conftest import DemoTenant


@pytest.fixture(scope="module")
def demo(demo_tenant: DemoTenant) -> tuple[Store, dict[str, Any]]:
    """The shared demo tenant, as (store, answer key)."""
    return demo_tenant.store, demo_tenant.answer_key


def _scenario(key: dict[str, Any], scenario_id: str) -> dict[str, Any]:
    return next(s for s in key["scenarios"] if s["id"] == scenario_id)


def test_replay_agrees_completely_with_the_demo_records(demo) -> None:
    store, _ = demo
    report = replay(store)
    assert report.sign_ins > 1000
    assert report.disagreed == 0, report.disagreements[:3]
    assert report.agreement == 1.0
    assert report.undecidable == 0, report.undecided[:3]


def test_report_only_count_matches_the_answer_key(demo) -> None:
    store, key = demo
    scenario = _scenario(key, "report_only_policy_would_block")
    facts = default_registry().get("ca_coverage").run(store, {}).facts
    [policy] = [p for p in facts.report_only if p["id"] == scenario["entities"]["policyId"]]
    assert policy["would_block"] == scenario["facts"]["reportOnlyFailureSignIns"]
    tally = next(
        t for t in replay(store).policies if t.policy_id == scenario["entities"]["policyId"]
    )
    assert tally.report_only_failures == policy["would_block"]


def test_coverage_finds_the_planted_policy_problems(demo) -> None:
    store, key = demo
    facts = default_registry().get("ca_coverage").run(store, {}).facts
    breakglass = _scenario(key, "breakglass_not_excluded")["entities"]
    account = next(a for a in facts.break_glass if a["id"] == breakglass["userId"])
    assert breakglass["policyId"] in account["not_excluded_from_block_policy_ids"]
    never = _scenario(key, "policy_never_applies")["entities"]["policyId"]
    assert never in {p["id"] for p in facts.never_apply}
    overlapping = set(_scenario(key, "overlapping_policies")["entities"]["policyIds"])
    assert any(set(o["policy_ids"]) == overlapping for o in facts.overlaps)


def test_troubleshoot_the_planted_failures(demo) -> None:
    store, key = demo
    run = default_registry().get("signin_troubleshoot").run
    personas = key["personas"]
    alice = run(store, {"user": personas["alice_johnson"]["id"]}).facts.primary
    device_policy = _scenario(key, "compliant_device_failure")["entities"]["policyId"]
    assert device_policy in {p["id"] for p in alice["ca"]["failing_policies"]}
    assert any(f["kind"] == "compliantDevice" and f["allowed"] for f in alice["fixes"])
    locked = run(store, {"user": personas["lockout_user"]["id"]}).facts.primary
    assert locked["error_code"] == 50053 and "lockout" in locked["patterns"]
    legacy = run(store, {"user": personas["legacy_user"]["id"]}).facts.primary
    assert legacy["legacy_protocol"]
    assert any(f["allowed"] for f in legacy["fixes"] if not f["weakens_security"])
    fatigue = run(store, {"user": personas["mfa_fatigue_user"]["id"]}).facts.primary
    assert fatigue["patterns"]["mfa_fatigue"]["approved_sign_in_id"]
    spray = run(store, {"user": personas["spray_victim"]["id"]}).facts
    assert spray.spray_success["ip"] == _scenario(key, "password_spray")["entities"]["ip"]
