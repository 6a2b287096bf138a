"""`idpilot kql --remote`: the same query, unchanged, run in a (loopback) workspace or database,
printed exactly as a local result is, with where it ran named."""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import UTC
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

import idpilot.cli
import idpilot.sync.auth as auth
from idpilot.cli.app import EXIT_USER_ERROR, app
from idpilot.kql.adapter import KqlResult, run_kql
from idpilot.store import Store
from tests.kql.remote.kusto_server import (
    ADX_PATH,
    QUERY_PATH,
    WORKSPACE_ID,
    FakeCredential,
    LoopbackKusto,
    Reply,
    ok,
    refused,
)

for _module in pkgutil.iter_modules(idpilot.cli.__path__):  # commands register on import
    if _module.name not in ("app", "options"):
        importlib.import_module(f"idpilot.cli.{_module.name}")

runner = CliRunner()
TENANT = "5f0c3a1e-6b7d-4c2e-9a8f-1d2e3f4a5b6c"
LOCAL_QUERY = (
    "SigninLogs | where ResultType != '0' | top 5 by TimeGenerated desc"
    " | project TimeGenerated, UserPrincipalName, IPAddress, LocationDetails"
)
# DuckDB types of a local result, as the Log Analytics column types that carry them.
_KUSTO_TYPES = {
    "VARCHAR": "string",
    "BIGINT": "long",
    "DOUBLE": "real",
    "BOOLEAN": "bool",
    "JSON": "dynamic",
    "TIMESTAMP": "datetime",
    "TIMESTAMP WITH TIME ZONE": "datetime",
}


@pytest.fixture
def credential(monkeypatch: pytest.MonkeyPatch) -> FakeCredential:
    """azure-identity replaced by a fake credential; the app's id and secret set."""
    fake = FakeCredential()
    monkeypatch.setattr(auth, "_credential", lambda *args: fake)
    monkeypatch.setenv("IDPILOT_GRAPH_CLIENT_ID", "11111111-2222-3333-4444-555555555555")
    monkeypatch.setenv("IDPILOT_GRAPH_CLIENT_SECRET", "not-a-real-secret")
    return fake


def as_log_analytics(result: KqlResult) -> bytes:
    """A local result in the Query API's wire format (datetimes with Kusto's seven digits,
    dynamic cells as JSON text)."""

    def cell(value: Any, kind: str) -> Any:
        if value is None:
            return None
        if kind == "datetime":
            moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value
            return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
        if kind == "dynamic":
            return orjson.dumps(value).decode()
        return value

    kinds = [_KUSTO_TYPES[t] for t in result.types]
    table = {
        "name": "PrimaryResult",
        "columns": [{"name": n, "type": k} for n, k in zip(result.columns, kinds, strict=True)],
        "rows": [[cell(v, k) for v, k in zip(row, kinds, strict=True)] for row in result.rows],
    }
    return orjson.dumps({"tables": [table]})


