"""Skill `lifecycle_workflows`: the joiner, mover and leaver workflows and what they leave out,
what changed between a workflow's versions, and how its runs went (and why one failed for a
user)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import user_record
from idpilot.skills.builtin._workflow_runs import (
    FAILING,
    RunSummary,
    UserRun,
    run_summary,
    user_run,
)
from idpilot.skills.builtin._workflow_versions import (
    VersionComparison,
    compare_versions,
    describe_scope,
    describe_trigger,
)
from idpilot.skills.registry import SkillRegistry
from idpilot.skills.resolve import resolve
from idpilot.store import Store
from idpilot.store.directory import user_by_id
from idpilot.store.queries.settings import collections_present
from idpilot.store.queries.workflows import (
    lifecycle_workflows_by_category,
    task_processing_results,
    user_processing_results,
    workflow_runs,
    workflow_versions,
)

NAME = "lifecycle_workflows"
CATEGORIES = ("joiner", "mover", "leaver")
SHOWN = 10
"""Runs and user results shown at most (newest first)."""
RUN_COLLECTIONS = (Collection.workflow_runs, Collection.workflow_user_results)
FOLLOWUPS = {
    "list": ["Which users never signed in?", "Are there stale accounts?"],
    "versions": ["Did the workflow's runs fail since?", "Which lifecycle workflows do we have?"],
    "runs": [
        "What changed in this workflow's last version?",
        "Which lifecycle workflows do we have?",
    ],
}


class LifecycleWorkflowsInput(BaseModel):
    """Which workflows (categories, or a name), and what about them: the list, the changes
    between versions, or the runs (of one user, when named)."""

    categories: list[str] | None = slot(
        Slot.stated, "Workflow categories asked about: joiner, mover or leaver.", default=None
    )
    focus: Literal["list", "versions", "runs"] | None = slot(
        Slot.stated,
        "What is asked: the workflows (list), what changed between versions, or how runs went "
        "and why they failed (a named user implies runs).",
        default=None,
    )
    user: str | None = slot(Slot.user, "A user whose workflow runs to troubleshoot.", default=None)
    workflow: str | None = slot(
        Slot.stated, "A workflow's display name, or a part of it.", default=None
    )
    from_version: int | None = slot(
        Slot.stated, "The older version to compare (default: the one before the newer).",
        default=None,
    )  # fmt: skip
    to_version: int | None = slot(
        Slot.stated, "The newer version to compare (default: the latest).", default=None
    )
    window: TimeWindow | None = slot(
        Slot.time_window, "When the runs asked about were scheduled (runs only).", default=None
    )


class Workflow(SkillFacts):
    """A lifecycle workflow, and whether it runs by itself (enabled and scheduled)."""

    id: str
    displayName: str | None
    description: str | None
    category: str | None
    isEnabled: bool | None
    isSchedulingEnabled: bool | None
    createdDateTime: datetime | None
    lastModifiedDateTime: datetime | None
    version: str | None
    automated: bool
    trigger: str | None = None
    """When it runs for a user: the date attribute and offset, or the attributes watched."""
    scope: str | None = None
    """Whom it runs for: the scope rule (users it leaves out are outside the workflow)."""


class LifecycleWorkflowsFacts(SkillFacts):
    """The lifecycle workflows by category (joiner, mover, leaver), the categories no workflow
    automates, and, when asked, version comparisons or runs."""

    asked: list[str]
    categories: dict[str, list[Workflow]]
    total: int
    not_automated: list[str]
    focus: str = "list"
    workflow: str | None = None
    """The name asked about, when one was."""
    comparisons: list[VersionComparison] = Field(default_factory=list)
    single_version: list[str] = Field(default_factory=list)
    """Workflows of one version only: nothing to compare."""
    runs: list[RunSummary] = Field(default_factory=list)
    user_runs: list[UserRun] = Field(default_factory=list)
    user: str | None = None
    """The user whose runs were asked about."""
    user_id: str | None = None
    window: str = ""
    """The time the runs were asked for ('' for any time)."""
    outside_window: str = ""
    """The time asked, when the user's workflows ran only outside it (all their runs shown)."""
    missing: list[str] = Field(default_factory=list)
    """Collections the answer needs that the snapshot did not bring (never read as "none")."""


