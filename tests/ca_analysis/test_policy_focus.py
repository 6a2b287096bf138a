"""One policy asked about: its state and words, and its effect on the recorded sign-ins, from
the logs when they record it (enforced, report-only), replayed when it is switched off."""

from __future__ import annotations

import json
from collections import Counter

from idpilot.ca_analysis.policy_focus import policy_focus
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.ca_drafting.impact import AFFECTED, replay_draft
from idpilot.skills import default_registry
from idpilot.skills.base import SkillResult
from tests.conftest import DemoTenant


def _policy(demo: DemoTenant, state: str) -> dict:
    rows = demo.store.con.execute(
        "SELECT id, displayName FROM conditionalAccessPolicies WHERE state = ? ORDER BY 2",
        [state],
    ).fetchall()
    assert rows, state
    return {"id": rows[0][0], "displayName": rows[0][1]}


def _logged(demo: DemoTenant, policy_id: str) -> list[tuple[str, str]]:
    """(userId, result) of every recorded sign-in the policy appears in, read in Python."""
    found = []
    for user_id, applied in demo.store.con.execute(
        "SELECT userId, CAST(appliedConditionalAccessPolicies AS VARCHAR) FROM signIns"
    ).fetchall():
        for entry in json.loads(applied or "[]"):
            if str(entry.get("id", "")).lower() == policy_id.lower():
                found.append((user_id, entry.get("result")))
    return found


def test_an_enforced_policy_is_judged_by_its_logs(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    tenant = TenantPolicies.load(store)
    for policy_id in [p.id for p in tenant.policy_set.policies]:
        focus = policy_focus(store, tenant, policy_id, SkillResult(skill="t"))
        assert focus is not None
        if not focus["enforced"]:
            continue
        logged = _logged(demo_tenant, policy_id)
        assert {r["result"]: r["sign_ins"] for r in focus["recorded"]} == dict(
            Counter(result for _, result in logged)
        )
        stopped = Counter(user for user, result in logged if result == "failure")
        shown = {u["id"]: u["sign_ins"] for u in focus["users"]}
        assert all(stopped[user] == count for user, count in shown.items())
        assert len(shown) == min(10, len(stopped))
        left_out = [count for user, count in stopped.items() if user not in shown]
        assert not left_out or max(left_out) <= min(shown.values())  # most sign-ins first


def test_a_report_only_policy_names_whom_it_would_have_stopped(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    policy = _policy(demo_tenant, "enabledForReportingButNotEnforced")
    focus = policy_focus(store, TenantPolicies.load(store), policy["id"], SkillResult(skill="t"))
    assert focus is not None and not focus["enforced"] and "if_enabled" not in focus
    would = Counter(
        user
        for user, result in _logged(demo_tenant, policy["id"])
        if result in ("reportOnlyFailure", "reportOnlyInterrupted")
    )
    assert would  # the demo's report-only policy would have stopped someone
    assert {u["id"] for u in focus["users"]} == {u for u, _ in would.most_common(10)}


def test_a_switched_off_policy_is_replayed_as_if_on(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    tenant = TenantPolicies.load(store)
    policy = _policy(demo_tenant, "disabled")
    focus = policy_focus(store, tenant, policy["id"], SkillResult(skill="t"))
    assert focus is not None and focus["if_enabled"]["sign_ins"] > 0
    impact = replay_draft(store, tenant, tenant.policy(policy["id"]) or {})
    assert focus["if_enabled"]["affected_sign_ins"] == sum(
        impact.by_kind.get(kind, 0) for kind in AFFECTED
    )


def test_the_skill_answers_about_the_policy_named(demo_tenant: DemoTenant) -> None:
    policy = _policy(demo_tenant, "enabledForReportingButNotEnforced")
    result = (
        default_registry()
        .get("ca_coverage")
        .run(demo_tenant.store, {"policy_asked": policy["displayName"]})
    )
    assert result.facts.policy["id"] == policy["id"]
    missing = default_registry().get("ca_coverage").run(demo_tenant.store, {"policy_asked": "nope"})
    assert missing.status == "notFound"