def remote_la(server: LoopbackKusto, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.setenv("IDPILOT_LOG_ANALYTICS_URL", server.base_url)
    return runner.invoke(
        app, ["kql", *args, "--remote", "la", "--workspace", WORKSPACE_ID, "--tenant", TENANT]
    )


def test_a_query_that_runs_locally_runs_remotely_unchanged_and_prints_the_same(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, credential: FakeCredential
) -> None:
    with Store.open(store_path, read_only=True) as store:
        local = run_kql(store, LOCAL_QUERY)
    assert local.row_count == 5 and "JSON" in local.types
    local_json = runner.invoke(app, ["kql", LOCAL_QUERY, "--json", "--store", str(store_path)])
    local_table = runner.invoke(app, ["kql", LOCAL_QUERY, "--store", str(store_path)])

    with LoopbackKusto({QUERY_PATH: [Reply(200, as_log_analytics(local))]}) as server:
        remote_json = remote_la(server, monkeypatch, LOCAL_QUERY, "--json")
        remote_table = remote_la(server, monkeypatch, LOCAL_QUERY)
    assert remote_json.exit_code == 0, remote_json.output
    assert [r.body for r in server.requests] == [{"query": LOCAL_QUERY}] * 2
    assert remote_json.stdout == local_json.stdout  # the same JSON, byte for byte
    assert json.loads(remote_json.stdout)[0]["LocationDetails"]  # dynamic came back as JSON
    assert f"ran remotely, unchanged, in Log Analytics workspace {WORKSPACE_ID}" in (
        " ".join(remote_json.stderr.split())
    )
    assert remote_table.stdout.startswith(local_table.stdout)  # the table, then where it ran
    assert "ran remotely" in remote_table.stdout and "ran remotely" not in local_table.stdout
    assert credential.scopes == [f"{server.base_url}/.default"] * 2


def test_the_settings_name_the_workspace_and_timespan_is_sent_as_iso_8601(
    monkeypatch: pytest.MonkeyPatch, credential: FakeCredential
) -> None:
    with LoopbackKusto({QUERY_PATH: [ok("log_analytics/query.simple.json")]}) as server:
        monkeypatch.setenv("IDPILOT_LOG_ANALYTICS_URL", server.base_url)
        monkeypatch.setenv("IDPILOT_LOG_ANALYTICS_WORKSPACE", WORKSPACE_ID)
        monkeypatch.setenv("IDPILOT_AZURE_TENANT", TENANT)
        result = runner.invoke(
            app, ["kql", "AzureActivity | summarize count() by Category", "--remote", "la",
                  "--timespan", "7d", "--csv"],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert server.requests[0].body["timespan"] == "P7D"
    assert result.stdout.splitlines()[:2] == ["Category,count_", "Administrative,20839"]


def test_a_403_exits_2_naming_the_role_and_json_gives_the_error_document(
    monkeypatch: pytest.MonkeyPatch, credential: FakeCredential
) -> None:
    script = [refused(403, "log_analytics/error.insufficient_access.json")]
    with LoopbackKusto({QUERY_PATH: script}) as server:
        shown = remote_la(server, monkeypatch, "SigninLogs | take 1")
        as_json = remote_la(server, monkeypatch, "SigninLogs | take 1", "--json")
    assert shown.exit_code == EXIT_USER_ERROR
    assert "Log Analytics Reader" in " ".join(shown.stderr.split())
    error = json.loads(as_json.stdout)["error"]
    assert error["code"] == "remote_query" and "InsufficientAccessError" in error["message"]


def test_a_partial_result_prints_its_rows_and_warns(
    monkeypatch: pytest.MonkeyPatch, credential: FakeCredential
) -> None:
    with LoopbackKusto({QUERY_PATH: [ok("log_analytics/query.partial_error.json")]}) as server:
        result = remote_la(
            server, monkeypatch, "SigninLogs | summarize count() by UserPrincipalName"
        )
    assert result.exit_code == 0, result.output
    assert "adele.vance@contoso.com" in result.stdout
    assert "partial result, rows are missing: PartialError" in " ".join(result.stderr.split())


def test_azure_data_explorer_through_the_cli(
    monkeypatch: pytest.MonkeyPatch, credential: FakeCredential
) -> None:
    with LoopbackKusto({ADX_PATH: [ok("data_explorer/frames.typed.json")]}) as server:
        result = runner.invoke(
            app, ["kql", "SigninLogs | take 2", "--remote", "adx", "--cluster", server.base_url,
                  "--database", "Security", "--tenant", TENANT, "--json"],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["TimeGenerated"] == "2026-11-19T08:15:02.123456Z"
    assert rows[0]["LocationDetails"] == {"city": "Lagos", "countryOrRegion": "NG"}
    assert server.requests[0].body == {"db": "Security", "csl": "SigninLogs | take 2"}


def test_remote_options_need_remote_and_management_commands_are_not_sent() -> None:
    lone = runner.invoke(app, ["kql", "SigninLogs", "--workspace", WORKSPACE_ID])
    assert lone.exit_code == EXIT_USER_ERROR and "--workspace needs --remote" in lone.output
    command = runner.invoke(
        app, ["kql", ".drop table SigninLogs", "--remote", "la", "--workspace", WORKSPACE_ID]
    )
    assert command.exit_code == EXIT_USER_ERROR
    assert "management commands such as '.drop' are not sent" in command.stderr


def test_a_missing_workspace_or_secret_is_said_before_anything_is_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("IDPILOT_LOG_ANALYTICS_WORKSPACE", raising=False)
    no_workspace = runner.invoke(app, ["kql", "SigninLogs", "--remote", "la"])
    assert "--workspace ID (or IDPILOT_LOG_ANALYTICS_WORKSPACE)" in no_workspace.stderr
    monkeypatch.setenv("IDPILOT_GRAPH_CLIENT_ID", "app")
    monkeypatch.delenv("IDPILOT_GRAPH_CLIENT_SECRET", raising=False)
    no_secret = runner.invoke(
        app,
        ["kql", "SigninLogs", "--remote", "la", "--workspace", WORKSPACE_ID, "--tenant", TENANT],
    )
    assert no_secret.exit_code == EXIT_USER_ERROR
    assert "IDPILOT_GRAPH_CLIENT_SECRET" in no_secret.stderr