def lifecycle_workflows(store: Store, params: LifecycleWorkflowsInput) -> SkillResult:
    """List lifecycle workflows by category, compare their versions, or troubleshoot runs."""
    asked = [c for c in CATEGORIES if c in (params.categories or [])]
    result = SkillResult(skill=NAME)
    user = None
    if params.user:
        resolution = resolve(store, params.user, "user")
        if resolution.match is None:
            return resolution.unresolved(NAME, "user")
        user = resolution.match
        row = user_by_id(store, user.id) or {"id": user.id, "displayName": user.label}
        result.add_evidence(user_record(row))
    wanted = (params.workflow or "").strip().lower()
    by_category: dict[str, list[dict[str, Any]]] = {}
    for row in lifecycle_workflows_by_category(store):
        category = row["category"] or "unknown"
        if asked and category not in asked:
            continue
        if wanted and wanted not in str(row["displayName"] or "").lower():
            continue
        conditions = row.pop("executionConditions", None)
        conditions = json.loads(conditions) if isinstance(conditions, str) else conditions
        row["trigger"], row["scope"] = describe_trigger(conditions), describe_scope(conditions)
        result.add_evidence(_workflow_record(row))
        row["automated"] = bool(row["isEnabled"] and row["isSchedulingEnabled"])
        by_category.setdefault(category, []).append(row)
    not_automated = [
        c for c in (asked or CATEGORIES) if not any(w["automated"] for w in by_category.get(c, []))
    ]
    focus = params.focus or ("runs" if user else "list")
    facts = LifecycleWorkflowsFacts(
        asked=asked,
        categories=by_category,
        total=sum(len(v) for v in by_category.values()),
        not_automated=not_automated,
        focus=focus,
        workflow=params.workflow,
        user=user.label if user else None,
        user_id=user.id if user else None,
        window=(params.window.phrase or "in the time asked") if params.window else "",
    )
    names = {w["id"]: w["displayName"] for ws in by_category.values() for w in ws}
    if focus == "versions":
        _compare(store, result, facts, names, params)
    elif focus == "runs":
        _troubleshoot(store, result, facts, names, user.id if user else None, params.window)
    result.facts = facts
    if focus == "list" and "leaver" in not_automated and not wanted:
        result.next_steps.append(
            NextStep(
                action="Automate leavers: an enabled, scheduled leaver workflow that disables the "
                "account, removes group memberships and licences, and revokes sessions on the "
                "last working day (stale accounts are a common way in).",
                evidence_ids=[w["id"] for w in by_category.get("leaver", [])],
            )
        )
    result.followups = FOLLOWUPS[focus]
    return result


def _within(rows: list[dict[str, Any]], window: TimeWindow | None) -> list[dict[str, Any]]:
    """The runs or results scheduled (else started) inside `window`; all of them without one."""
    if window is None:
        return rows
    kept = []
    for row in rows:
        when = row.get("scheduledDateTime") or row.get("startedDateTime")
        if isinstance(when, datetime) and window.start <= when < window.end:
            kept.append(row)
    return kept


def _workflow_record(row: dict[str, Any]) -> Record:
    return Record(
        kind="workflow",
        id=row["id"],
        label=f"lifecycle workflow {row['displayName']}",
        fields={
            k: row[k]
            for k in (
                "displayName",
                "category",
                "isEnabled",
                "isSchedulingEnabled",
                "version",
                "trigger",
                "scope",
            )
            if row[k] is not None
        },
    )


def _compare(
    store: Store,
    result: SkillResult,
    facts: LifecycleWorkflowsFacts,
    names: dict[str, str],
    params: LifecycleWorkflowsInput,
) -> None:
    """Each asked workflow's newer version against the older one (default: the last two)."""
    if Collection.workflow_versions not in collections_present(
        store, [Collection.workflow_versions]
    ):
        facts.missing.append(Collection.workflow_versions.value)
        return
    versions: dict[str, list[dict[str, Any]]] = {}
    for row in workflow_versions(store, list(names)):
        versions.setdefault(row["workflowId"], []).append(row)
    for workflow_id, name in names.items():
        rows = versions.get(workflow_id, [])
        by_number = {row["versionNumber"]: row for row in rows}
        newer = by_number.get(params.to_version) if params.to_version else (rows or [None])[-1]
        if newer is None:
            continue
        older_number = params.from_version or (newer["versionNumber"] or 0) - 1
        older = by_number.get(older_number)
        if older is None or older is newer:
            facts.single_version.append(name)
            continue
        comparison = compare_versions(workflow_id, name, len(rows), older, newer)
        facts.comparisons.append(comparison)
        for row, ref in ((older, comparison.older), (newer, comparison.newer)):
            changes = [f"{c.change} {c.task}: {'; '.join(c.changes)}" for c in comparison.tasks]
            changes += [f"{c.part}: {c.before} → {c.after}" for c in comparison.conditions]
            result.add_evidence(
                Record(
                    kind="workflowVersion",
                    id=row["id"],
                    label=f"{name} version {row['versionNumber']}",
                    detail=f"made by {ref.created_by}" if ref.created_by else "",
                    fields=_present(
                        {
                            "versionNumber": row["versionNumber"],
                            "createdDateTime": row["createdDateTime"],
                            "lastModifiedDateTime": row["lastModifiedDateTime"],
                            "createdBy": ref.created_by,
                            "lastModifiedBy": ref.modified_by,
                            "changes": changes if row is newer else None,
                        }
                    ),
                )
            )


