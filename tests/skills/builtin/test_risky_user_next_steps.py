"""A risky user's next steps are actions an admin can read, each with its reason."""

from __future__ import annotations

from idpilot.skills import default_registry
from idpilot.skills.builtin.risky_user_summary import STEP_ACTIONS
from tests.conftest import DemoTenant


def test_next_steps_are_written_actions_not_step_keys(demo_tenant: DemoTenant) -> None:
    [user_id] = demo_tenant.store.con.execute(
        "SELECT id FROM riskyUsers WHERE riskState = 'atRisk' ORDER BY id LIMIT 1"
    ).fetchone()
    result = default_registry().get("risky_user_summary").run(demo_tenant.store, {"user": user_id})
    assert result.next_steps and result.facts.plan
    for step, plan_step in zip(result.next_steps, result.facts.plan, strict=True):
        assert step.action == STEP_ACTIONS[plan_step.step] and " " in step.action
        assert step.why == plan_step.why
