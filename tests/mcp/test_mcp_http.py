"""The MCP server over streamable HTTP on a real uvicorn: a bearer token from the API's token
store on every request, usage charged and audited like the API's, refusals in its shape."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import mcp_types as types
import pytest

from idpilot.api.config import ServerConfig
from idpilot.mcp.http import create_http_app
from idpilot.state.roles import Role
from idpilot.state.tokens import revoke_token
from idpilot.store.app_state import open_app_state
from tests.api.entra.issuer import fake_tenant
from tests.mcp.mcp_sessions import answer_of, audit_trail, http_client, issue, run, serve_asgi

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "0"},
    },
}
ACCEPT = {"Accept": "application/json, text/event-stream"}


@pytest.fixture
def served(config: ServerConfig) -> Iterator[str]:
    """The MCP app on loopback; yields its base URL."""
    with serve_asgi(create_http_app(config, "127.0.0.1")) as url:
        yield url


def _post(url: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{url}/mcp", json=INITIALIZE, headers={**ACCEPT, **headers}, timeout=30)


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_token"),
        ({"Authorization": "Bearer idp_not-a-token"}, "invalid_token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing_token"),
    ],
)
def test_a_request_without_a_valid_token_is_refused(
    served: str, config: ServerConfig, headers: dict[str, str], code: str
) -> None:
    response = _post(served, headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert audit_trail(config) == []


def test_a_reader_token_lists_calls_and_is_charged_and_audited(
    served: str, config: ServerConfig
) -> None:
    secret = issue(config, Role.reader, "agent-reader")

    async def session() -> tuple[list[types.Tool], types.CallToolResult]:
        async with http_client(served, secret) as client:
            tools = (await client.list_tools()).tools
            return tools, await client.call_tool("ask", {"prompt": "Who are the global admins?"})

    tools, result = run(session)
    assert {"ask", "kql", "role_holders"} <= {tool.name for tool in tools}
    answer = answer_of(result)
    assert answer.status == "ok" and answer.citations
    with open_app_state(config.state) as state:
        assert state.units_used("agent-reader", config.clock().date()) == 1  # listing is free
    (event,) = audit_trail(config)
    assert (event["user_name"], event["role"], event["action"]) == (
        "agent-reader",
        "reader",
        "mcp_ask",
    )
    assert event["token_id"].startswith("tok_") and event["answer_id"] == answer.answer_id


def test_a_revoked_token_is_refused_from_then_on(served: str, config: ServerConfig) -> None:
    secret = issue(config, Role.reader, "soon-revoked")
    assert _post(served, {"Authorization": f"Bearer {secret}"}).status_code == 200
    with open_app_state(config.state) as state:
        (token,) = [t for t in state.tokens() if t["user_name"] == "soon-revoked"]
        revoke_token(state, token["id"], config.clock())
    response = _post(served, {"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "revoked_token"


def test_over_the_quota_a_call_says_when_capacity_returns(config: ServerConfig) -> None:
    limited = replace(config, quota_units_per_day=1)
    secret = issue(limited, Role.operator, "busy-agent")

    async def session() -> tuple[types.CallToolResult, types.CallToolResult]:
        async with http_client(url, secret) as client:
            first = await client.call_tool("kql", {"query": "SigninLogs | count"})
            return first, await client.call_tool("kql", {"query": "AuditLogs | count"})

    with serve_asgi(create_http_app(limited, "127.0.0.1")) as url:
        first, second = run(session)
    assert not first.is_error
    assert second.is_error
    error = second.structured_content["error"]
    assert error["code"] == "quota_exceeded"
    assert 0 < error["retry_after"] <= timedelta(days=1).total_seconds()
    assert "units for today" in error["message"]
    assert [e["status"] for e in audit_trail(limited)] == ["quota_exceeded", "ok"]


def test_a_session_cannot_be_used_with_another_token(served: str, config: ServerConfig) -> None:
    opener = issue(config, Role.reader, "opener")
    other = issue(config, Role.admin, "other")
    opened = _post(served, {"Authorization": f"Bearer {opener}"})
    session_id = opened.headers["mcp-session-id"]
    hijack = httpx.post(
        f"{served}/mcp",
        json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        headers={**ACCEPT, "Authorization": f"Bearer {other}", "Mcp-Session-Id": session_id},
        timeout=30,
    )
    assert hijack.status_code == 404


def test_another_host_name_is_refused_on_loopback(served: str, config: ServerConfig) -> None:
    secret = issue(config, Role.reader, "rebound")
    headers = {"Authorization": f"Bearer {secret}", "Host": "evil.example"}
    assert _post(served, headers).status_code == 421  # DNS rebinding protection


def test_an_entra_access_token_calls_tools_with_its_mapped_role(config: ServerConfig) -> None:
    with fake_tenant() as tenant:
        entra = replace(config, entra=tenant.sign_in())
        now = datetime.now(UTC)
        reader = tenant.token(now=now)
        unmapped = tenant.token(now=now, roles=["Unrelated.Role"])

        async def session() -> types.CallToolResult:
            async with http_client(url, reader) as client:
                return await client.call_tool("ask", {"prompt": "Who are the global admins?"})

        with serve_asgi(create_http_app(entra, "127.0.0.1")) as url:
            answer = answer_of(run(session))
            refused = _post(url, {"Authorization": f"Bearer {unmapped}"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "no_mapped_role"
    (event,) = audit_trail(entra)
    assert (event["user_name"], event["role"], event["action"]) == (
        "abeli@contoso.com",
        "reader",
        "mcp_ask",
    )
    assert event["token_id"].startswith("entra:") and event["answer_id"] == answer.answer_id
