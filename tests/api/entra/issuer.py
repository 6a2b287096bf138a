"""A stand-in for an Entra ID tenant on loopback: its v2.0 OpenID Connect metadata and JWKS
served by a real HTTP server on 127.0.0.1, RSA keys made in the test, and access tokens signed
with them in the documented v2.0 shape (access token claims reference)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from idpilot.api.entra.config import EntraConfig
from idpilot.api.entra.keys import SigningKeys
from idpilot.api.entra.verify import EntraSignIn
from idpilot.state.roles import Role
from tests.api.served import NOW

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_ID = "6e74172b-be56-4843-9ff4-e66a39bb12e3"
"""The API's app registration: the `aud` of its v2.0 access tokens."""
SPA_CLIENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
"""The client that asked for the token (`azp`)."""
OTHER_TENANT_ID = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490"
OPERATORS_GROUP = "5f2e0b9c-1d3a-4c5b-9e8f-7a6b5c4d3e2f"
ROLE_MAP = {
    "idpilot.Reader": Role.reader,
    "idpilot.Operator": Role.operator,
    "idpilot.Admin": Role.admin,
    OPERATORS_GROUP: Role.operator,
}
TOKEN_LIFETIME = timedelta(minutes=75)


def new_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA signing key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str, issuer: str | None) -> dict[str, Any]:
    """The key as Entra's JWKS lists it: kty, use, kid, n, e (and the issuer it signs for)."""
    entry: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    entry.update({"use": "sig", "kid": kid})
    if issuer is not None:
        entry["issuer"] = issuer
    return entry


