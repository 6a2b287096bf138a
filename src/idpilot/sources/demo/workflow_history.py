"""Lifecycle workflows' tasks, versions and runs, following Microsoft's documented semantics.

Each workflow gets its tasks (documented built-in task definitions) and trigger and scope
conditions; `version` numbered versions, each a change of tasks or conditions made by an admin
(`createdBy`, `lastModifiedBy`), the last one the workflow as it is now. The enabled joiner
workflows ran for the latest hires (their `employeeHireDate` set here, ten days after their
account was created) on the day the trigger says: a run's user counts are its user processing
results, a user's task counts its task processing results, and a failed task has a
`failureReason`. The planted failure: the pre-hire workflow's last version asked for a
Temporary Access Pass lasting longer than the authentication methods policy allows, so its
pass task fails from then on (and, not continuing on error, the next task is canceled).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from idpilot.workflow_drafting.task_catalog import TASKS, TaskKey

from .ids import CAPTURED_AT, guid, iso
from .tenant import Tenant

NS = "#microsoft.graph.identityGovernance."
PRE_HIRE = "Onboard pre-hire employee"
NEW_HIRE = "Onboard new hire employee"
HIRES = 4
HIRE_AFTER_CREATION = timedelta(days=10)
REQUESTED_TAP_MINUTES = 720
"""What the pre-hire workflow's last version asks for (more than the policy's maximum)."""
TRIGGERS = {"joiner": ("employeeHireDate", -7), "leaver": ("employeeLeaveDateTime", 7)}
CANDIDATE_TASKS = {
    "joiner": (TaskKey.welcome_email, TaskKey.onboarding_reminder, TaskKey.enable_account),
    "leaver": (TaskKey.remove_all_licences, TaskKey.remove_from_all_teams, TaskKey.delete_user),
    "mover": (TaskKey.notify_manager_of_move, TaskKey.remove_from_selected_groups),
}
FIRST_TASKS = {
    PRE_HIRE: (TaskKey.temporary_access_pass, TaskKey.onboarding_reminder),
    NEW_HIRE: (TaskKey.enable_account, TaskKey.welcome_email),
    "Onboard contractors (draft)": (TaskKey.enable_account,),
    "Real-time employee termination": (TaskKey.disable_account, TaskKey.remove_from_all_groups),
    "Post-offboarding of an employee": (
        TaskKey.remove_all_licences,
        TaskKey.remove_from_all_groups,
    ),
    "Employee job profile change": (TaskKey.notify_manager_of_move,),
}
FIRST_OFFSETS = {PRE_HIRE: -7, NEW_HIRE: 0}


@dataclass
class _Design:
    """A workflow's configuration at one version."""

    tasks: list[TaskKey]
    arguments: dict[TaskKey, dict[str, str]]
    continue_on_error: set[TaskKey] = field(default_factory=set)
    offset: int = 0
    scope: str = "(accountEnabled eq true)"

    def copy(self) -> _Design:
        return _Design(
            list(self.tasks),
            {k: dict(v) for k, v in self.arguments.items()},
            set(self.continue_on_error),
            self.offset,
            self.scope,
        )


