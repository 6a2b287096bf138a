"""lifecycle_workflows on Graph's published example and on an empty tenant."""

from __future__ import annotations

import json
from pathlib import Path

from idpilot.copilot.understanding.stated import read_stated
from idpilot.skills import default_registry
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.conftest import DemoTenant
from tests.helpers import snapshot_from_examples


def _run(store: Store, question: str):
    stated = read_stated(store, question)
    return default_registry().get("lifecycle_workflows").run(store, stated.values)


def test_published_example_shows_what_runs_automatically(tmp_path: Path, store: Store) -> None:
    folder = snapshot_from_examples(
        tmp_path / "snap",
        {"workflow.list.json": "lifecycleWorkflows.json", "user.list.json": "users.json"},
    )
    ingest_folder(store, folder)
    result = _run(store, "which lifecycle workflows do we have?")
    assert result.facts.total == 6
    joiners = [w.displayName for w in result.facts.categories["joiner"] if w.automated]
    assert joiners == ["Global new hire", "Global pre hire"]
    # Both published leaver workflows have scheduling off: nothing runs them automatically.
    assert result.facts.not_automated == ["mover", "leaver"]
    assert result.next_steps


def test_a_category_in_the_question_narrows_the_answer(store: Store) -> None:
    result = _run(store, "is offboarding automated?")
    assert result.facts.asked == ["leaver"] and result.facts.total == 0
    assert result.facts.not_automated == ["leaver"]


def _skill():
    return default_registry().get("lifecycle_workflows")


def _rendered(result) -> str:
    from idpilot.copilot.composer import CitationBook, compose

    return compose(result, CitationBook(result.evidence))


PUBLISHED_WORKFLOW = {
    "id": "156ce798-1eb6-4e0a-8515-e79f54d04390",
    "category": "joiner",
    "displayName": "Global onboard new hire employee",
    "isEnabled": True,
    "isSchedulingEnabled": True,
}
RUNS_WORKFLOW = {
    "id": "14879e66-9ea9-48d0-804d-8fea672d0341",
    "category": "joiner",
    "displayName": "Onboard new hire employee",
    "isEnabled": True,
    "isSchedulingEnabled": False,
}


def _published_history(tmp_path: Path, store: Store) -> None:
    folder = snapshot_from_examples(
        tmp_path / "snap",
        {
            "workflowVersion.list.json": "lifecycleWorkflowVersions.json",
            "run.list.json": "lifecycleWorkflowRuns.json",
            "userProcessingResult.list.json": "lifecycleWorkflowUserProcessingResults.json",
            "taskProcessingResult.list.json": "lifecycleWorkflowTaskProcessingResults.json",
        },
    )
    (folder / "lifecycleWorkflows.json").write_text(
        json.dumps({"value": [PUBLISHED_WORKFLOW, RUNS_WORKFLOW]})
    )
    ingest_folder(store, folder)


def test_published_versions_compare_the_last_two(tmp_path: Path, store: Store) -> None:
    _published_history(tmp_path, store)
    result = _skill().run(store, {"focus": "versions", "workflow": "global onboard"})
    [comparison] = result.facts.comparisons
    assert (comparison.older.number, comparison.newer.number, comparison.versions) == (2, 3, 3)
    assert comparison.settings == [
        "displayName: Onboard new hire employee → Global onboard new hire employee",
        "isSchedulingEnabled: false → true",
    ]
    assert not comparison.tasks  # the published versions list their tasks only when expanded
    asked = _skill().run(store, {"focus": "versions", "workflow": "global", "from_version": 1})
    assert asked.facts.comparisons[0].older.number == 1
    assert "isSchedulingEnabled: false → true" in _rendered(result)


def test_published_runs_show_no_failure(tmp_path: Path, store: Store) -> None:
    _published_history(tmp_path, store)
    result = _skill().run(store, {"focus": "runs"})
    assert [r.id for r in result.facts.runs] == [
        "a512bb50-3423-4bdc-ad5e-9731095b3b9a",
        "dad77a47-6eda-4de7-bc37-fe8eb5aaf17d",
    ]
    assert result.facts.user_runs == [] and not result.facts.missing
    assert "No user's processing failed" in _rendered(result)


def test_without_versions_or_runs_in_the_snapshot_the_answer_says_so(
    tmp_path: Path, store: Store
) -> None:
    folder = snapshot_from_examples(
        tmp_path / "snap",
        {"workflow.list.json": "lifecycleWorkflows.json", "user.list.json": "users.json"},
    )
    ingest_folder(store, folder)
    versions = _skill().run(store, {"focus": "versions"})
    assert versions.facts.missing == ["lifecycleWorkflowVersions"]
    runs = _skill().run(store, {"focus": "runs"})
    assert runs.facts.missing == ["lifecycleWorkflowRuns", "lifecycleWorkflowUserProcessingResults"]
    assert "cannot say how the runs went" in _rendered(runs)
    assert not runs.facts.runs and not runs.facts.user_runs
    # Asked about a person, the answer names and cites them (a grounded answer, not withheld).
    user = store.query("SELECT id, displayName FROM users LIMIT 1")[0]
    for_user = _skill().run(store, {"user": user["id"]})
    assert f"for {user['displayName']} [" in _rendered(for_user)
    assert any(e.kind == "user" and e.fields["displayName"] == user["displayName"]
               for e in for_user.evidence)  # fmt: skip


def _version_rows(store: Store) -> dict[tuple[str, int], dict]:
    rows = store.query(
        "SELECT workflowId, versionNumber, tasks, createdBy FROM lifecycleWorkflowVersions"
    )
    return {(row["workflowId"], row["versionNumber"]): row for row in rows}


