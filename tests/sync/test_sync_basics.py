"""A sync against the loopback Graph: every collection, paging, delta, batch, the manifest."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from idpilot.model.collections import Collection
from idpilot.sync.checkpoint import load_checkpoint
from idpilot.sync.endpoints import ENDPOINTS, NOT_SYNCED
from tests.sync.graph_server import (
    TENANT_ID,
    FakeGraph,
    LoopbackGraph,
    TenantShape,
    object_id,
)
from tests.sync.helpers import NOW, ids, lines, run_sync

SHAPE = TenantShape(users=2_500, groups=6, service_principals=45, sign_ins=3_000, audits=700)


@pytest.fixture
def graph() -> FakeGraph:
    return FakeGraph(SHAPE)


def test_every_collection_of_the_contract_has_an_endpoint() -> None:
    read = {e.collection for e in ENDPOINTS}
    assert read | set(NOT_SYNCED) == set(Collection) and not read & set(NOT_SYNCED)


def test_a_sync_writes_every_record_once_in_the_snapshot_files(
    graph: FakeGraph, tmp_path: Path
) -> None:
    with LoopbackGraph(graph) as server:
        report = run_sync(server.base_url, tmp_path)
    users = ids(tmp_path / "users.jsonl")
    assert sorted(users) == sorted(object_id("user", n) for n in range(SHAPE.users))
    assert len(set(users)) == len(users)
    window_events = int(timedelta(days=7) / SHAPE.event_spacing) + 1
    assert len(ids(tmp_path / "signIns.jsonl")) == min(SHAPE.sign_ins, window_events)
    assert len(set(ids(tmp_path / "directoryAudits.jsonl"))) == SHAPE.audits
    assert report.counts["users"] == SHAPE.users
    assert not report.unavailable
    # a setting is written as its one object
    assert json.loads((tmp_path / "authorizationPolicy.json").read_text())["id"]


def test_groups_delta_members_split_across_pages_are_joined(
    graph: FakeGraph, tmp_path: Path
) -> None:
    with LoopbackGraph(graph) as server:
        run_sync(server.base_url, tmp_path)
    groups = {g["id"]: g for g in lines(tmp_path / "groups.jsonl")}
    assert len(groups) == SHAPE.groups
    for n in range(SHAPE.groups):
        group = groups[object_id("group", n)]
        assert {m["id"] for m in group["members"]} == graph.group_members(n)
        assert "members@delta" not in group
    assert groups[object_id("group", 0)]["displayName"] == "All Staff"


def test_app_role_assignments_come_from_batches_of_20(graph: FakeGraph, tmp_path: Path) -> None:
    with LoopbackGraph(graph) as server:
        run_sync(server.base_url, tmp_path)
    expected = {a["id"] for n in range(SHAPE.service_principals) for a in graph.assignments(n)}
    assert set(ids(tmp_path / "appRoleAssignments.jsonl")) == expected
    batches = [r for r in graph.requests if r[1].endswith("$batch")]
    assigned = [b for b in graph.batches if all(u.endswith("/appRoleAssignedTo") for u in b)]
    assert len(batches) == len(graph.batches)
    # the principals' lists in ceil(45 / 20) batches, each of at most 20
    assert [len(b) for b in assigned] == [20, 20, 5]
    assert not [r for r in graph.requests if r[1].endswith("/appRoleAssignedTo")]


def test_the_deltalink_is_kept_whole_and_the_next_sync_merges_changes(
    graph: FakeGraph, tmp_path: Path
) -> None:
    with LoopbackGraph(graph) as server:
        run_sync(server.base_url, tmp_path)
        link = load_checkpoint(tmp_path, TENANT_ID).collections["users"].delta_link
        assert link is not None and link.startswith(server.base_url) and "$deltatoken=" in link
        renamed = {"id": object_id("user", 3), "displayName": "Renamed Person"}
        deleted = {"id": object_id("user", 4), "@removed": {"reason": "changed"}}
        graph.user_changes = [renamed, deleted]
        run_sync(server.base_url, tmp_path, now=NOW + timedelta(hours=2))
    delta_requests = [r for r in graph.requests if "$deltatoken=" in r[1]]
    assert delta_requests and link.endswith(delta_requests[0][1].split("/users/delta")[1])
    users = {u["id"]: u for u in lines(tmp_path / "users.jsonl")}
    assert len(users) == SHAPE.users - 1
    assert users[object_id("user", 3)]["displayName"] == "Renamed Person"
    assert users[object_id("user", 3)]["userPrincipalName"] == "user00003@contoso.com"


def test_the_next_sync_reads_logs_from_the_last_end_less_the_overlap(
    graph: FakeGraph, tmp_path: Path
) -> None:
    with LoopbackGraph(graph) as server:
        run_sync(server.base_url, tmp_path)
        before = ids(tmp_path / "signIns.jsonl")
        graph.requests.clear()
        run_sync(server.base_url, tmp_path, now=NOW + timedelta(hours=2))
    sign_in_requests = [r[1] for r in graph.requests if "signIns" in r[1]]
    assert "2026-11-20T09%3A00%3A00Z" in sign_in_requests[0]  # 10:00 less one hour
    after = ids(tmp_path / "signIns.jsonl")
    assert sorted(after) == sorted(before)  # the overlap read again, kept once


def test_the_manifest_says_when_and_which_tenant(graph: FakeGraph, tmp_path: Path) -> None:
    with LoopbackGraph(graph) as server:
        run_sync(server.base_url, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["tenantId"] == TENANT_ID
    assert manifest["capturedDateTime"] == "2026-11-20T10:00:00Z"
    assert manifest["counts"]["users"] == SHAPE.users
    assert manifest["unavailable"] == {}
