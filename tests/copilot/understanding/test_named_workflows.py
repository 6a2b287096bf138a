"""A lifecycle workflow named by the telling words of its name, on the demo tenant."""

from __future__ import annotations

from idpilot.copilot.understanding.named_workflows import workflow_named
from tests.conftest import DemoTenant


def test_the_one_workflow_whose_telling_words_are_said(demo_tenant: DemoTenant) -> None:
    names = [
        row[0]
        for row in demo_tenant.store.con.execute(
            "SELECT displayName FROM lifecycleWorkflows ORDER BY 1"
        ).fetchall()
    ]
    pre_hire = next(name for name in names if "pre-hire" in name.lower())
    store = demo_tenant.store
    assert workflow_named(store, "did the pre-hire onboarding workflow fail last week?") == pre_hire
    assert workflow_named(store, "which onboarding workflows failed?") is None  # several
    assert workflow_named(store, "who hired the new employee?") is None
