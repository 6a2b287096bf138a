"""The MCP `kql` tool with `remote`: the query sent unchanged to the (loopback) workspace the
server's settings name, admin only, as `POST /api/kql/remote`."""

from __future__ import annotations

import mcp_types as types
import pytest
from mcp import Client

import idpilot.sync.auth as auth
from idpilot.api.config import ServerConfig
from idpilot.mcp import LOCAL_CALLER, McpCaller, create_server
from idpilot.state.roles import Role
from tests.kql.remote.kusto_server import (
    QUERY_PATH,
    WORKSPACE_ID,
    FakeCredential,
    LoopbackKusto,
    ok,
)
from tests.mcp.mcp_sessions import audit_trail, run, text_of

QUERY = "SigninLogs | where ResultType != '0' | take 3"
ADMIN = McpCaller(user="ada", role=Role.admin, token_id="t-admin")


@pytest.fixture
def signed_in(monkeypatch: pytest.MonkeyPatch) -> FakeCredential:
    """The server's sign-in replaced by a fake credential; the workspace and app set."""
    fake = FakeCredential()
    monkeypatch.setattr(auth, "_credential", lambda *args: fake)
    monkeypatch.setenv("IDPILOT_GRAPH_CLIENT_ID", "11111111-2222-3333-4444-555555555555")
    monkeypatch.setenv("IDPILOT_GRAPH_CLIENT_SECRET", "not-a-real-secret")
    monkeypatch.setenv("IDPILOT_AZURE_TENANT", "contoso.onmicrosoft.com")
    monkeypatch.setenv("IDPILOT_LOG_ANALYTICS_WORKSPACE", WORKSPACE_ID)
    return fake


def _call(config: ServerConfig, caller: McpCaller, arguments: dict[str, object]):
    async def call() -> types.CallToolResult:
        async with Client(create_server(config, local_caller=caller)) as client:
            return await client.call_tool("kql", arguments)

    return run(call)


def test_an_admin_runs_the_query_in_the_configured_workspace(
    config: ServerConfig, signed_in: FakeCredential, monkeypatch: pytest.MonkeyPatch
) -> None:
    arguments = {"query": QUERY, "remote": "la", "timespan": "1d", "limit": 2}
    with LoopbackKusto({QUERY_PATH: [ok("log_analytics/signins.typed.json")]}) as server:
        monkeypatch.setenv("IDPILOT_LOG_ANALYTICS_URL", server.base_url)
        result = _call(config, ADMIN, arguments)
    assert not result.is_error, text_of(result)
    assert server.requests[0].body == {"query": QUERY, "timespan": "P1D"}
    body = result.structured_content
    assert body["ran_in"] == f"Log Analytics workspace {WORKSPACE_ID}"
    assert body["row_count"] == 2 and body["truncated"] is True
    assert body["rows"][0]["LocationDetails"]["city"] == "Lagos"
    assert signed_in.scopes == [f"{server.base_url}/.default"]
    (event,) = audit_trail(config)
    assert (event["action"], event["status"], event["prompt"]) == ("mcp_kql_remote", "ok", QUERY)


@pytest.mark.parametrize(
    "caller", [LOCAL_CALLER, McpCaller(user="op", role=Role.operator, token_id="t-op")]
)
def test_below_admin_the_remote_query_is_refused_and_nothing_is_sent(
    config: ServerConfig, signed_in: FakeCredential, monkeypatch: pytest.MonkeyPatch, caller
) -> None:
    with LoopbackKusto({QUERY_PATH: [ok("log_analytics/signins.typed.json")]}) as server:
        monkeypatch.setenv("IDPILOT_LOG_ANALYTICS_URL", server.base_url)
        result = _call(config, caller, {"query": QUERY, "remote": "la"})
    assert result.is_error and result.structured_content["error"]["code"] == "forbidden"
    assert "needs the admin role" in text_of(result)
    assert server.requests == [] and signed_in.scopes == []
    (event,) = audit_trail(config)
    assert (event["action"], event["status"]) == ("mcp_kql_remote", "forbidden")


def test_a_local_query_still_needs_only_a_reader(config: ServerConfig) -> None:
    result = _call(config, LOCAL_CALLER, {"query": "SigninLogs | count"})
    assert not result.is_error and "ran_in" not in result.structured_content


def test_an_unconfigured_workspace_is_an_error_naming_the_setting(
    config: ServerConfig, signed_in: FakeCredential, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IDPILOT_LOG_ANALYTICS_WORKSPACE")
    result = _call(config, ADMIN, {"query": QUERY, "remote": "la"})
    assert result.is_error and result.structured_content["error"]["code"] == "remote_query"
    assert "IDPILOT_LOG_ANALYTICS_WORKSPACE" in text_of(result)
