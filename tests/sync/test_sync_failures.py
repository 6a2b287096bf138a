"""Graph's failures on the loopback: throttling, 503, timeouts, 403, expired tokens, a kill."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idpilot.model.collections import Collection
from idpilot.sync.checkpoint import Phase, load_checkpoint
from idpilot.sync.graph_client import ClientOptions
from idpilot.sync.output import part_path
from tests.sync.graph_server import (
    LICENCE_ERROR,
    TENANT_ID,
    FakeGraph,
    Faults,
    LoopbackGraph,
    TenantShape,
    object_id,
)
from tests.sync.helpers import FakeTime, Killed, ids, kill_after, run_sync

SHAPE = TenantShape(users=3_000, groups=4, service_principals=25, sign_ins=4_000, audits=300)
USERS = sorted(object_id("user", n) for n in range(SHAPE.users))


def test_429_waits_what_retry_after_says_and_503_backs_off(tmp_path: Path) -> None:
    graph = FakeGraph(SHAPE, Faults(throttle_every=7, retry_after="9", unavailable_every=11))
    time = FakeTime()
    with LoopbackGraph(graph) as server:
        report = run_sync(server.base_url, tmp_path, time=time)
    statuses = [status for _, _, status in graph.requests]
    assert 429 in statuses and 503 in statuses
    assert report.requests.throttled == statuses.count(429)
    assert 9.0 in time.slept  # the whole app paused as Graph asked
    assert report.paused_seconds >= 9.0
    assert sorted(ids(tmp_path / "users.jsonl")) == USERS


def test_the_budget_holds_requests_to_n_per_10_seconds(tmp_path: Path) -> None:
    graph = FakeGraph(SHAPE)
    time = FakeTime()
    with LoopbackGraph(graph) as server:
        report = run_sync(
            server.base_url, tmp_path, time=time, options=ClientOptions(requests_per_10s=5)
        )
    sent = report.requests.requests
    assert time.now - 1_000.0 >= 10.0 * (sent // 5 - 1)


def test_a_timeout_is_retried(tmp_path: Path) -> None:
    graph = FakeGraph(SHAPE, Faults(stall_once={"servicePrincipals"}, stall_seconds=2.5))
    with LoopbackGraph(graph) as server:
        report = run_sync(server.base_url, tmp_path, options=ClientOptions(timeout_seconds=1.5))
    assert report.requests.timeouts >= 1
    asked = [path for path in graph.arrivals if path.startswith("/v1.0/servicePrincipals?")]
    assert len(asked) >= 2  # the stalled one, then the retry
    assert len(ids(tmp_path / "servicePrincipals.jsonl")) == SHAPE.service_principals


def test_a_403_on_risk_data_names_the_licence_and_the_rest_goes_on(tmp_path: Path) -> None:
    refused = {"identityProtection/riskyUsers": LICENCE_ERROR}
    graph = FakeGraph(SHAPE, Faults(forbidden=refused))
    with LoopbackGraph(graph) as server:
        report = run_sync(server.base_url, tmp_path)
    assert not (tmp_path / "riskyUsers.jsonl").exists()
    why = report.unavailable["riskyUsers"]
    assert why.licence == "Microsoft Entra ID P2" and why.permission == "IdentityRiskyUser.Read.All"
    assert "Microsoft Entra ID P2" in why.reason()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert "P2" in manifest["unavailable"]["riskyUsers"]["reason"]
    assert sorted(ids(tmp_path / "users.jsonl")) == USERS


def test_a_403_for_a_missing_permission_names_the_permission(tmp_path: Path) -> None:
    denied = {"code": "Authorization_RequestDenied", "message": "Insufficient privileges."}
    graph = FakeGraph(SHAPE, Faults(forbidden={"auditLogs/signIns": denied}))
    with LoopbackGraph(graph) as server:
        report = run_sync(server.base_url, tmp_path)
    assert "AuditLog.Read.All permission" in report.unavailable["signIns"].reason()


def test_an_expired_skip_token_restarts_the_log_from_its_oldest_event(tmp_path: Path) -> None:
    graph = FakeGraph(SHAPE, Faults(expire_once={"auditLogs/signIns"}))
    with LoopbackGraph(graph) as server:
        report = run_sync(server.base_url, tmp_path)
    assert report.restarts == {"signIns": 1}
    sign_ins = ids(tmp_path / "signIns.jsonl")
    assert len(sign_ins) == len(set(sign_ins)) == SHAPE.sign_ins
    first_requests = [
        r[1] for r in graph.requests if r[1].startswith("/beta/auditLogs/signIns?$filter")
    ]
    assert len(first_requests) == 2  # the window, then the window up to the oldest event read
    assert first_requests[0] != first_requests[1]


def test_an_expired_delta_skip_token_restarts_that_round_only(tmp_path: Path) -> None:
    graph = FakeGraph(SHAPE, Faults(expire_once={"users/delta"}))
    with LoopbackGraph(graph) as server:
        report = run_sync(server.base_url, tmp_path)
    assert report.restarts == {"users": 1}
    users = ids(tmp_path / "users.jsonl")
    assert sorted(users) == USERS
    groups_requests = [r for r in graph.requests if "groups/delta" in r[1]]
    assert len(groups_requests) == len({r[1] for r in groups_requests})  # groups not restarted


@pytest.mark.parametrize("pages", [1, 3, 9])
def test_a_killed_sync_resumes_losing_nothing_and_duplicating_nothing(
    tmp_path: Path, pages: int
) -> None:
    graph = FakeGraph(SHAPE)
    with LoopbackGraph(graph) as server:
        with pytest.raises(Killed):
            run_sync(server.base_url, tmp_path, hook=kill_after(pages))
        checkpoint = load_checkpoint(tmp_path, TENANT_ID)
        assert not checkpoint.complete
        assert not (tmp_path / "manifest.json").exists()
        report = run_sync(server.base_url, tmp_path)
    assert sorted(ids(tmp_path / "users.jsonl")) == USERS
    sign_ins = ids(tmp_path / "signIns.jsonl")
    assert len(sign_ins) == len(set(sign_ins)) == SHAPE.sign_ins
    assert report.counts["users"] == SHAPE.users
    assert not part_path(tmp_path, Collection.users).exists()
    assert load_checkpoint(tmp_path, TENANT_ID).collections["users"].phase is Phase.done