def b64url(data: bytes) -> str:
    """Base64url without padding, as JWTs are written."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(claims: dict[str, Any], header: dict[str, Any]) -> str:
    """A JWT with `header` and an empty signature (for `alg: none`)."""
    parts = (json.dumps(header).encode(), json.dumps(claims).encode())
    return ".".join(b64url(part) for part in parts) + "."


@dataclass
class FakeTenant:
    """The tenant's signing keys and what its loopback server publishes."""

    base_url: str = ""
    tenant_id: str = TENANT_ID
    keys: dict[str, rsa.RSAPrivateKey] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    key_issuer: str | None = "{authority}/{{tenantid}}/v2.0"
    """Each JWKS entry's `issuer` (with `{tenantid}`, as the common keys endpoint writes it)."""
    sign_in_claims: dict[str, Any] = field(default_factory=dict)
    """The claims (changed from `claims()`'s) of the token the token endpoint issues."""
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    """Authorization codes handed out, with the request each was for."""

    @property
    def issuer(self) -> str:
        """The v2.0 issuer of the tenant."""
        return f"{self.base_url}/{self.tenant_id}/v2.0"

    @property
    def jwks_path(self) -> str:
        """Where the keys are served."""
        return f"/{self.tenant_id}/discovery/v2.0/keys"

    def documents(self) -> dict[str, dict[str, Any]]:
        """Path → JSON document the server answers with."""
        key_issuer = (
            None if self.key_issuer is None else self.key_issuer.format(authority=self.base_url)
        )
        return {
            f"/{self.tenant_id}/v2.0/.well-known/openid-configuration": {
                "issuer": self.issuer,
                "jwks_uri": self.base_url + self.jwks_path,
                "authorization_endpoint": f"{self.base_url}/{self.tenant_id}/oauth2/v2.0/authorize",
                "token_endpoint": f"{self.base_url}/{self.tenant_id}/oauth2/v2.0/token",
                "id_token_signing_alg_values_supported": ["RS256"],
            },
            self.jwks_path: {
                "keys": [public_jwk(key, kid, key_issuer) for kid, key in self.keys.items()]
            },
        }

    def authorize(self, query: dict[str, str]) -> str:
        """Where the authorization endpoint sends the browser: back to the redirect URI with a
        code bound to the PKCE challenge (a user who signs in at once)."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        back = {"code": code, "state": query.get("state", "")}
        separator = "#" if query.get("response_mode") == "fragment" else "?"
        return f"{query['redirect_uri']}{separator}{urlencode(back)}"

    def redeem(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """The token endpoint: an access token for a code whose PKCE verifier, client and
        redirect URI match the authorization request (an OAuth error otherwise)."""
        asked = self.codes.pop(form.get("code", ""), None)
        if asked is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant", "error_description": "unknown code"}
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if (
            asked.get("code_challenge_method") != "S256"
            or b64url(digest) != asked.get("code_challenge")
            or form.get("client_id") != asked.get("client_id")
            or form.get("redirect_uri") != asked.get("redirect_uri")
        ):
            return 400, {"error": "invalid_grant", "error_description": "PKCE check failed"}
        token = self.token(**self.sign_in_claims)
        return 200, {"token_type": "Bearer", "access_token": token, "expires_in": 3600}

    def add_key(self) -> str:
        """Publish a new signing key; its kid."""
        kid = uuid.uuid4().hex[:27]
        self.keys[kid] = new_key()
        return kid

    def rotate(self) -> str:
        """Roll the keys over: a new key replaces every published one; its kid."""
        self.keys.clear()
        return self.add_key()

    def config(self, **changes: Any) -> EntraConfig:
        """The idpilot configuration for this tenant and the API's app registration."""
        settings: dict[str, Any] = {
            "tenant_id": self.tenant_id,
            "client_id": CLIENT_ID,
            "roles": dict(ROLE_MAP),
            "authority": self.base_url,
        }
        return EntraConfig(**{**settings, **changes})

    def sign_in(self, **changes: Any) -> EntraSignIn:
        """Entra sign-in for this tenant, its keys refreshed on any unknown kid."""
        config = self.config(**changes)
        keys = SigningKeys(
            config.metadata_url, config.issuer, config.tenant_id, min_refresh_seconds=0
        )
        return EntraSignIn(config, keys)

    def claims(self, *, now: datetime = NOW, **changes: Any) -> dict[str, Any]:
        """A user's v2.0 access token claims for the API (a `None` value drops the claim)."""
        claims: dict[str, Any] = {
            "aud": CLIENT_ID,
            "iss": self.issuer,
            "iat": int(now.timestamp()) - 60,
            "nbf": int(now.timestamp()) - 60,
            "exp": int((now + TOKEN_LIFETIME).timestamp()),
            "aio": "AWQAm/8TAAAA",
            "azp": SPA_CLIENT_ID,
            "azpacr": "0",
            "name": "Abe Lincoln",
            "oid": "690222be-ff1a-4d56-abd1-7e4f7d38e474",
            "preferred_username": "abeli@contoso.com",
            "rh": "I",
            "roles": ["idpilot.Reader"],
            "scp": "access_as_user",
            "sub": "HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ",
            "tid": self.tenant_id,
            "uti": "fqiBqXLPj0eQa82S-IYFAA",
            "ver": "2.0",
        }
        claims.update(changes)
        return {name: value for name, value in claims.items() if value is not None}

    def token(self, kid: str | None = None, *, alg: str = "RS256", **changes: Any) -> str:
        """A signed access token (by `kid`, else the newest key) with the claims changed."""
        kid = kid or list(self.keys)[-1]
        headers = {"typ": "JWT", "kid": kid}
        return jwt.encode(self.claims(**changes), self.keys[kid], algorithm=alg, headers=headers)


def _handler(tenant: FakeTenant) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, document: dict[str, Any], **headers: str) -> None:
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            tenant.requests.append(self.path)
            parts = urlsplit(self.path)
            if parts.path == f"/{tenant.tenant_id}/oauth2/v2.0/authorize":
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                self.send_response(302)
                self.send_header("Location", tenant.authorize(query))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            document = tenant.documents().get(self.path)
            if document is None:
                self._send(404, {"error": "not_found"})
            else:
                self._send(200, document)

        def do_POST(self) -> None:
            tenant.requests.append(self.path)
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if self.path != f"/{tenant.tenant_id}/oauth2/v2.0/token":
                self._send(404, {"error": "not_found"})
                return
            status, document = tenant.redeem(form)
            origin = self.headers.get("Origin", "")
            self._send(status, document, Access_Control_Allow_Origin=origin)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def fake_tenant() -> Iterator[FakeTenant]:
    """A tenant with one signing key, its metadata served on a free loopback port."""
    tenant = FakeTenant()
    tenant.add_key()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(tenant))
    tenant.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield tenant
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
