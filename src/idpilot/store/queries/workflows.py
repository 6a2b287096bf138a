"""Lifecycle workflow queries."""

from __future__ import annotations

from typing import Any

from idpilot.store.database import Store


def lifecycle_workflows_by_category(store: Store) -> list[dict[str, Any]]:
    """Every lifecycle workflow (state, dates, version, trigger and scope), by category and name."""
    return store.query(
        "SELECT id, displayName, description, category, isEnabled, isSchedulingEnabled, "
        "createdDateTime, lastModifiedDateTime, json_extract_string(raw, '$.version') AS version, "
        "executionConditions FROM lifecycleWorkflows ORDER BY category, displayName"
    )


def workflow_versions(store: Store, workflow_ids: list[str]) -> list[dict[str, Any]]:
    """The versions of these workflows, oldest first per workflow."""
    return store.query(
        "SELECT id, workflowId, versionNumber, displayName, description, category, isEnabled, "
        "isSchedulingEnabled, createdDateTime, lastModifiedDateTime, executionConditions, tasks, "
        "createdBy, lastModifiedBy FROM lifecycleWorkflowVersions "
        "WHERE list_contains($ids, workflowId) ORDER BY workflowId, versionNumber",
        {"ids": workflow_ids},
    )


def workflow_runs(store: Store, workflow_ids: list[str]) -> list[dict[str, Any]]:
    """The runs of these workflows, newest first."""
    return store.query(
        "SELECT id, workflowId, processingStatus, workflowExecutionType, scheduledDateTime, "
        "startedDateTime, completedDateTime, totalUsersCount, successfulUsersCount, "
        "failedUsersCount, totalTasksCount, failedTasksCount, totalUnprocessedTasksCount "
        "FROM lifecycleWorkflowRuns WHERE list_contains($ids, workflowId) "
        "ORDER BY coalesce(scheduledDateTime, startedDateTime) DESC NULLS LAST, id",
        {"ids": workflow_ids},
    )


def user_processing_results(
    store: Store, workflow_ids: list[str], user_id: str | None
) -> list[dict[str, Any]]:
    """The user processing results of these workflows (of one user, when given), newest first,
    with the user's name."""
    return store.query(
        "SELECT r.id, r.workflowId, r.runId, r.subjectId, u.displayName AS userName, "
        "u.userPrincipalName AS upn, r.processingStatus, r.workflowExecutionType, "
        "r.workflowVersion, r.scheduledDateTime, r.startedDateTime, r.completedDateTime, "
        "r.totalTasksCount, r.failedTasksCount, r.totalUnprocessedTasksCount "
        "FROM lifecycleWorkflowUserProcessingResults r LEFT JOIN users u ON u.id = r.subjectId "
        "WHERE list_contains($ids, r.workflowId) AND ($user IS NULL OR r.subjectId = $user) "
        "ORDER BY coalesce(r.scheduledDateTime, r.startedDateTime) DESC NULLS LAST, r.id",
        {"ids": workflow_ids, "user": user_id},
    )


def task_processing_results(store: Store, result_ids: list[str]) -> list[dict[str, Any]]:
    """The task results of these user processing results, in execution order: those listed on
    their own and those a user result holds (`$expand=taskProcessingResults`), once each."""
    return store.query(
        """
        WITH listed AS (
            SELECT id, userProcessingResultId, processingStatus, failureReason,
                   startedDateTime, completedDateTime, task
            FROM lifecycleWorkflowTaskProcessingResults
            WHERE list_contains($ids, userProcessingResultId)
        ), nested AS (
            SELECT t ->> '$.id' AS id, r.id AS userProcessingResultId,
                   t ->> '$.processingStatus' AS processingStatus,
                   t ->> '$.failureReason' AS failureReason,
                   TRY_CAST(t ->> '$.startedDateTime' AS TIMESTAMPTZ) AS startedDateTime,
                   TRY_CAST(t ->> '$.completedDateTime' AS TIMESTAMPTZ) AS completedDateTime,
                   t -> '$.task' AS task
            FROM (SELECT id, unnest(CAST(taskProcessingResults AS JSON[])) AS t
                  FROM lifecycleWorkflowUserProcessingResults
                  WHERE list_contains($ids, id) AND taskProcessingResults IS NOT NULL) r
        )
        SELECT * FROM listed
        UNION ALL
        SELECT * FROM nested WHERE id NOT IN (SELECT id FROM listed)
        ORDER BY userProcessingResultId, TRY_CAST(task ->> '$.executionSequence' AS INTEGER), id
        """,
        {"ids": result_ids},
    )


def workflow_names(store: Store) -> list[str]:
    """Every lifecycle workflow's display name."""
    rows = store.query(
        "SELECT DISTINCT displayName FROM lifecycleWorkflows WHERE displayName IS NOT NULL "
        "ORDER BY 1"
    )
    return [row["displayName"] for row in rows]