def test_demo_version_comparison_names_the_change_and_its_author(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    rows = _version_rows(store)
    result = _skill().run(store, {"focus": "versions", "categories": ["joiner"]})
    assert result.facts.comparisons
    for comparison in result.facts.comparisons:
        newer = rows[(comparison.workflow_id, comparison.newer.number)]
        older = rows[(comparison.workflow_id, comparison.older.number)]
        assert comparison.older.number == comparison.newer.number - 1
        assert comparison.newer.created_by == newer["createdBy"]["displayName"]
        for change in comparison.tasks:
            before = {t["taskDefinitionId"]: t for t in older["tasks"]}
            after = {t["taskDefinitionId"]: t for t in newer["tasks"]}
            assert (change.definition_id in before) == (change.change != "added")
            assert (change.definition_id in after) == (change.change != "removed")
    changed_arguments = [
        line for c in result.facts.comparisons for t in c.tasks for line in t.changes
        if line.startswith("argument ")
    ]  # fmt: skip
    assert changed_arguments, "the demo plants an argument change in a joiner workflow"


def test_demo_failed_run_is_traced_to_its_task_reason_and_version(
    demo_tenant: DemoTenant,
) -> None:
    store = demo_tenant.store
    [failure] = store.query(
        "SELECT r.subjectId, r.workflowVersion, t.id, t.failureReason "
        "FROM lifecycleWorkflowUserProcessingResults r "
        "JOIN lifecycleWorkflowTaskProcessingResults t ON t.userProcessingResultId = r.id "
        "WHERE t.processingStatus = 'failed' ORDER BY r.scheduledDateTime DESC LIMIT 1"
    )
    result = _skill().run(store, {"user": failure["subjectId"]})
    assert result.facts.focus == "runs" and result.facts.user_id == failure["subjectId"]
    [failed_run] = [r for r in result.facts.user_runs if r.failed]
    [task] = failed_run.failed
    assert (task.id, task.failure_reason) == (failure["id"], failure["failureReason"])
    assert failed_run.version == failure["workflowVersion"]
    assert task.changed_in is not None and task.changed_in.number == failure["workflowVersion"]
    assert failed_run.not_run  # the failed task does not continue on error
    text = _rendered(result)
    assert failure["failureReason"] in text and task.changed_in.created_by in text
    cited = {record.id for record in result.evidence}
    assert {failure["id"], failed_run.id, task.changed_in.id, failure["subjectId"]} <= cited


def test_runs_of_a_user_with_none_are_empty(demo_tenant: DemoTenant) -> None:
    alice = demo_tenant.answer_key["personas"]["alice_johnson"]["id"]
    result = _skill().run(demo_tenant.store, {"user": alice, "categories": ["joiner"]})
    assert result.facts.user_runs == [] and not result.facts.missing
    assert "No joiner workflow ran for" in _rendered(result)


def test_an_unknown_user_is_not_found(demo_tenant: DemoTenant) -> None:
    result = _skill().run(demo_tenant.store, {"user": "Nobody Atall Zzyzx"})
    assert result.status == "notFound"


def test_the_list_says_whom_each_workflow_runs_for_and_when(tmp_path: Path, store: Store) -> None:
    """The scope rule and trigger, in Graph's documented triggerAndScopeBasedConditions shape:
    users the rule leaves out are not covered, and the answer says so."""
    conditions = {
        "@odata.type": "#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions",
        "scope": {
            "@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet",
            "rule": "(department ne 'Field Service')",
        },
        "trigger": {
            "@odata.type": "#microsoft.graph.identityGovernance.timeBasedAttributeTrigger",
            "timeBasedAttribute": "employeeLeaveDateTime",
            "offsetInDays": 0,
        },
    }
    leaver = {**PUBLISHED_WORKFLOW, "category": "leaver", "executionConditions": conditions}
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "lifecycleWorkflows.json").write_text(json.dumps({"value": [leaver]}))
    ingest_folder(store, tmp_path / "snap")
    result = _run(store, "do our leaver workflows cover everybody?")
    [listed] = result.facts.categories["leaver"]
    assert listed.scope == "(department ne 'Field Service')"
    assert listed.trigger == "employeeLeaveDateTime, offset 0 days"
    text = _rendered(result).replace("\\", "")
    assert "scope: `(department ne 'Field Service')`" in text
    assert "not covered" in text


def test_runs_asked_for_a_time_are_those_scheduled_in_it(demo_tenant: DemoTenant) -> None:
    """Runs and failures of one week only; a named user whose runs fall outside the time asked
    gets them all, with the time said (a pre-hire workflow runs before the start date)."""
    from datetime import datetime, timedelta

    store = demo_tenant.store
    rows = store.con.execute(
        "SELECT scheduledDateTime, subjectId FROM lifecycleWorkflowUserProcessingResults "
        "WHERE processingStatus = 'failed' ORDER BY scheduledDateTime"
    ).fetchall()
    assert len(rows) >= 2  # failures on different days: the window has work to do
    first, subject = rows[0]
    day = datetime(first.year, first.month, first.day, tzinfo=first.tzinfo)
    window = {"start": day.isoformat(), "end": (day + timedelta(days=1)).isoformat(),
              "phrase": "that day"}  # fmt: skip
    result = _skill().run(store, {"focus": "runs", "window": window})
    assert [r.user_id for r in result.facts.user_runs] == [subject]
    assert all(day <= r.scheduled < day + timedelta(days=1) for r in result.facts.runs)
    assert "Runs in that day" in _rendered(result)
    later = rows[-1][1]
    if later != subject:
        outside = _skill().run(store, {"user": later, "window": window})
        assert outside.facts.outside_window == "that day"
        assert outside.facts.user_runs  # all of that user's runs, the time said
