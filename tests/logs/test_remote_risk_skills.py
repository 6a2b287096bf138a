"""`risky_users` ranks the same users, with the same detection counts and open detection
types, and cites the same risk states with the logs in the loopback workspace as with them in
the store (AADRiskyUsers' latest row per user, AADUserRiskEvents' per detection)."""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.store import Store
from tests.conftest import DemoTenant
from tests.logs.compare import assert_same_answer, run_both
from tests.logs.workspace_over_store import WorkspaceOverStore

CASES = [
    {},
    {"include_closed": True},
    {"levels": ["high"]},
    {"include_closed": True, "levels": ["low", "medium"]},
    {"order": "first_flagged"},
]


@pytest.mark.parametrize("case", CASES)
def test_risky_users_are_ranked_and_cited_the_same(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
    case: dict[str, Any],
) -> None:
    here, there = run_both(
        demo_tenant, directory_only, logs_in_workspace, monkeypatch, "risky_users", case
    )
    assert here.facts.users, case
    assert any(user.detections for user in here.facts.users), case
    assert_same_answer(here, there, case, logs_in_workspace, "AADRiskyUsers")
    assert any("AADUserRiskEvents" in query for query in logs_in_workspace.queries)
