"""A lifecycle workflow drafted from a description and checked against the tenant's users.

The Graph JSON (POST /identityGovernance/lifecycleWorkflows/workflows) is drafted disabled and
unscheduled; its scope rule is evaluated against every user with `directory_rules` (who is in
scope now, who would be missed because the trigger attribute is empty), and the safety checks
say what a leaver or joiner workflow leaves undone or does in the wrong order. Nothing is sent.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from idpilot.actions import Proposal, create_lifecycle_workflow
from idpilot.directory_rules import evaluate, parse_rule
from idpilot.knowledge.privileged_roles import is_privileged
from idpilot.store import Store
from idpilot.store.ca_directory import StoreDirectory
from idpilot.store.directory import departments
from idpilot.store.queries.users import users_with_raw
from idpilot.workflow_drafting.description import (
    Category,
    WorkflowDescription,
    read_workflow_description,
)
from idpilot.workflow_drafting.task_catalog import TASKS, TaskKey

WORKFLOW_NS = "#microsoft.graph.identityGovernance."
TRIGGER_ATTRIBUTE = {Category.joiner: "employeeHireDate", Category.leaver: "employeeLeaveDateTime"}
ORDER = (
    TaskKey.email_manager_before_last_day, TaskKey.enable_account,
    TaskKey.temporary_access_pass, TaskKey.add_to_groups, TaskKey.add_to_teams,
    TaskKey.welcome_email, TaskKey.onboarding_reminder, TaskKey.notify_manager_of_move,
    TaskKey.disable_account, TaskKey.remove_from_selected_groups,
    TaskKey.remove_from_all_groups, TaskKey.remove_from_all_teams,
    TaskKey.remove_all_licences, TaskKey.remove_all_access_packages,
    TaskKey.cancel_access_package_requests, TaskKey.email_on_last_day,
    TaskKey.email_manager_after_last_day, TaskKey.delete_user,
)  # fmt: skip
"""Tasks in the order they must run (the account enabled before its pass; deleted last)."""
SHOWN = 10


class ScopedUser(BaseModel):
    """A user the scope rule takes in."""

    id: str
    display_name: str
    has_trigger_date: bool
    privileged_roles: list[str] = Field(default_factory=list)


class WorkflowFinding(BaseModel):
    """A safety or ordering problem of the drafted workflow."""

    check: str
    message: str
    user_ids: list[str] = Field(default_factory=list)


class DraftedWorkflow(BaseModel):
    """The drafted workflow, its scope evaluated, its findings and the proposal."""

    description: WorkflowDescription
    body: dict[str, Any] = Field(default_factory=dict)
    rule: str | None = None
    """The scope as a dynamic membership rule, the form `directory_rules` evaluates."""
    in_scope: int = 0
    in_scope_users: list[ScopedUser] = Field(default_factory=list)
    missed: int = 0
    """Users in scope whose trigger attribute is empty: the workflow would never run for them."""
    missed_users: list[ScopedUser] = Field(default_factory=list)
    findings: list[WorkflowFinding] = Field(default_factory=list)
    proposal: Proposal | None = None


def draft_workflow(store: Store, text: str) -> DraftedWorkflow:
    """Draft the described workflow, evaluate its scope, check it, and propose it."""
    cities = sorted({str(u["raw"].get("city")) for u in _users(store) if u["raw"].get("city")})
    description = read_workflow_description(text, departments(store), cities)
    drafted = DraftedWorkflow(description=description)
    if description.category is None:
        return drafted
    drafted.body = workflow_body(description)
    drafted.rule = scope_rule(description)
    _evaluate_scope(store, drafted)
    drafted.findings = safety_findings(drafted)
    drafted.proposal = create_lifecycle_workflow(
        drafted.body, affected=[], reason="Drafted from: " + description.text
    )
    return drafted


def workflow_body(description: WorkflowDescription) -> dict[str, Any]:
    """The Graph request body: disabled and unscheduled until a test run on one user."""
    category = description.category or Category.joiner
    odata = " and ".join(f"({c.attribute} eq '{_odata(c.value)}')" for c in description.scope)
    scope = {
        "@odata.type": WORKFLOW_NS + "ruleBasedSubjectSet",
        "rule": odata or "(accountEnabled eq true)",
    }
    if category is Category.mover:
        trigger: dict[str, Any] = {
            "@odata.type": WORKFLOW_NS + "attributeChangeTrigger",
            "triggerAttributes": [{"name": description.change_attribute}],
        }
    else:
        trigger = {
            "@odata.type": WORKFLOW_NS + "timeBasedAttributeTrigger",
            "timeBasedAttribute": TRIGGER_ATTRIBUTE[category],
            "offsetInDays": description.offset_days,
        }
    tasks = sorted(description.tasks, key=ORDER.index)
    return {
        "category": category.value,
        "displayName": ("DRAFT: " + description.text)[:120],
        "description": description.text,
        "isEnabled": False,
        "isSchedulingEnabled": False,
        "executionConditions": {
            "@odata.type": WORKFLOW_NS + "triggerAndScopeBasedConditions",
            "scope": scope,
            "trigger": trigger,
        },
        "tasks": [
            {
                "continueOnError": False,
                "displayName": TASKS[key].display_name,
                "description": TASKS[key].display_name,
                "isEnabled": True,
                "taskDefinitionId": TASKS[key].definition_id,
                "arguments": [],
            }
            for key in tasks
        ],
    }


def scope_rule(description: WorkflowDescription) -> str:
    """The scope as a dynamic membership rule (enabled accounts when nothing narrows it)."""
    clauses = [f'(user.{c.attribute} -eq "{_rule(c.value)}")' for c in description.scope]
    return " -and ".join(clauses) or "(user.accountEnabled -eq true)"


def safety_findings(drafted: DraftedWorkflow) -> list[WorkflowFinding]:
    """What the workflow leaves undone, or does in the wrong order."""
    description = drafted.description
    tasks = set(description.tasks)
    findings: list[WorkflowFinding] = []
    if description.category is Category.leaver:
        if not tasks & {TaskKey.disable_account, TaskKey.delete_user}:
            findings.append(WorkflowFinding(
                check="accountLeftEnabled",
                message="No task disables or deletes the account: a leaver can still sign in.",
            ))  # fmt: skip
        findings.append(WorkflowFinding(
            check="sessionsNotRevoked",
            message="No task revokes the leaver's sessions: refresh tokens already issued keep "
            "working until they expire. Add 'Revoke all refresh tokens for user' (its id from "
            "GET /identityGovernance/lifecycleWorkflows/taskDefinitions).",
        ))  # fmt: skip
        holders = [u for u in drafted.in_scope_users if u.privileged_roles]
        findings.append(WorkflowFinding(
            check="privilegedRolesKept",
            message="No built-in task removes directory role assignments: a leaver keeps every "
            f"privileged role held directly ({len(holders)} in scope now hold one). Remove "
            "them in a custom task extension or an access review.",
            user_ids=[u.id for u in holders],
        ))  # fmt: skip
    if description.category is not Category.mover and drafted.missed:
        attribute = TRIGGER_ATTRIBUTE[description.category or Category.joiner]
        findings.append(WorkflowFinding(
            check="triggerAttributeEmpty",
            message=f"{drafted.missed} of the {drafted.in_scope} users in scope have no "
            f"{attribute}: the workflow would never run for them.",
            user_ids=[u.id for u in drafted.missed_users],
        ))  # fmt: skip
    return findings


def _evaluate_scope(store: Store, drafted: DraftedWorkflow) -> None:
    rule = parse_rule(drafted.rule or "")
    attribute = TRIGGER_ATTRIBUTE.get(drafted.description.category or Category.mover)
    directory = StoreDirectory(store)
    for user in _users(store):
        raw = user["raw"]
        if raw.get("accountEnabled") is False or not evaluate(rule, raw):
            continue
        roles = sorted(r for r in directory.role_template_ids_of(user["id"]) if is_privileged(r))
        scoped = ScopedUser(
            id=user["id"],
            display_name=user.get("displayName") or user["id"],
            has_trigger_date=bool(attribute and raw.get(attribute)),
            privileged_roles=roles,
        )
        drafted.in_scope += 1
        if len(drafted.in_scope_users) < SHOWN or roles:
            drafted.in_scope_users.append(scoped)
        if attribute and not scoped.has_trigger_date:
            drafted.missed += 1
            if len(drafted.missed_users) < SHOWN:
                drafted.missed_users.append(scoped)


def _users(store: Store) -> list[dict[str, Any]]:
    import orjson

    rows = users_with_raw(store)
    for row in rows:
        if isinstance(row["raw"], str):
            row["raw"] = orjson.loads(row["raw"])
    return rows


def _odata(value: str) -> str:
    return value.replace("'", "''")


def _rule(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
