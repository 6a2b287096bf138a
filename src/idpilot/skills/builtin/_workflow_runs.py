"""Troubleshooting lifecycle workflow runs: a user's processing result, its failed task and why.

A failed task is traced to the version that ran: when that version changed the task (or added
it), the change and who made it are named beside the failure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.skills.base import SkillFacts
from idpilot.skills.builtin._workflow_versions import (
    TaskChange,
    VersionRef,
    task_changes,
    version_ref,
)

FAILING = frozenset({"failed", "completedWithErrors"})
UNPROCESSED = frozenset({"canceled", "queued", "inProgress"})


class FailedTask(SkillFacts):
    """A task that failed for the user, with Graph's `failureReason`."""

    id: str
    task: str
    definition_id: str | None
    sequence: int | None
    failure_reason: str | None
    continue_on_error: bool | None
    arguments: dict[str, str]
    changed_in: VersionRef | None = None
    """The version that ran, when it added or changed this task."""
    change: TaskChange | None = None


class UserRun(SkillFacts):
    """A workflow's processing of one user in one run, and its tasks' outcome."""

    id: str
    run_id: str | None
    workflow_id: str
    workflow: str | None
    user_id: str | None
    user: str | None
    upn: str | None = None
    status: str | None
    version: int | None
    scheduled: datetime | None
    completed: datetime | None
    total_tasks: int | None
    failed_tasks: int | None
    unprocessed_tasks: int | None
    failed: list[FailedTask]
    not_run: list[str]
    """Tasks canceled or still queued after the failure (a task that does not continue on
    error stops the ones after it)."""
    task_results_missing: bool
    """The snapshot has no task result of this user result (its counts are all there is)."""


class RunSummary(SkillFacts):
    """One run of a workflow and its counts, as Graph aggregates them."""

    id: str
    workflow_id: str
    workflow: str | None
    status: str | None
    execution_type: str | None
    scheduled: datetime | None
    completed: datetime | None
    total_users: int | None
    successful_users: int | None
    failed_users: int | None
    failed_tasks: int | None


def run_summary(run: dict[str, Any], names: dict[str, str]) -> RunSummary:
    """A run row as the answer shows it."""
    return RunSummary(
        id=run["id"],
        workflow_id=run["workflowId"],
        workflow=names.get(run["workflowId"]),
        status=run.get("processingStatus"),
        execution_type=run.get("workflowExecutionType"),
        scheduled=run.get("scheduledDateTime") or run.get("startedDateTime"),
        completed=run.get("completedDateTime"),
        total_users=run.get("totalUsersCount"),
        successful_users=run.get("successfulUsersCount"),
        failed_users=run.get("failedUsersCount"),
        failed_tasks=run.get("failedTasksCount"),
    )


def _arguments(task: dict[str, Any]) -> dict[str, str]:
    return {
        str(a.get("name")): str(a.get("value"))
        for a in task.get("arguments") or []
        if isinstance(a, dict)
    }


def _introduced(
    task: dict[str, Any], version_number: int | None, versions: list[dict[str, Any]]
) -> tuple[VersionRef | None, TaskChange | None]:
    """The version that ran and its change to this task, when it made one."""
    by_number = {v.get("versionNumber"): v for v in versions}
    ran = by_number.get(version_number)
    before = by_number.get(version_number - 1) if version_number else None
    if ran is None or before is None:
        return None, None
    definition = str(task.get("taskDefinitionId") or "").lower()
    for change in task_changes(before.get("tasks") or [], ran.get("tasks") or []):
        if change.change != "removed" and str(change.definition_id or "").lower() == definition:
            return version_ref(ran), change
    return None, None


def user_run(
    result: dict[str, Any],
    tasks: list[dict[str, Any]],
    names: dict[str, str],
    versions: list[dict[str, Any]],
) -> UserRun:
    """A user processing result, its failed tasks (each traced to a version) and what did not
    run after them."""
    failed = []
    for row in tasks:
        if row.get("processingStatus") != "failed":
            continue
        task = row.get("task") if isinstance(row.get("task"), dict) else {}
        changed_in, change = _introduced(task, result.get("workflowVersion"), versions)
        failed.append(
            FailedTask(
                id=row["id"],
                task=str(task.get("displayName") or task.get("taskDefinitionId") or "a task"),
                definition_id=task.get("taskDefinitionId"),
                sequence=task.get("executionSequence"),
                failure_reason=row.get("failureReason"),
                continue_on_error=task.get("continueOnError"),
                arguments=_arguments(task),
                changed_in=changed_in,
                change=change,
            )
        )
    not_run = [
        str((row.get("task") or {}).get("displayName") or "a task")
        for row in tasks
        if row.get("processingStatus") in UNPROCESSED
    ]
    return UserRun(
        id=result["id"],
        run_id=result.get("runId"),
        workflow_id=result["workflowId"],
        workflow=names.get(result["workflowId"]),
        user_id=result.get("subjectId"),
        user=result.get("userName") or result.get("upn") or result.get("subjectId"),
        upn=result.get("upn") if result.get("userName") else None,
        status=result.get("processingStatus"),
        version=result.get("workflowVersion"),
        scheduled=result.get("scheduledDateTime") or result.get("startedDateTime"),
        completed=result.get("completedDateTime"),
        total_tasks=result.get("totalTasksCount"),
        failed_tasks=result.get("failedTasksCount"),
        unprocessed_tasks=result.get("totalUnprocessedTasksCount"),
        failed=failed,
        not_run=not_run,
        task_results_missing=not tasks,
    )