def _troubleshoot(
    store: Store,
    result: SkillResult,
    facts: LifecycleWorkflowsFacts,
    names: dict[str, str],
    user_id: str | None,
    window: TimeWindow | None = None,
) -> None:
    """The runs (and a user's processing results), of `window` when given: failures first
    traced to the failed task, its failureReason and the version change behind it."""
    present = collections_present(store, [*RUN_COLLECTIONS, Collection.workflow_versions])
    missing = [c.value for c in RUN_COLLECTIONS if c not in present]
    if missing:
        facts.missing.extend(missing)
        return
    ids = list(names)
    if user_id is None:
        for run in _within(workflow_runs(store, ids), window)[:SHOWN]:
            summary = run_summary(run, names)
            facts.runs.append(summary)
            result.add_evidence(_run_record(summary))
    every = user_processing_results(store, ids, user_id)
    results = _within(every, window)
    if user_id is not None and window is not None and not results and every:
        # "He starts on Monday and the pre-boarding failed": a pre-hire workflow runs days
        # before the start the admin dates; none in that window, so his runs at any time.
        facts.outside_window = facts.window
        facts.window = ""
        results = every
    if user_id is None:
        results = [r for r in results if r["processingStatus"] in FAILING]
    results = results[:SHOWN]
    tasks: dict[str, list[dict[str, Any]]] = {}
    for row in task_processing_results(store, [r["id"] for r in results]):
        tasks.setdefault(row["userProcessingResultId"], []).append(row)
    versions: dict[str, list[dict[str, Any]]] = {}
    if Collection.workflow_versions in present:
        for row in workflow_versions(store, ids):
            versions.setdefault(row["workflowId"], []).append(row)
    for row in results:
        run = user_run(row, tasks.get(row["id"], []), names, versions.get(row["workflowId"], []))
        facts.user_runs.append(run)
        _cite_user_run(result, run)
    if any(f.failed or f.status in FAILING for f in facts.user_runs):
        result.next_steps.append(
            NextStep(
                action="Fix what the failure reason names, then rerun the workflow on demand "
                "for the users it failed for (Lifecycle workflows > the workflow > Run on demand).",
                evidence_ids=[f.id for run in facts.user_runs for f in run.failed],
            )
        )


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields that have a value (evidence leaves out what a record does not say)."""
    return {k: v for k, v in fields.items() if v is not None}


def _run_record(run: RunSummary) -> Record:
    return Record(
        kind="run",
        id=run.id,
        label=f"run of {run.workflow}",
        fields=_present(
            {
                "processingStatus": run.status,
                "workflowExecutionType": run.execution_type,
                "scheduledDateTime": run.scheduled,
                "totalUsersCount": run.total_users,
                "successfulUsersCount": run.successful_users,
                "failedUsersCount": run.failed_users,
                "failedTasksCount": run.failed_tasks,
            }
        ),
    )


def _cite_user_run(result: SkillResult, run: UserRun) -> None:
    result.add_evidence(
        Record(
            kind="userProcessingResult",
            id=run.id,
            label=f"{run.workflow} for {run.user}",
            fields=_present(
                {
                    "subject": run.user,
                    "subjectUserPrincipalName": run.upn,
                    "processingStatus": run.status,
                    "workflowVersion": run.version,
                    "scheduledDateTime": run.scheduled,
                    "totalTasksCount": run.total_tasks,
                    "failedTasksCount": run.failed_tasks,
                    "totalUnprocessedTasksCount": run.unprocessed_tasks,
                    "tasksNotRun": run.not_run or None,
                }
            ),
        )
    )
    for failed in run.failed:
        result.add_evidence(
            Record(
                kind="taskProcessingResult",
                id=failed.id,
                label=f"{failed.task} for {run.user}",
                fields=_present(
                    {
                        "processingStatus": "failed",
                        "failureReason": failed.failure_reason,
                        "arguments": failed.arguments or None,
                        "continueOnError": failed.continue_on_error,
                    }
                ),
            )
        )
        if failed.changed_in is not None and failed.change is not None:
            result.add_evidence(
                Record(
                    kind="workflowVersion",
                    id=failed.changed_in.id,
                    label=f"{run.workflow} version {failed.changed_in.number}",
                    detail=f"made by {failed.changed_in.created_by}"
                    if failed.changed_in.created_by
                    else "",
                    fields=_present(
                        {
                            "versionNumber": failed.changed_in.number,
                            "createdDateTime": failed.changed_in.created,
                            "createdBy": failed.changed_in.created_by,
                            "changes": [
                                f"{failed.change.change} {failed.change.task}",
                                *failed.change.changes,
                            ],
                        }
                    ),
                )
            )


def register(registry: SkillRegistry) -> None:
    """Register `lifecycle_workflows`."""
    registry.add(
        define_skill(
            lifecycle_workflows,
            name=NAME,
            facts=LifecycleWorkflowsFacts,
            reads=(Collection.lifecycle_workflows,),
            keywords={
                "lifecycle": 4.0,
                "workflow": 3.0,
                "workflows": 3.0,
                "onboarding": 2.5,
                "offboarding": 2.5,
                "joiner": 2.5,
                "leaver": 2.5,
                "mover": 2.5,
                "joiners": 2.5,
                "leavers": 2.5,
                "movers": 2.5,
            },
        )
    )
