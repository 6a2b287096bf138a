"""`idpilot sync` as an admin runs it: the dry run, and a sync into a store over loopback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import idpilot.cli.sync as sync_command
from idpilot.cli.app import app
from tests.sync.graph_server import (
    LICENCE_ERROR,
    TENANT_ID,
    FakeGraph,
    Faults,
    LoopbackGraph,
    TenantShape,
    object_id,
)


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fsync", lambda descriptor: None)


def test_the_dry_run_lists_requests_and_permissions_and_sends_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["sync", "--tenant", TENANT_ID, "--out", str(tmp_path / "t"), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "users/delta" in text and "auditLogs/signIns" in text
    assert "AuditLog.Read.All" in text and "Microsoft Entra ID P2" in text
    assert not (tmp_path / "t").exists()


def test_a_sync_into_a_store_names_what_graph_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = {"identityProtection/riskyUsers": LICENCE_ERROR}
    graph = FakeGraph(TenantShape(users=400, sign_ins=300, audits=50), Faults(forbidden=refused))
    monkeypatch.setattr(sync_command, "token_source", lambda *a, **k: lambda: "loopback-token")
    with LoopbackGraph(graph) as server:
        monkeypatch.setenv("IDPILOT_GRAPH_URL", server.base_url)
        result = CliRunner().invoke(
            app,
            [
                "sync", "--tenant", TENANT_ID, "--out", str(tmp_path / "t"),
                "--store", str(tmp_path / "s.duckdb"),
            ],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "not readable: riskyUsers" in text and "Microsoft Entra ID P2 licence" in text
    assert "Ingested" in text and "users" in text
    assert (tmp_path / "t" / "users.jsonl").exists()


def test_each_sync_into_a_store_is_a_version_diff_compares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = FakeGraph(TenantShape(users=60, groups=4, service_principals=5, sign_ins=40, audits=10))
    monkeypatch.setattr(sync_command, "token_source", lambda *a, **k: lambda: "loopback-token")
    out, store = tmp_path / "t", tmp_path / "s.duckdb"
    command = ["sync", "--tenant", TENANT_ID, "--out", str(out), "--store", str(store), "-q"]
    with LoopbackGraph(graph) as server:
        monkeypatch.setenv("IDPILOT_GRAPH_URL", server.base_url)
        first = CliRunner().invoke(app, command)
        graph.user_changes = [
            {"id": object_id("user", 3), "displayName": "Renamed Person"},
            {"id": object_id("user", 4), "@removed": {"reason": "changed"}},
        ]
        second = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    diff = CliRunner().invoke(
        app, ["diff", "--from", "1", "--to", "2", "--store", str(store), "--json"]
    )
    assert diff.exit_code == 0, diff.output
    found = json.loads(diff.stdout)
    assert found["before"]["kind"] == found["after"]["kind"] == "sync"
    assert found["after"]["source"] == f"Graph sync of {TENANT_ID} into {out}"
    changes = {(c["collection"], c["id"]): c for c in found["changes"]}
    assert set(changes) == {("users", object_id("user", 3)), ("users", object_id("user", 4))}
    renamed = changes[("users", object_id("user", 3))]
    assert renamed["change"] == "changed"
    assert {"path": "displayName", "before": "User 00003", "after": "Renamed Person"} in renamed[
        "properties"
    ]
    assert changes[("users", object_id("user", 4))]["change"] == "deleted"
