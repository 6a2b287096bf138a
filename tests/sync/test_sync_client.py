"""The client's edges: a stale token, Graph failing past every retry, and the dry run's plan."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from idpilot.sync.checkpoint import CollectionState, load_checkpoint, save_checkpoint
from idpilot.sync.graph_client import ClientOptions, GraphClient, SyncError
from idpilot.sync.options import SyncOptions
from idpilot.sync.plan import planned_requests
from tests.sync.graph_server import TENANT_ID, FakeGraph, Faults, LoopbackGraph, TenantShape
from tests.sync.helpers import NOW, FakeTime, ids, run_sync

SHAPE = TenantShape(users=1_500, sign_ins=200, audits=20, service_principals=5)


def test_a_401_gets_a_new_token_once() -> None:
    tokens = iter(["expired-token", "loopback-token"])
    graph = FakeGraph(SHAPE)
    time = FakeTime()

    async def go(base: str) -> dict:
        client = GraphClient(base, lambda: next(tokens), sleep=time.sleep, clock=time.clock)
        try:
            return await client.get(f"{base}/v1.0/organization")
        finally:
            await client.close()

    with LoopbackGraph(graph) as server:
        body = asyncio.run(go(server.base_url))
    assert body["value"][0]["id"] == TENANT_ID
    assert [status for _, _, status in graph.requests] == [401, 200]


def test_graph_failing_past_every_retry_stops_the_sync_and_a_rerun_resumes(
    tmp_path: Path,
) -> None:
    graph = FakeGraph(SHAPE, Faults(unavailable_every=1))
    with LoopbackGraph(graph) as server:
        with pytest.raises(SyncError, match="resumes"):
            run_sync(server.base_url, tmp_path, options=ClientOptions(max_attempts=3))
        assert not load_checkpoint(tmp_path, TENANT_ID).complete
        graph.faults.unavailable_every = 0  # Graph is back
        report = run_sync(server.base_url, tmp_path)
    assert report.counts["users"] == SHAPE.users == len(set(ids(tmp_path / "users.jsonl")))


def test_a_checkpoint_of_another_tenant_is_refused(tmp_path: Path) -> None:
    with LoopbackGraph(FakeGraph(SHAPE)) as server:
        run_sync(server.base_url, tmp_path)
    with pytest.raises(Exception, match="was synced from tenant"):
        load_checkpoint(tmp_path, "another-tenant.onmicrosoft.com")


def test_the_dry_run_asks_the_saved_deltalink_and_the_next_log_window(tmp_path: Path) -> None:
    checkpoint = load_checkpoint(tmp_path, TENANT_ID)
    checkpoint.collections["users"] = CollectionState(
        delta_link="https://graph.microsoft.com/v1.0/users/delta?$deltatoken=opaque-Token_1"
    )
    checkpoint.collections["signIns"] = CollectionState(high_water="2026-11-19T10:00:00Z")
    save_checkpoint(tmp_path, checkpoint)
    options = SyncOptions(tmp_path, TENANT_ID, overlap=timedelta(hours=1))
    plan = {p.collection: p for p in planned_requests(options, NOW)}
    assert plan["users"].url.endswith("$deltatoken=opaque-Token_1")
    assert "2026-11-19T09%3A00%3A00Z" in plan["signIns"].url
    assert plan["signIns"].licence == "Microsoft Entra ID P1"
    assert plan["riskyUsers"].permission == "IdentityRiskyUser.Read.All"


def test_a_link_outside_graph_is_not_followed_with_the_token() -> None:
    async def go() -> None:
        client = GraphClient("http://127.0.0.1:9", lambda: "loopback-token")
        try:
            await client.get("https://attacker.example/v1.0/users?$skiptoken=x")
        finally:
            await client.close()

    with pytest.raises(SyncError, match="outside"):
        asyncio.run(go())
