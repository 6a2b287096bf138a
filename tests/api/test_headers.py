"""Security headers on every response (answers, errors, streams, the docs page); CORS off
unless origins are configured."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from idpilot.state.roles import Role
from tests.api.served import Served, served

EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def _script_sources(csp: str) -> str:
    directives = {}
    for part in csp.split(";"):
        name, _, sources = part.strip().partition(" ")
        directives[name] = sources
    return directives.get("script-src", directives.get("default-src", ""))


def _check(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.url)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in _script_sources(csp)
    assert "'unsafe-eval'" not in csp


def test_headers_on_answers_errors_streams_and_pages(api: Served) -> None:
    with api.client(Role.reader) as client:
        responses = [
            client.get("/health"),
            client.get("/api/me"),
            client.get("/api/nothing"),
            client.post("/api/ask", content=b"{", headers={"Content-Type": "application/json"}),
            client.get("/docs"),
            client.get("/docs/init.js"),
            client.get("/openapi.json"),
        ]
        with client.stream("POST", "/api/ask/stream", json={"prompt": "what can you do?"}) as s:
            s.read()
            responses.append(s)
    for response in responses:
        _check(response)
    assert responses[1].headers["cache-control"] == "no-store"
    assert responses[0].headers["content-security-policy"].startswith("default-src 'none'")


def test_the_docs_page_has_no_inline_script(api: Served) -> None:
    with api.client() as client:
        page = client.get("/docs").text
    assert "<script>" not in page and "<script src=" in page


def test_cors_is_off_by_default(api: Served) -> None:
    origin = {"Origin": "https://evil.example"}
    with api.client(Role.reader, headers=origin) as client:
        plain = client.get("/api/me")
        preflight = client.options(
            "/api/ask", headers={**origin, "Access-Control-Request-Method": "POST"}
        )
    assert plain.status_code == 200
    for response in (plain, preflight):
        assert "access-control-allow-origin" not in response.headers
    assert preflight.status_code == 405


def test_configured_origins_are_allowed_and_no_others(demo_store: Path, tmp_path: Path) -> None:
    allowed = "https://admin.contoso.example"
    with served(demo_store, tmp_path / "s.duckdb", cors_origins=(allowed,)) as running:
        with running.client(Role.reader, headers={"Origin": allowed}) as client:
            assert client.get("/api/me").headers["access-control-allow-origin"] == allowed
        with running.client(Role.reader, headers={"Origin": "https://other.example"}) as client:
            assert "access-control-allow-origin" not in client.get("/api/me").headers


@pytest.mark.parametrize("path", ["/api/me", "/health"])
def test_json_is_served_as_json(api: Served, path: str) -> None:
    with api.client(Role.reader) as client:
        assert client.get(path).headers["content-type"] == "application/json"
