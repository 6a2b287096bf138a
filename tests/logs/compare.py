"""A skill run twice, on the local logs and on the workspace's, and what its answer cites."""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.skills import default_registry
from idpilot.skills.base import SkillResult
from idpilot.store import Store
from tests.conftest import DemoTenant
from tests.logs.workspace_over_store import WorkspaceOverStore


def run_skill(store: Store, skill: str, params: dict[str, Any]) -> SkillResult:
    """The skill's result on `store` (its logs wherever the settings say)."""
    return default_registry().get(skill).run(store, params)


def cited(result: SkillResult) -> list[tuple[str, str]]:
    """The kind and id of each record the answer cites, in order."""
    return [(record.kind, record.id) for record in result.evidence]


def run_both(
    demo_tenant: DemoTenant,
    directory_only: Store,
    workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
    skill: str,
    params: dict[str, Any],
) -> tuple[SkillResult, SkillResult]:
    """The skill's result from the local logs, then from the workspace's."""
    with monkeypatch.context() as local:
        local.delenv("IDPILOT_LOGS_REMOTE")
        here = run_skill(demo_tenant.store, skill, params)
    workspace.queries.clear()
    there = run_skill(directory_only, skill, params)
    return here, there


def assert_same_answer(
    here: SkillResult, there: SkillResult, case: object, workspace: WorkspaceOverStore, table: str
) -> None:
    """Both answers cite the same records and state the same facts, and the workspace's was
    read from `table` there."""
    assert there.status == here.status, case
    assert cited(there) == cited(here), case
    assert there.facts == here.facts, case
    assert any(table in query for query in workspace.queries), case
