"""A sync reads each lifecycle workflow's history under it: versions, runs (paged), task
reports, each run's user processing results and each of those's task processing results, 20
parents to a `$batch`, every record given the ids of the workflow and run it was listed under."""

from __future__ import annotations

from pathlib import Path

import pytest

from idpilot.model.collections import Collection
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.sync.graph_client import SyncError
from tests.sync.graph_server import WORKFLOWS, FakeGraph, Faults, LoopbackGraph, TenantShape
from tests.sync.helpers import Killed, kill_after, lines, run_sync

SHAPE = TenantShape(users=50, groups=2, service_principals=3, sign_ins=10, audits=10)
HISTORY = (
    Collection.lifecycle_workflows,
    Collection.workflow_versions,
    Collection.workflow_runs,
    Collection.workflow_task_reports,
    Collection.workflow_user_results,
    Collection.workflow_task_results,
)
# The documented examples the loopback Graph serves under each parent.
VERSIONS, RUNS, REPORTS, USER_RESULTS, TASK_RESULTS = 3, 2, 4, 2, 2


def _file(out: Path, collection: Collection) -> list[dict]:
    return lines(out / f"{collection.value}.jsonl")


def test_every_workflow_s_history_is_read_and_tied_to_its_parents(tmp_path: Path) -> None:
    graph = FakeGraph(SHAPE)
    with LoopbackGraph(graph) as server:
        report = run_sync(server.base_url, tmp_path, collections=HISTORY)
    assert not report.unavailable
    workflows = {w["id"] for w in _file(tmp_path, Collection.lifecycle_workflows)}
    assert len(workflows) == 6
    versions = _file(tmp_path, Collection.workflow_versions)
    assert len(versions) == len(workflows) * VERSIONS
    assert {v["workflowId"] for v in versions} == workflows
    runs = _file(tmp_path, Collection.workflow_runs)
    assert len(runs) == len({r["id"] for r in runs}) == len(workflows) * RUNS
    assert {r["workflowId"] for r in runs} == workflows
    run_ids = {r["id"]: r["workflowId"] for r in runs}
    reports = _file(tmp_path, Collection.workflow_task_reports)
    assert len(reports) == len(workflows) * REPORTS
    assert all(run_ids[r["runId"]] == r["workflowId"] for r in reports)
    user_results = _file(tmp_path, Collection.workflow_user_results)
    assert len(user_results) == len(runs) * USER_RESULTS
    assert all(run_ids[u["runId"]] == u["workflowId"] for u in user_results)
    tasks = _file(tmp_path, Collection.workflow_task_results)
    assert len(tasks) == len({t["id"] for t in tasks}) == len(user_results) * TASK_RESULTS
    by_user_result = {u["id"]: u for u in user_results}
    for task in tasks:
        parent = by_user_result[task["userProcessingResultId"]]
        assert (task["runId"], task["workflowId"]) == (parent["runId"], parent["workflowId"])
    # runs come one to a page: each workflow's second page followed by its nextLink
    followed = [p for _, p, _ in graph.requests if p.split("?")[0].endswith("/runs")]
    assert len(followed) == len(workflows) and all("$skiptoken=" in p for p in followed)
    # the lists are asked 20 parents to a $batch
    assert all(len(b) <= 20 for b in graph.batches)
    assert sum(len(b) for b in graph.batches if b[0].endswith("/taskProcessingResults")) == len(
        user_results
    )
    assert report.counts[Collection.workflow_task_results.value] == len(tasks)


def test_the_synced_history_ingests_into_the_store(tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    with LoopbackGraph(FakeGraph(SHAPE)) as server:
        run_sync(server.base_url, out, collections=HISTORY)
    store = Store.open(tmp_path / "synced.duckdb")
    try:
        ingest_folder(store, out)
        runs = store.scalar(
            "SELECT count(*) FROM lifecycleWorkflowRuns WHERE workflowId IS NOT NULL"
        )
        tasks = store.scalar(
            "SELECT count(*) FROM lifecycleWorkflowTaskProcessingResults "
            "WHERE workflowId IS NOT NULL AND runId IS NOT NULL "
            "AND userProcessingResultId IS NOT NULL"
        )
        versions = store.scalar("SELECT count(DISTINCT id) FROM lifecycleWorkflowVersions")
    finally:
        store.close()
    assert (runs, versions) == (6 * RUNS, 6 * VERSIONS)
    assert tasks == 6 * RUNS * USER_RESULTS * TASK_RESULTS


def test_a_refused_run_list_names_the_permission_and_its_children_are_refused_too(
    tmp_path: Path,
) -> None:
    error = {"code": "Authorization_RequestDenied", "message": "Insufficient privileges"}
    graph = FakeGraph(SHAPE)
    with LoopbackGraph(graph) as server:
        run_sync(server.base_url, tmp_path, collections=HISTORY[:1])
        workflow = lines(tmp_path / "lifecycleWorkflows.jsonl")[0]["id"]
        graph.faults = Faults(forbidden={f"{WORKFLOWS}/{workflow}/runs": error})
        report = run_sync(server.base_url, tmp_path / "again", collections=HISTORY)
    refused = report.unavailable
    assert set(refused) == {
        Collection.workflow_runs.value,
        Collection.workflow_user_results.value,
        Collection.workflow_task_results.value,
    }
    assert "LifecycleWorkflows.Read.All" in str(refused[Collection.workflow_runs.value])
    assert report.counts[Collection.workflow_versions.value] == 6 * VERSIONS
    assert not (tmp_path / "again" / "lifecycleWorkflowRuns.jsonl").exists()


def test_a_killed_history_sync_resumes_with_every_record_once(tmp_path: Path) -> None:
    graph = FakeGraph(SHAPE)
    with LoopbackGraph(graph) as server:
        with pytest.raises(Killed):
            run_sync(server.base_url, tmp_path, collections=HISTORY, hook=kill_after(4))
        run_sync(server.base_url, tmp_path, collections=HISTORY)
    for collection in HISTORY[2:]:
        records = _file(tmp_path, collection)
        assert len(records) == len({r["id"] for r in records}), collection
    assert len(_file(tmp_path, Collection.workflow_task_results)) == 6 * RUNS * USER_RESULTS * (
        TASK_RESULTS
    )


def test_a_list_whose_parent_is_neither_read_now_nor_before_is_refused_plainly(
    tmp_path: Path,
) -> None:
    with LoopbackGraph(FakeGraph(SHAPE)) as server, pytest.raises(SyncError) as raised:
        run_sync(server.base_url, tmp_path, collections=(Collection.workflow_runs,))
    assert "sync lifecycleWorkflows too" in str(raised.value)


def test_a_parent_synced_earlier_is_read_from_its_snapshot_file(tmp_path: Path) -> None:
    with LoopbackGraph(FakeGraph(SHAPE)) as server:
        run_sync(server.base_url, tmp_path, collections=HISTORY[:1])
        report = run_sync(server.base_url, tmp_path, collections=(Collection.workflow_runs,))
    assert report.counts[Collection.workflow_runs.value] == 6 * RUNS