def build_workflow_history(rng: random.Random, tenant: Tenant) -> None:
    """Tasks and conditions on each workflow, its versions, and the joiner workflows' runs."""
    admins = _admins(tenant)
    hires = _hires(tenant)
    tap_maximum = _tap_maximum(tenant)
    for workflow in tenant.workflows:
        name = workflow["displayName"]
        designs = _designs(rng, tenant, workflow)
        runs = workflow["isEnabled"] and workflow["category"] == "joiner" and name in FIRST_OFFSETS
        days = sorted(_run_day(h, designs[-1].offset) for h in hires) if runs else []
        days = [day for day in days if day <= CAPTURED_AT]
        if name == PRE_HIRE and len(days) > 1:
            # The change that breaks the pass task lands between two runs, so one ran well.
            workflow["lastModifiedDateTime"] = iso(days[len(days) // 2] - timedelta(hours=20))
        versions = _versions(rng, workflow, designs, admins, tenant)
        _apply(workflow, designs[-1], versions[-1]["tasks"])
        tenant.workflow_history.setdefault("lifecycleWorkflowVersions", []).append(
            (_context(workflow["id"], "versions(tasks())"), versions)
        )
        if runs:
            _runs(rng, tenant, workflow, versions, hires, tap_maximum)


def _admins(tenant: Tenant) -> list[dict]:
    """The admins who edit workflows: the IT manager first."""
    first = tenant.personas.get("it_admin")
    others = [u for u in tenant.members() if u.get("department") == "IT" and u is not first]
    return ([first] if first else []) + others[:2]


def _hires(tenant: Tenant) -> list[dict]:
    """The latest hires (enabled members, not planted personas), their hire date set."""
    personas = {u["id"] for u in tenant.personas.values()}
    members = [
        u
        for u in tenant.members()
        if u["accountEnabled"] and u["id"] not in personas and u.get("createdDateTime")
    ]
    latest = sorted(members, key=lambda u: u["createdDateTime"], reverse=True)[:HIRES]
    for user in latest:
        created = datetime.fromisoformat(user["createdDateTime"].replace("Z", "+00:00"))
        hired = (created + HIRE_AFTER_CREATION).replace(hour=8, minute=0, second=0)
        user["employeeHireDate"] = iso(hired)
    return sorted(latest, key=lambda u: u["employeeHireDate"])


def _run_day(hire: dict, offset: int) -> datetime:
    hired = datetime.fromisoformat(hire["employeeHireDate"].replace("Z", "+00:00"))
    return hired + timedelta(days=offset, hours=1)


def _tap_maximum(tenant: Tenant) -> int | None:
    """The longest Temporary Access Pass the tenant's authentication methods policy allows."""
    for policy in tenant.settings.get("authenticationMethodsPolicy", []):
        for method in policy.get("authenticationMethodConfigurations", []):
            if method.get("id") == "TemporaryAccessPass" and method.get("state") == "enabled":
                return method.get("maximumLifetimeInMinutes")
    return None


def _designs(rng: random.Random, tenant: Tenant, workflow: dict) -> list[_Design]:
    """The workflow's configuration at versions 1..`version`, each a change of the one before."""
    name, category = workflow["displayName"], workflow["category"]
    first = list(FIRST_TASKS.get(name, CANDIDATE_TASKS.get(category, ())[:1]))
    design = _Design(first, {}, offset=FIRST_OFFSETS.get(name, TRIGGERS.get(category, ("", 0))[1]))
    if TaskKey.temporary_access_pass in first:
        design.arguments[TaskKey.temporary_access_pass] = {
            "tapLifetimeMinutes": "480",
            "tapIsUsableOnce": "true",
        }
    designs = [design]
    count = max(1, int(workflow.get("version") or 1))
    changes = (_add_task, _narrow_scope, _shift_trigger, _continue_on_error)
    for number in range(2, count + 1):
        design = design.copy()
        if name == PRE_HIRE and number == count:
            design.arguments[TaskKey.temporary_access_pass]["tapLifetimeMinutes"] = str(
                REQUESTED_TAP_MINUTES
            )
        else:
            changes[(number - 2) % len(changes)](rng, design, category)
        designs.append(design)
    if name == PRE_HIRE and count == 1:
        design.arguments[TaskKey.temporary_access_pass]["tapLifetimeMinutes"] = str(
            REQUESTED_TAP_MINUTES
        )
    return designs


def _add_task(rng: random.Random, design: _Design, category: str) -> None:
    missing = [t for t in CANDIDATE_TASKS.get(category, ()) if t not in design.tasks]
    if missing:
        design.tasks.append(rng.choice(missing))
    else:
        design.continue_on_error ^= {design.tasks[-1]}


def _narrow_scope(rng: random.Random, design: _Design, category: str) -> None:
    excluded = rng.choice(("Contractors", "Interns", "Vendors"))
    clause = f"(department ne '{excluded}')"
    design.scope = design.scope if clause in design.scope else f"{design.scope} and {clause}"


def _shift_trigger(rng: random.Random, design: _Design, category: str) -> None:
    design.offset += rng.choice((-2, -1, 1, 2)) if category != "mover" else 0


def _continue_on_error(rng: random.Random, design: _Design, category: str) -> None:
    design.continue_on_error ^= {design.tasks[0]}


def _task(rng: random.Random, key: TaskKey, sequence: int, design: _Design) -> dict:
    definition = TASKS[key]
    arguments = design.arguments.get(key, {})
    return {
        "category": ",".join(definition.categories),
        "continueOnError": key in design.continue_on_error,
        "description": definition.display_name,
        "displayName": definition.display_name,
        "executionSequence": sequence,
        "id": guid(rng),
        "isEnabled": True,
        "taskDefinitionId": definition.definition_id,
        "arguments": [{"name": k, "value": v} for k, v in arguments.items()],
    }


def _conditions(category: str, design: _Design) -> dict:
    scope = {"@odata.type": NS + "ruleBasedSubjectSet", "rule": design.scope}
    if category == "mover":
        trigger = {
            "@odata.type": NS + "attributeChangeTrigger",
            "triggerAttributes": [{"name": "department"}],
        }
    else:
        attribute = TRIGGERS.get(category, TRIGGERS["joiner"])[0]
        trigger = {
            "@odata.type": NS + "timeBasedAttributeTrigger",
            "timeBasedAttribute": attribute,
            "offsetInDays": design.offset,
        }
    return {
        "@odata.type": NS + "triggerAndScopeBasedConditions",
        "scope": scope,
        "trigger": trigger,
    }


def _versions(
    rng: random.Random, workflow: dict, designs: list[_Design], admins: list[dict], tenant: Tenant
) -> list[dict]:
    """The versions, oldest first, each dated between the workflow's creation and last change."""
    created = _parse(workflow["createdDateTime"])
    last = _parse(workflow["lastModifiedDateTime"])
    count = len(designs)
    dates = [created + (last - created) * (i / max(1, count - 1)) for i in range(count)]
    if count == 1:
        dates = [created]
    versions = []
    for number, (design, when) in enumerate(zip(designs, dates, strict=True), start=1):
        author = admins[0] if number == count or not admins else rng.choice(admins)
        editor = author
        until = dates[number] if number < count else last
        versions.append(
            {
                "category": workflow["category"],
                "description": workflow["description"],
                "displayName": workflow["displayName"],
                "isEnabled": workflow["isEnabled"],
                "isSchedulingEnabled": workflow["isSchedulingEnabled"],
                "lastModifiedDateTime": iso(until),
                "versionNumber": number,
                "createdDateTime": iso(when),
                "executionConditions": _conditions(workflow["category"], design),
                "tasks": [
                    _task(rng, key, sequence, design)
                    for sequence, key in enumerate(design.tasks, start=1)
                ],
                "createdBy": _actor(author),
                "lastModifiedBy": _actor(editor),
            }
        )
    return versions


def _actor(user: dict) -> dict:
    return {
        "id": user["id"],
        "displayName": user["displayName"],
        "userPrincipalName": user["userPrincipalName"],
    }


def _apply(workflow: dict, design: _Design, tasks: list[dict]) -> None:
    """The workflow as it is now: its last version's conditions and tasks."""
    workflow["executionConditions"] = _conditions(workflow["category"], design)
    workflow["tasks"] = tasks


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _context(workflow_id: str, tail: str) -> str:
    return f"identityGovernance/lifecycleWorkflows/workflows('{workflow_id}')/{tail}"


def _runs(
    rng: random.Random,
    tenant: Tenant,
    workflow: dict,
    versions: list[dict],
    hires: list[dict],
    tap_maximum: int | None,
) -> None:
    """One scheduled run per hire whose trigger day has come, with its results and reports."""
    offset = versions[-1]["executionConditions"]["trigger"]["offsetInDays"]
    runs, user_pages, task_pages, report_pages = [], [], [], []
    for hire in hires:
        when = _run_day(hire, offset)
        if when > CAPTURED_AT:
            continue
        version = _version_at(versions, when)
        run_id = guid(rng)
        result, task_results = _user_result(rng, hire, version, when, tap_maximum)
        context = f"runs('{run_id}')/userProcessingResults"
        user_pages.append((_context(workflow["id"], context), [result]))
        task_pages.append(
            (
                _context(workflow["id"], f"{context}('{result['id']}')/taskProcessingResults"),
                task_results,
            )
        )
        runs.append(_run(run_id, [result], when))
        for failed in (t for t in task_results if t["processingStatus"] == "failed"):
            tenant.workflow_findings.append(
                {
                    "workflowId": workflow["id"],
                    "workflow": workflow["displayName"],
                    "runId": run_id,
                    "userProcessingResultId": result["id"],
                    "userId": hire["id"],
                    "userPrincipalName": hire["userPrincipalName"],
                    "workflowVersion": version["versionNumber"],
                    "changedBy": version["createdBy"]["displayName"],
                    "failedTask": failed["task"]["displayName"],
                    "failureReason": failed["failureReason"],
                }
            )
        report_pages.append(
            (_context(workflow["id"], "taskReports"), _reports(rng, run_id, task_results))
        )
    history = tenant.workflow_history
    history.setdefault("lifecycleWorkflowRuns", []).append((_context(workflow["id"], "runs"), runs))
    history.setdefault("lifecycleWorkflowUserProcessingResults", []).extend(user_pages)
    history.setdefault("lifecycleWorkflowTaskProcessingResults", []).extend(task_pages)
    history.setdefault("lifecycleWorkflowTaskReports", []).extend(report_pages)


def _version_at(versions: list[dict], when: datetime) -> dict:
    """The version in force at `when` (the first if the run predates them all)."""
    current = versions[0]
    for version in versions:
        if _parse(version["createdDateTime"]) <= when:
            current = version
    return current


def _task_fails(task: dict, tap_maximum: int | None) -> str | None:
    """Why the task fails (None if it does not): a pass longer than the policy allows."""
    if task["taskDefinitionId"] != TASKS[TaskKey.temporary_access_pass].definition_id:
        return None
    arguments = {a["name"]: a["value"] for a in task["arguments"]}
    asked = int(arguments.get("tapLifetimeMinutes", "0") or 0)
    if tap_maximum is not None and asked > tap_maximum:
        return (
            f"The Temporary Access Pass lifetime requested ({asked} minutes) is longer than the "
            f"authentication methods policy allows ({tap_maximum} minutes)."
        )
    return None


def _user_result(
    rng: random.Random, hire: dict, version: dict, when: datetime, tap_maximum: int | None
) -> tuple[dict, list[dict]]:
    """A hire's processing result and its task results, counted from the task results."""
    subject = {"id": hire["id"]}
    results: list[dict] = []
    stopped = False
    clock = when + timedelta(seconds=3)
    for task in version["tasks"]:
        reason = None if stopped else _task_fails(task, tap_maximum)
        status = "canceled" if stopped else ("failed" if reason else "completed")
        started = clock + timedelta(seconds=1)
        results.append(
            {
                "completedDateTime": None if stopped else iso(started + timedelta(seconds=2)),
                "createdDateTime": iso(clock),
                "id": guid(rng),
                "processingStatus": status,
                "startedDateTime": None if stopped else iso(started),
                "failureReason": reason,
                "subject": subject,
                "task": task,
            }
        )
        clock = started + timedelta(seconds=3)
        if reason and not task["continueOnError"]:
            stopped = True
    failed = sum(1 for r in results if r["processingStatus"] == "failed")
    unprocessed = sum(1 for r in results if r["processingStatus"] == "canceled")
    status = "completed" if not failed else ("failed" if unprocessed else "completedWithErrors")
    result = {
        "id": guid(rng),
        "completedDateTime": iso(clock),
        "failedTasksCount": failed,
        "processingStatus": status,
        "scheduledDateTime": iso(when),
        "startedDateTime": iso(when + timedelta(seconds=3)),
        "totalTasksCount": len(results),
        "totalUnprocessedTasksCount": unprocessed,
        "workflowExecutionType": "scheduled",
        "workflowVersion": version["versionNumber"],
        "subject": subject,
    }
    return result, results


def _run(run_id: str, results: list[dict], when: datetime) -> dict:
    """A run aggregating its user results, as the `run` resource documents its counts."""
    failed_users = sum(1 for r in results if r["processingStatus"] != "completed")
    successful = len(results) - failed_users
    status = "completed" if not failed_users else ("failed" if not successful else
                                                   "completedWithErrors")  # fmt: skip
    completed = max(r["completedDateTime"] for r in results)
    return {
        "id": run_id,
        "completedDateTime": completed,
        "failedTasksCount": sum(r["failedTasksCount"] for r in results),
        "failedUsersCount": failed_users,
        "lastUpdatedDateTime": iso(_parse(completed) + timedelta(minutes=5)),
        "processingStatus": status,
        "scheduledDateTime": iso(when),
        "startedDateTime": min(r["startedDateTime"] for r in results),
        "successfulUsersCount": successful,
        "totalTasksCount": sum(r["totalTasksCount"] for r in results),
        "totalUsersCount": len(results),
        "totalUnprocessedTasksCount": sum(r["totalUnprocessedTasksCount"] for r in results),
        "workflowExecutionType": "scheduled",
    }


def _reports(rng: random.Random, run_id: str, task_results: list[dict]) -> list[dict]:
    """One task report per task of the run, counting its users by how the task ended."""
    reports = []
    for result in task_results:
        status = result["processingStatus"]
        reports.append(
            {
                "id": guid(rng),
                "runId": run_id,
                "processingStatus": status,
                "successfulUsersCount": int(status == "completed"),
                "failedUsersCount": int(status == "failed"),
                "unprocessedUsersCount": int(status in ("canceled", "queued", "inProgress")),
                "totalUsersCount": 1,
                "startedDateTime": result["startedDateTime"],
                "completedDateTime": result["completedDateTime"],
                "lastUpdatedDateTime": result["completedDateTime"] or result["createdDateTime"],
                "task": result["task"],
            }
        )
    return reports
