"""The API on a real uvicorn with Entra ID sign-in on, against a tenant served on loopback:
Entra access tokens admitted with their mapped role beside idpilot's own tokens, refusals with
stable codes, and the Entra caller's name in the audit trail."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from idpilot.state.roles import Role
from tests.api.entra.issuer import CLIENT_ID, OPERATORS_GROUP, FakeTenant, fake_tenant
from tests.api.served import NOW, Served, served

OID = "690222be-ff1a-4d56-abd1-7e4f7d38e474"


@pytest.fixture(scope="module")
def entra() -> Iterator[FakeTenant]:
    """One loopback tenant for the module's server."""
    with fake_tenant() as tenant:
        yield tenant


@pytest.fixture(scope="module")
def entra_api(
    demo_store: Path, entra: FakeTenant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """The API with Entra sign-in for the loopback tenant (and a token per role as usual)."""
    state = tmp_path_factory.mktemp("entra-state") / "state.duckdb"
    with served(demo_store, state, entra=entra.sign_in()) as running:
        yield running


def bearer(api: Served, token: str) -> httpx.Client:
    """A client of `api` sending `token` as its bearer."""
    return api.client(headers={"Authorization": f"Bearer {token}"})


def error_code(response: httpx.Response) -> str:
    """The stable code of an error response."""
    return str(response.json()["error"]["code"])


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"roles": ["idpilot.Reader"]}, Role.reader),
        ({"roles": None, "groups": [OPERATORS_GROUP]}, Role.operator),
        ({"roles": ["idpilot.Admin"]}, Role.admin),
    ],
)
def test_an_entra_access_token_gets_its_mapped_role(
    entra_api: Served, entra: FakeTenant, claims: dict[str, object], role: Role
) -> None:
    with bearer(entra_api, entra.token(**claims)) as client:
        me = client.get("/api/me")
        tokens = client.get("/api/tokens")
    assert me.status_code == 200, me.text
    assert me.json()["user"] == "abeli@contoso.com"
    assert me.json()["role"] == role.value
    assert me.json()["token_id"] == f"entra:{OID}"
    assert tokens.status_code == (200 if role is Role.admin else 403)
    if role is not Role.admin:
        assert error_code(tokens) == "forbidden"


def test_an_entra_token_without_a_mapped_role_is_403_no_mapped_role(
    entra_api: Served, entra: FakeTenant
) -> None:
    with bearer(entra_api, entra.token(roles=["Unrelated.Role"])) as client:
        response = client.get("/api/me")
    assert response.status_code == 403
    assert error_code(response) == "no_mapped_role"
    assert "IDPILOT_ENTRA_ROLES" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"exp": int(NOW.timestamp()) - 3600}, "expired_token"),
        ({"nbf": int(NOW.timestamp()) + 3600}, "invalid_token"),
        ({"aud": "00000003-0000-0000-c000-000000000000"}, "invalid_token"),
        ({"tid": "8eaef023-2b34-4da1-9baa-8bc8c9d6a490"}, "invalid_token"),
    ],
)
def test_a_refused_entra_token_is_401_with_a_stable_code(
    entra_api: Served, entra: FakeTenant, claims: dict[str, object], code: str
) -> None:
    with bearer(entra_api, entra.token(**claims)) as client:
        response = client.get("/api/me")
    assert response.status_code == 401
    assert error_code(response) == code
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_idpilot_tokens_still_work_beside_entra_tokens(
    entra_api: Served, entra: FakeTenant
) -> None:
    with entra_api.client(Role.reader) as reader, bearer(entra_api, entra.token()) as user:
        assert reader.get("/api/me").json()["user"] == "reader-user"
        assert user.get("/api/me").json()["user"] == "abeli@contoso.com"
        invalid = entra_api.client(headers={"Authorization": "Bearer idp_not-a-token"})
        with invalid:
            assert error_code(invalid.get("/api/me")) == "invalid_token"


def test_what_an_entra_caller_asks_is_audited_under_their_name(
    entra_api: Served, entra: FakeTenant
) -> None:
    with bearer(entra_api, entra.token()) as client:
        asked = client.post("/api/ask", json={"prompt": "who are the global admins?"})
    assert asked.status_code == 200, asked.text
    with entra_api.client(Role.admin) as admin:
        trail = admin.get("/api/audit").json()
    mine = [e for e in trail if e["answer_id"] == asked.json()["answer_id"]]
    assert len(mine) == 1
    assert mine[0]["user"] == "abeli@contoso.com"
    assert mine[0]["token_id"] == f"entra:{OID}"
    assert mine[0]["role"] == "reader"


def test_entra_tokens_are_refused_when_entra_sign_in_is_off(api: Served, entra: FakeTenant) -> None:
    with bearer(api, entra.token(roles=["idpilot.Admin"])) as client:
        response = client.get("/api/me")
    assert response.status_code == 401
    assert error_code(response) == "invalid_token"


def test_an_unreachable_identity_provider_is_503(
    demo_store: Path, entra: FakeTenant, tmp_path: Path
) -> None:
    sign_in = entra.sign_in(tenant_id="8eaef023-2b34-4da1-9baa-8bc8c9d6a490")
    with (
        served(demo_store, tmp_path / "state.duckdb", entra=sign_in) as running,
        bearer(running, entra.token()) as client,
    ):
        response = client.get("/api/me")
    assert response.status_code == 503
    assert error_code(response) == "identity_provider"


def test_the_page_names_the_tenant_endpoints_and_may_call_only_its_token_endpoint(
    entra_api: Served, entra: FakeTenant, api: Served
) -> None:
    with entra_api.client() as client:
        page = client.get("/")
    settings = re.search(r'<meta name="idpilot-entra" content="([^"]+)">', page.text)
    assert settings is not None
    named = json.loads(html.unescape(settings.group(1)))
    endpoints = f"{entra.base_url}/{entra.tenant_id}/oauth2/v2.0"
    assert named == {
        "authorize": f"{endpoints}/authorize",
        "token": f"{endpoints}/token",
        "client_id": CLIENT_ID,
        "scope": f"api://{CLIENT_ID}/access_as_user",
    }
    csp = page.headers["content-security-policy"]
    assert f"connect-src 'self' {entra.base_url};" in csp
    assert "'unsafe-inline'" not in csp and "<script>" not in page.text
    with api.client() as client:
        off = client.get("/")
    assert '<meta name="idpilot-entra" content="">' in off.text
    assert "connect-src 'self';" in off.headers["content-security-policy"]
