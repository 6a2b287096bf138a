"""Lifecycle workflows' versions and runs: what changed between versions, and what each run did.

Graph lists these under their workflow (`/workflows/{workflowId}/versions`, `/runs`,
`/runs/{runId}/userProcessingResults`, ...), and their published shapes carry no link to it:
`workflowId`, `runId` and `userProcessingResultId` are read from the list response's
`@odata.context` at ingest (or from the record, when an exporter wrote them there).
"""

from __future__ import annotations

from typing import Any

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.enums import (
    LifecycleWorkflowProcessingStatus,
    WorkflowCategory,
    WorkflowExecutionType,
)
from idpilot.model.governance import WorkflowTask
from idpilot.model.values import Bool, Int, Open, Timestamp


class WorkflowActor(GraphEntity):
    """The `user` a version's `createdBy` or `lastModifiedBy` points at (as expanded)."""

    display_name: str | None = None
    user_principal_name: str | None = None


class WorkflowVersion(GraphRecord):
    """Graph `workflowVersion`: one numbered state of a workflow, with its tasks and who made it."""

    workflow_id: str | None = None
    version_number: Int = None
    display_name: str | None = None
    description: str | None = None
    category: Open[WorkflowCategory] | None = None
    is_enabled: Bool = None
    is_scheduling_enabled: Bool = None
    created_date_time: Timestamp = None
    last_modified_date_time: Timestamp = None
    execution_conditions: dict[str, Any] | None = None
    tasks: list[WorkflowTask] | None = None
    created_by: WorkflowActor | None = None
    last_modified_by: WorkflowActor | None = None


class WorkflowRun(GraphEntity):
    """Graph `run`: one execution of a workflow, aggregating its users' processing results."""

    workflow_id: str | None = None
    processing_status: Open[LifecycleWorkflowProcessingStatus] | None = None
    workflow_execution_type: Open[WorkflowExecutionType] | None = None
    scheduled_date_time: Timestamp = None
    started_date_time: Timestamp = None
    completed_date_time: Timestamp = None
    last_updated_date_time: Timestamp = None
    total_users_count: Int = None
    successful_users_count: Int = None
    failed_users_count: Int = None
    total_tasks_count: Int = None
    failed_tasks_count: Int = None
    total_unprocessed_tasks_count: Int = None


class TaskProcessingResult(GraphEntity):
    """Graph `taskProcessingResult`: one task run for one user; `failureReason` says why it
    failed."""

    workflow_id: str | None = None
    run_id: str | None = None
    user_processing_result_id: str | None = None
    processing_status: Open[LifecycleWorkflowProcessingStatus] | None = None
    failure_reason: str | None = None
    created_date_time: Timestamp = None
    started_date_time: Timestamp = None
    completed_date_time: Timestamp = None
    subject: GraphEntity | None = None
    task: WorkflowTask | None = None


class UserProcessingResult(GraphEntity):
    """Graph `userProcessingResult`: a workflow run for one user (`subject`), over its tasks."""

    workflow_id: str | None = None
    run_id: str | None = None
    processing_status: Open[LifecycleWorkflowProcessingStatus] | None = None
    workflow_execution_type: Open[WorkflowExecutionType] | None = None
    workflow_version: Int = None
    scheduled_date_time: Timestamp = None
    started_date_time: Timestamp = None
    completed_date_time: Timestamp = None
    total_tasks_count: Int = None
    failed_tasks_count: Int = None
    total_unprocessed_tasks_count: Int = None
    subject: GraphEntity | None = None
    task_processing_results: list[TaskProcessingResult] | None = None


class TaskReport(GraphEntity):
    """Graph `taskReport`: one task of a run, over all the run's users."""

    workflow_id: str | None = None
    run_id: str | None = None
    processing_status: Open[LifecycleWorkflowProcessingStatus] | None = None
    successful_users_count: Int = None
    failed_users_count: Int = None
    unprocessed_users_count: Int = None
    total_users_count: Int = None
    started_date_time: Timestamp = None
    completed_date_time: Timestamp = None
    last_updated_date_time: Timestamp = None
    task: WorkflowTask | None = None
    task_definition: dict[str, Any] | None = None
