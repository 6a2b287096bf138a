"""Workflow versions and runs: Graph's published examples land linked to their workflow and run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idpilot.errors import SnapshotError
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.helpers import snapshot_from_examples

EXAMPLES = {
    "workflowVersion.list.json": "lifecycleWorkflowVersions.json",
    "run.list.json": "lifecycleWorkflowRuns.json",
    "userProcessingResult.list.json": "lifecycleWorkflowUserProcessingResults.json",
    "taskProcessingResult.list.json": "lifecycleWorkflowTaskProcessingResults.json",
    "taskReport.list.json": "lifecycleWorkflowTaskReports.json",
}
WORKFLOW = "14879e66-9ea9-48d0-804d-8fea672d0341"
RUN = "dad77a47-6eda-4de7-bc37-fe8eb5aaf17d"


def test_published_examples_land_with_their_parents(tmp_path: Path, store: Store) -> None:
    report = ingest_folder(store, snapshot_from_examples(tmp_path / "snap", EXAMPLES))
    assert not report.warnings
    versions = store.con.execute(
        "SELECT id, workflowId, versionNumber FROM lifecycleWorkflowVersions ORDER BY id"
    ).fetchall()
    owner = "156ce798-1eb6-4e0a-8515-e79f54d04390"
    assert versions == [(f"{owner}/versions/{n}", owner, n) for n in (1, 2, 3)]
    assert store.con.execute(
        "SELECT DISTINCT workflowId FROM lifecycleWorkflowRuns"
    ).fetchall() == [(WORKFLOW,)]
    users = store.con.execute(
        "SELECT workflowId, runId, subjectId FROM lifecycleWorkflowUserProcessingResults "
        "ORDER BY subjectId"
    ).fetchall()
    assert users == [
        (WORKFLOW, RUN, "8cdf25a8-c9d2-423e-a03d-3f39f03c3e97"),
        (WORKFLOW, RUN, "ea09ac2e-77e3-4134-85f2-25ccf3c33387"),
    ]
    tasks = store.con.execute(
        "SELECT DISTINCT workflowId, runId, userProcessingResultId, subjectId "
        "FROM lifecycleWorkflowTaskProcessingResults"
    ).fetchall()
    assert tasks == [
        (
            WORKFLOW,
            RUN,
            "78b83505-6967-4168-a7ea-4921c0543ce9",
            "ea09ac2e-77e3-4134-85f2-25ccf3c33387",
        )
    ]
    # A task report names its run itself; only the workflow comes from the context.
    reports = store.con.execute(
        "SELECT runId, count(*) FROM lifecycleWorkflowTaskReports WHERE workflowId = ? "
        "GROUP BY runId ORDER BY runId",
        [WORKFLOW],
    ).fetchall()
    assert reports == [("a512bb50-3423-4bdc-ad5e-9731095b3b9a", 2), (RUN, 2)]


def test_a_record_naming_its_parent_keeps_it(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    run = {"id": "r1", "workflowId": "w-named", "processingStatus": "failed"}
    (folder / "lifecycleWorkflowRuns.jsonl").write_text(json.dumps(run) + "\n")
    page = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/"
        "lifecycleWorkflows/workflows('w-context')/runs",
        "value": [{"id": "r2", "workflowId": "w-own"}, {"id": "r3"}],
    }
    (folder / "lifecycleWorkflowRuns.2.json").write_text(json.dumps(page))
    ingest_folder(store, folder)
    rows = store.con.execute(
        "SELECT id, workflowId FROM lifecycleWorkflowRuns ORDER BY id"
    ).fetchall()
    assert rows == [("r1", "w-named"), ("r2", "w-own"), ("r3", "w-context")]


def test_a_version_with_no_workflow_to_key_it_is_refused(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "lifecycleWorkflowVersions.json").write_text(
        json.dumps({"value": [{"versionNumber": 1, "displayName": "orphan"}]})
    )
    with pytest.raises(SnapshotError, match="names the workflow"):
        ingest_folder(store, folder)


def test_a_run_naming_no_workflow_is_kept_with_a_warning(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "lifecycleWorkflowRuns.json").write_text(json.dumps({"value": [{"id": "r1"}]}))
    report = ingest_folder(store, folder)
    assert report.warnings == [
        "1 lifecycleWorkflowRuns name no workflow (no workflowId, and no @odata.context naming "
        "one): kept, but not tied to a workflow"
    ]
    assert store.con.execute("SELECT id, workflowId FROM lifecycleWorkflowRuns").fetchall() == [
        ("r1", None)
    ]
