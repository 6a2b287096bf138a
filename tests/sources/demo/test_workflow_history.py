"""The demo's workflow versions and runs follow Microsoft's documented semantics."""

from __future__ import annotations

import re

import orjson

from tests.sources.demo.conftest import Snapshot

PARENT = re.compile(r"workflows\('([^']+)'\)(?:/runs\('([^']+)'\))?")


def _pages(demo: Snapshot, name: str) -> list[tuple[str, str | None, list[dict]]]:
    """(workflow id, run id, records) of each list response of `name`."""
    pages = orjson.loads((demo.path / f"{name}.json").read_bytes())
    found = []
    for page in pages:
        match = PARENT.search(page["@odata.context"])
        assert match, page["@odata.context"]
        found.append((match.group(1), match.group(2), page["value"]))
    return found


def test_versions_are_numbered_and_the_last_is_the_workflow(demo: Snapshot) -> None:
    workflows = demo.by_id("lifecycleWorkflows")
    versions = _pages(demo, "lifecycleWorkflowVersions")
    assert {workflow_id for workflow_id, _, _ in versions} == set(workflows)
    for workflow_id, _, items in versions:
        workflow = workflows[workflow_id]
        numbers = [v["versionNumber"] for v in items]
        assert numbers == list(range(1, workflow["version"] + 1))
        for version in items:
            assert version["tasks"] and version["createdBy"]["id"] in demo.by_id("users")
            sequences = [t["executionSequence"] for t in version["tasks"]]
            assert sequences == list(range(1, len(sequences) + 1))
        assert items[-1]["tasks"] == workflow["tasks"]
        assert items[-1]["executionConditions"] == workflow["executionConditions"]
        dates = [v["createdDateTime"] for v in items]
        assert dates == sorted(dates)


def test_a_runs_counts_are_its_user_results(demo: Snapshot) -> None:
    results: dict[str, list[dict]] = {}
    for _, run_id, items in _pages(demo, "lifecycleWorkflowUserProcessingResults"):
        results.setdefault(run_id or "", []).extend(items)
    runs = [run for _, _, items in _pages(demo, "lifecycleWorkflowRuns") for run in items]
    assert runs and {run["id"] for run in runs} == set(results)
    for run in runs:
        users = results[run["id"]]
        completed = [u for u in users if u["processingStatus"] == "completed"]
        assert run["totalUsersCount"] == len(users)
        assert run["successfulUsersCount"] == len(completed)
        assert run["failedUsersCount"] == len(users) - len(completed)
        assert run["totalTasksCount"] == sum(u["totalTasksCount"] for u in users)
        assert run["failedTasksCount"] == sum(u["failedTasksCount"] for u in users)


def test_task_results_count_into_their_user_result_and_failures_say_why(demo: Snapshot) -> None:
    users = demo.by_id("lifecycleWorkflowUserProcessingResults")
    tasks: dict[str, list[dict]] = {}
    pages = orjson.loads((demo.path / "lifecycleWorkflowTaskProcessingResults.json").read_bytes())
    for page in pages:
        user_result = re.search(r"userProcessingResults\('([^']+)'\)", page["@odata.context"])
        assert user_result
        tasks.setdefault(user_result.group(1), []).extend(page["value"])
    assert set(tasks) == set(users)
    failed_somewhere = False
    for result_id, items in tasks.items():
        user = users[result_id]
        failed = [t for t in items if t["processingStatus"] == "failed"]
        assert user["totalTasksCount"] == len(items)
        assert user["failedTasksCount"] == len(failed)
        assert all(t["subject"] == user["subject"] for t in items)
        assert all(t["failureReason"] for t in failed)
        assert not any(t["failureReason"] for t in items if t not in failed)
        if failed:
            failed_somewhere = True
            assert user["processingStatus"] in ("failed", "completedWithErrors")
    assert failed_somewhere


def test_the_failed_pass_asks_more_than_the_policy_allows(demo: Snapshot) -> None:
    [policy] = demo.collections["authenticationMethodsPolicy"]
    [tap] = [
        m for m in policy["authenticationMethodConfigurations"] if m["id"] == "TemporaryAccessPass"
    ]
    failures = [
        t
        for t in demo.collections["lifecycleWorkflowTaskProcessingResults"]
        if t["processingStatus"] == "failed"
    ]
    for failure in failures:
        arguments = {a["name"]: a["value"] for a in failure["task"]["arguments"]}
        assert int(arguments["tapLifetimeMinutes"]) > tap["maximumLifetimeInMinutes"]
        assert str(tap["maximumLifetimeInMinutes"]) in failure["failureReason"]


def test_the_answer_key_names_each_failure_as_the_files_hold_it(demo: Snapshot) -> None:
    findings = demo.key["workflow_findings"]
    failed = [
        t
        for t in demo.collections["lifecycleWorkflowTaskProcessingResults"]
        if t["processingStatus"] == "failed"
    ]
    assert findings and len(findings) == len(failed)
    users = demo.by_id("users")
    results = demo.by_id("lifecycleWorkflowUserProcessingResults")
    for finding in findings:
        result = results[finding["userProcessingResultId"]]
        assert result["subject"]["id"] == finding["userId"]
        assert users[finding["userId"]]["userPrincipalName"] == finding["userPrincipalName"]
        assert result["workflowVersion"] == finding["workflowVersion"]
        assert finding["failureReason"] in {t["failureReason"] for t in failed}
