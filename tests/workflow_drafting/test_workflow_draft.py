"""Lifecycle workflows drafted and checked: documented task ids, the scope rule evaluated
against the users, who would be missed, and the leaver safety checks."""

from __future__ import annotations

import pytest

from idpilot.directory_rules import evaluate, parse_rule
from idpilot.store.queries.users import users_with_raw
from idpilot.workflow_drafting import draft_workflow, read_workflow_description
from idpilot.workflow_drafting.description import Category
from idpilot.workflow_drafting.task_catalog import BY_DEFINITION_ID, TaskKey
from tests.conftest import DemoTenant


def test_leaver_description_read() -> None:
    read = read_workflow_description(
        "offboard leavers in Finance 7 days after their last day: disable and delete the account",
        departments=["Finance", "Sales"],
    )
    assert read.category is Category.leaver and read.offset_days == 7
    assert [(c.attribute, c.value) for c in read.scope] == [("department", "Finance")]
    assert read.tasks == [TaskKey.disable_account, TaskKey.delete_user]


def test_joiner_before_first_day_gets_the_core_tasks() -> None:
    read = read_workflow_description("onboard new hires 2 days before their first day")
    assert read.category is Category.joiner and read.offset_days == -2 and read.tasks_assumed


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("leaver workflow that revokes their sessions", "revok"),
        ("leaver workflow that removes admin roles", "roles"),
        ("a workflow for the finance team", "joiner, mover or leaver"),
    ],
)
def test_what_cannot_be_drafted_is_said(text: str, said: str) -> None:
    assert any(said in item for item in read_workflow_description(text).not_expressed)


def test_leaver_draft_scope_and_safety(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    drafted = draft_workflow(store, "offboard leavers in Finance on their last day")
    body = drafted.body
    assert body["category"] == "leaver" and body["isEnabled"] is False
    assert body["executionConditions"]["scope"]["rule"] == "(department eq 'Finance')"
    assert body["executionConditions"]["trigger"]["timeBasedAttribute"] == "employeeLeaveDateTime"
    assert all(t["taskDefinitionId"].lower() in BY_DEFINITION_ID for t in body["tasks"])
    rule = parse_rule(drafted.rule)
    expected = [
        u["id"]
        for u in users_with_raw(store)
        if u["raw"].get("accountEnabled") is not False and evaluate(rule, u["raw"])
    ]
    assert drafted.in_scope == len(expected) > 0
    checks = {f.check for f in drafted.findings}
    assert {"sessionsNotRevoked", "privilegedRolesKept"} <= checks
    missed = sum(1 for u in users_with_raw(store) if u["id"] in expected and not u["raw"].get(
        "employeeLeaveDateTime"))  # fmt: skip
    assert drafted.missed == missed
    assert ("triggerAttributeEmpty" in checks) == (missed > 0)
    assert drafted.proposal is not None and drafted.proposal.request.method == "POST"


def test_a_leaver_that_neither_disables_nor_deletes_is_flagged(demo_tenant: DemoTenant) -> None:
    drafted = draft_workflow(demo_tenant.store, "leavers: remove them from all groups")
    assert "accountLeftEnabled" in {f.check for f in drafted.findings}
    assert [t["taskDefinitionId"] for t in drafted.body["tasks"]] == [
        "b3a31406-2a15-4c9a-b25b-a658fa5f07fc"
    ]
