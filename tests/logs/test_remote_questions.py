"""Questions answered by the skills moved to the log reader get the same answer text and
citations with the logs in the loopback workspace, and say where the rows were read."""

from __future__ import annotations

import pytest

from idpilot.store import Store
from tests.conftest import DemoTenant
from tests.logs.workspace_over_store import WorkspaceOverStore

QUESTIONS = {
    "What does error 50126 mean?": "explain_error",
    "How many sign-ins failed in the last 24 hours?": "signin_summary",
    "Who are the risky users?": "risky_users",
    "Which Conditional Access policies changed this month?": "policy_changes",
    "Who added members to groups?": "who_changed",
    "What did Contoso Automation Runbook change?": "actor_activity",
}


@pytest.mark.parametrize(("prompt", "skill"), QUESTIONS.items())
def test_a_question_gets_the_same_answer_and_citations_from_the_workspace(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
    prompt: str,
    skill: str,
) -> None:
    from idpilot.copilot.engine import Copilot

    with monkeypatch.context() as local:
        local.delenv("IDPILOT_LOGS_REMOTE")
        here = Copilot(demo_tenant.store).ask(prompt)
    there = Copilot(directory_only).ask(prompt)
    assert [s.name for s in here.skills] == [s.name for s in there.skills] == [skill]
    assert here.citations, prompt
    assert [(c.kind, c.id) for c in there.citations] == [(c.kind, c.id) for c in here.citations]
    assert there.answer == here.answer
    assert "read by KQL in Log Analytics workspace" in (there.limits or "")
    assert "read by KQL" not in (here.limits or "")
