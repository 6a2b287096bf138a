"""Errors are JSON `{"error": {"code", "message"}}` with a stable code and never a traceback;
bodies and prompts over the limit answer 413 with the limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from idpilot.api import create_app
from idpilot.state.roles import Role
from tests.api.served import Served, serve_app, served

JSON = {"Content-Type": "application/json"}


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"] and body["error"]["code"] == code, body
    assert "Traceback" not in response.text and 'File "' not in response.text
    return str(body["error"]["message"])


@pytest.fixture(scope="module")
def small(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server with small limits: 2,000-byte bodies, 300-character prompts."""
    state = tmp_path_factory.mktemp("small") / "state.duckdb"
    with served(demo_store, state, max_body_bytes=2_000, max_prompt_chars=300) as running:
        yield running


def test_a_body_over_the_limit_is_413_with_the_limit(small: Served) -> None:
    with small.client(Role.reader) as client:
        response = client.post("/api/ask", json={"prompt": "x" * 5_000})
    message = _error(response, 413, "body_too_large")
    assert "2,000 bytes" in message and response.json()["error"]["limit"] == 2_000
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_body_over_the_limit_is_413(small: Served) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"prompt": "'
        for _ in range(10):
            yield b"y" * 500
        yield b'"}'

    with small.client(Role.reader) as client:
        response = client.post("/api/ask", content=chunks(), headers=JSON)
    assert "content-length" not in response.request.headers
    _error(response, 413, "body_too_large")


def test_a_prompt_over_the_limit_is_413_with_the_limit(small: Served) -> None:
    with small.client(Role.reader) as client:
        response = client.post("/api/ask", json={"prompt": "who is " + "z" * 400})
        streamed = client.post("/api/ask/stream", json={"prompt": "who is " + "z" * 400})
    for answered in (response, streamed):
        message = _error(answered, 413, "prompt_too_long")
        assert "the limit is 300" in message
    with small.client(Role.admin) as admin:
        trail = admin.get("/api/audit").json()
    refused = [e for e in trail if e["status"] == "prompt_too_long"]
    assert [e["user"] for e in refused] == ["reader-user", "reader-user"]
    assert refused[0]["prompt"] == "who is " + "z" * 400


def test_bad_json_is_400(api: Served) -> None:
    with api.client(Role.reader) as client:
        response = client.post("/api/ask", content=b'{"prompt": "hi"', headers=JSON)
    _error(response, 400, "bad_json")


@pytest.mark.parametrize(
    "body",
    [{}, {"prompt": 5}, {"prompt": "hello", "extra": 1}, {"prompt": ""}, ["prompt"]],
    ids=["missing", "wrong-type", "unknown-field", "empty", "not-an-object"],
)
def test_a_body_that_does_not_fit_is_422(api: Served, body: object) -> None:
    with api.client(Role.reader) as client:
        response = client.post("/api/ask", json=body)
    message = _error(response, 422, "invalid_request")
    assert message


def test_a_blank_prompt_is_400(api: Served) -> None:
    with api.client(Role.reader) as client:
        response = client.post("/api/ask", json={"prompt": "   "})
    _error(response, 400, "prompt")


def test_a_hostile_value_is_not_echoed_in_a_validation_error(api: Served) -> None:
    hostile = "<script>alert(1)</script>\u202e"
    with api.client(Role.reader) as client:
        response = client.get("/api/sign-ins", params={"limit": hostile})
    _error(response, 422, "invalid_request")
    assert "<script>" not in response.text and "\u202e" not in response.text


def test_unknown_routes_and_methods(api: Served) -> None:
    with api.client(Role.reader) as client:
        _error(client.get("/api/nothing-here"), 404, "not_found")
        _error(client.put("/api/ask", json={"prompt": "x"}), 405, "method_not_allowed")


def test_an_unexpected_error_is_500_without_a_traceback(api: Served) -> None:
    app = create_app(replace(api.config))

    def explode() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    app.add_api_route("/api/explode", explode)
    with serve_app(app) as url, httpx.Client(base_url=url) as client:
        response = client.get("/api/explode")
    message = _error(response, 500, "internal")
    assert "secret internals" not in response.text and "reference" in message
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_a_kql_error_is_400_with_the_reason(api: Served) -> None:
    with api.client(Role.reader) as client:
        response = client.post("/api/kql", json={"query": "users | take 1"})
    assert "unknown table" in _error(response, 400, "kql_query")


def test_an_unknown_user_in_a_proposal_is_404(api: Served) -> None:
    with api.client(Role.operator) as client:
        response = client.post(
            "/api/proposals", json={"kind": "revokeSessions", "user": "Nobody Ofthis Tenant"}
        )
    _error(response, 404, "not_found")


def test_a_missing_store_is_503_and_ends_a_stream_with_an_error_event(tmp_path: Path) -> None:
    with (
        served(tmp_path / "gone.duckdb", tmp_path / "state.duckdb") as running,
        running.client(Role.reader) as client,
    ):
        plain = client.post("/api/ask", json={"prompt": "Which users are risky?"})
        stream = client.post("/api/ask/stream", json={"prompt": "Which users are risky?"})
    assert "idpilot ingest" in _error(plain, 503, "store")
    assert stream.status_code == 200
    lines = [line for line in stream.text.splitlines() if line]
    assert lines[0] == "event: error" and len(lines) == 2
    assert json.loads(lines[1].removeprefix("data: "))["error"]["code"] == "store"
