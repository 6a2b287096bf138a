"""Roles, checked on the server for every route the OpenAPI schema lists: without a token every
route but /health is refused; a reader cannot reach an operator or admin route, an operator
cannot reach an admin route."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from idpilot.api.auth import ROLE_KEY
from idpilot.state.roles import Role
from tests.api.served import Served

OPEN = {("GET", "/health")}
OPERATOR = {("POST", "/api/proposals"), ("GET", "/api/proposals")}
ADMIN = {
    ("GET", "/api/tokens"),
    ("POST", "/api/tokens"),
    ("DELETE", "/api/tokens/{token_id}"),
    ("GET", "/api/usage"),
    ("GET", "/api/audit"),
    ("GET", "/api/feedback"),
    ("POST", "/api/kql/remote"),
}
"""What these tests expect, written here and not read from the routes: a route whose role
changes, or a new route, must be added on purpose."""
READER = {
    ("POST", "/api/ask"),
    ("POST", "/api/ask/stream"),
    ("GET", "/api/skills"),
    ("GET", "/api/prompts"),
    ("GET", "/api/me"),
    ("POST", "/api/whatif"),
    ("POST", "/api/kql"),
    ("GET", "/api/risky-users"),
    ("GET", "/api/risky-users/{user}/summary"),
    ("GET", "/api/posture"),
    ("GET", "/api/sign-ins"),
    ("GET", "/api/records/{kind}/{record_id}"),
    ("GET", "/api/ca-policies"),
    ("GET", "/api/posture/areas"),
    ("POST", "/api/feedback"),
    ("POST", "/api/sessions"),
    ("GET", "/api/sessions"),
    ("GET", "/api/sessions/{session_id}"),
    ("GET", "/api/promptbooks"),
    ("POST", "/api/promptbooks/{name}/run"),
}


def _operations(api: Served) -> dict[tuple[str, str], dict[str, Any]]:
    with api.client() as client:
        schema = client.get("/openapi.json").json()
    return {
        (method.upper(), path): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def _call(client: httpx.Client, method: str, path: str) -> httpx.Response:
    """The route called with placeholder path values and an empty body (a refusal must come
    before the body is looked at)."""
    url = path.replace("{token_id}", "tok_placeholder").replace("{user}", "placeholder")
    url = url.replace("{session_id}", "placeholder").replace("{name}", "placeholder")
    if method in ("POST", "PUT", "PATCH"):
        return client.request(method, url, json={})
    return client.request(method, url)


def test_the_schema_lists_exactly_the_expected_routes(api: Served) -> None:
    assert set(_operations(api)) == OPEN | READER | OPERATOR | ADMIN


def test_each_operation_documents_the_role_it_needs(api: Served) -> None:
    for key, operation in _operations(api).items():
        expected = (
            None
            if key in OPEN
            else Role.admin
            if key in ADMIN
            else Role.operator
            if key in OPERATOR
            else Role.reader
        )
        assert operation.get(ROLE_KEY) == (expected.value if expected else None), key
        if expected is not None:
            assert operation.get("security") == [{"HTTPBearer": []}], key


def test_every_route_but_health_refuses_a_request_without_a_token(api: Served) -> None:
    with api.client() as client:
        for method, path in _operations(api):
            response = _call(client, method, path)
            if (method, path) in OPEN:
                assert response.status_code == 200, path
            else:
                assert response.status_code == 401, (method, path, response.text)
                assert response.json()["error"]["code"] == "missing_token"


@pytest.mark.parametrize(
    ("role", "forbidden"),
    [(Role.reader, OPERATOR | ADMIN), (Role.operator, ADMIN), (Role.admin, set())],
)
def test_a_role_reaches_its_routes_and_no_higher_ones(
    api: Served, role: Role, forbidden: set[tuple[str, str]]
) -> None:
    with api.client(role) as client:
        for method, path in _operations(api):
            if (method, path) in OPEN:
                continue
            response = _call(client, method, path)
            if (method, path) in forbidden:
                assert response.status_code == 403, (role, method, path)
                error = response.json()["error"]
                assert error["code"] == "forbidden" and role.value in error["message"]
            else:
                assert response.status_code not in (401, 403), (role, method, path)
