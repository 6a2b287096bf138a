"""`POST /api/kql/remote`: an admin's query sent unchanged to the (loopback) workspace the server's
settings name, signed in as the server; refusals in the API's error shape."""

from __future__ import annotations

import pytest

import idpilot.sync.auth as auth
from idpilot.state.roles import Role
from tests.api.served import Served
from tests.kql.remote.kusto_server import (
    QUERY_PATH,
    WORKSPACE_ID,
    FakeCredential,
    LoopbackKusto,
    ok,
    refused,
)

QUERY = "SigninLogs | where ResultType != '0' | take 3"


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


def test_an_admin_query_runs_in_the_configured_workspace(
    api: Served, signed_in: FakeCredential, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LoopbackKusto({QUERY_PATH: [ok("log_analytics/signins.typed.json")]}) as server:
        monkeypatch.setenv("IDPILOT_LOG_ANALYTICS_URL", server.base_url)
        with api.client(Role.admin) as client:
            response = client.post(
                "/api/kql/remote",
                json={"query": QUERY, "service": "la", "timespan": "1d", "limit": 2},
            )
    assert response.status_code == 200, response.text
    body = response.json()
    assert server.requests[0].body == {"query": QUERY, "timespan": "P1D"}
    assert body["ran_in"] == f"Log Analytics workspace {WORKSPACE_ID}"
    assert body["row_count"] == 2 and body["truncated"] is True and body["partial"] is None
    first = body["rows"][0]
    assert first["TimeGenerated"] == "2026-11-19T08:15:02.123456Z"
    assert first["LocationDetails"]["city"] == "Lagos"
    assert signed_in.scopes == [f"{server.base_url}/.default"]


def test_a_reader_may_not_send_queries_as_the_server(api: Served) -> None:
    with api.client(Role.reader) as client:
        response = client.post("/api/kql/remote", json={"query": QUERY, "service": "la"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("reply", "status", "words"),
    [
        (refused(400, "log_analytics/error.syntax.json"), 400, "SyntaxError"),
        (refused(403, "log_analytics/error.insufficient_access.json"), 502, "Log Analytics Reader"),
    ],
)
def test_the_services_refusals_keep_their_message(
    api: Served,
    signed_in: FakeCredential,
    monkeypatch: pytest.MonkeyPatch,
    reply: object,
    status: int,
    words: str,
) -> None:
    with LoopbackKusto({QUERY_PATH: [reply]}) as server:
        monkeypatch.setenv("IDPILOT_LOG_ANALYTICS_URL", server.base_url)
        with api.client(Role.admin) as client:
            response = client.post("/api/kql/remote", json={"query": QUERY, "service": "la"})
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == "remote_query" and words in error["message"]


def test_a_server_cannot_sign_in_by_device_code(
    api: Served, signed_in: FakeCredential, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDPILOT_REMOTE_AUTH", "device-code")
    with api.client(Role.admin) as client:
        response = client.post("/api/kql/remote", json={"query": QUERY, "service": "la"})
    assert response.status_code == 503
    assert "secret, certificate, managed-identity" in response.json()["error"]["message"]
