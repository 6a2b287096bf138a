"""Every route but /health needs a valid bearer token: missing, invalid, revoked and expired
tokens are refused with 401 and a stable code, and no token ever reaches the server's log."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from idpilot.state.roles import Role
from tests.api.served import Served


def _error(response: object) -> dict[str, str]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}, body
    return body["error"]


def test_health_is_open(api: Served) -> None:
    with api.client() as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing_token"),
        ({"Authorization": "Bearer"}, "missing_token"),
        ({"Authorization": "Bearer idp_not-a-token"}, "invalid_token"),
    ],
)
def test_a_request_without_a_valid_token_is_refused(
    api: Served, headers: dict[str, str], code: str
) -> None:
    with api.client(headers=headers) as client:
        response = client.get("/api/me")
    assert response.status_code == 401
    assert _error(response)["code"] == code
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_from_then_on(api: Served) -> None:
    secret = api.token(Role.reader, "soon-revoked")
    with api.client(headers={"Authorization": f"Bearer {secret}"}) as client:
        me = client.get("/api/me")
        assert me.status_code == 200
        token_id = me.json()["token_id"]
        with api.client(Role.admin) as admin:
            revoked = admin.delete(f"/api/tokens/{token_id}")
        assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
        response = client.get("/api/me")
    assert response.status_code == 401
    assert _error(response)["code"] == "revoked_token"


def test_an_expired_token_is_refused(api: Served) -> None:
    secret = api.token(
        Role.reader, "expired", expires=timedelta(hours=1), at=api.clock() - timedelta(hours=2)
    )
    with api.client(headers={"Authorization": f"Bearer {secret}"}) as client:
        response = client.get("/api/skills")
    assert response.status_code == 401
    assert _error(response)["code"] == "expired_token"


def test_a_token_not_yet_expired_is_accepted(api: Served) -> None:
    secret = api.token(Role.reader, "fresh", expires=timedelta(hours=1))
    with api.client(headers={"Authorization": f"Bearer {secret}"}) as client:
        assert client.get("/api/me").json()["user"] == "fresh"


def test_tokens_never_reach_the_log(api: Served, caplog: pytest.LogCaptureFixture) -> None:
    wrong = "idp_wrong-secret-that-must-not-be-logged"
    with caplog.at_level(logging.DEBUG):
        with api.client(Role.admin) as client:
            assert client.get("/api/me").status_code == 200
            json_type = {"Content-Type": "application/json"}
            bad = client.post("/api/ask", content=b"{", headers=json_type)
            assert bad.status_code == 400
        with api.client(headers={"Authorization": f"Bearer {wrong}"}) as client:
            assert client.get("/api/me").status_code == 401
    logged = caplog.text
    assert "/api/me" in logged  # the access log was captured
    for secret in (*api.tokens.values(), wrong):
        assert secret not in logged
        assert secret.removeprefix("idp_") not in logged


def test_admins_create_tokens_whose_secret_is_shown_once(api: Served) -> None:
    with api.client(Role.admin) as admin:
        created = admin.post(
            "/api/tokens", json={"user": "new-reader", "role": "reader", "expires": "30d"}
        )
        assert created.status_code == 201
        token = created.json()
        listed = admin.get("/api/tokens").json()
    assert token["secret"].startswith("idp_") and token["state"] == "active"
    assert token["expires_at"] is not None
    mine = [t for t in listed if t["id"] == token["id"]]
    assert mine and "secret" not in mine[0]
    assert token["secret"] not in str(listed)
    with api.client(headers={"Authorization": f"Bearer {token['secret']}"}) as client:
        assert client.get("/api/me").json() == {
            "user": "new-reader",
            "role": "reader",
            "token_id": token["id"],
            "units_used_today": 0,
            "units_per_day": api.config.quota_units_per_day,
        }


def test_revoking_an_unknown_token_is_404(api: Served) -> None:
    with api.client(Role.admin) as admin:
        response = admin.delete("/api/tokens/tok_nope")
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"
