"""`idpilot mcp --transport http`: streamable HTTP at `/mcp`, every request with a bearer token.

The token is checked as the REST API checks it (an idpilot token, or an Entra ID access token
when Entra sign-in is configured) on each request, before the SDK sees it; a refusal is 401
(403 for an Entra token without a mapped role) with the API's error document. The admitted
token becomes the SDK's authenticated user (a session can be used only with the token that
opened it) and the caller the tools charge and audit. The security headers and body limit are
the API's; the SDK's DNS-rebinding protection is on when bound to loopback.
"""

from __future__ import annotations

import anyio.to_thread
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.lowlevel import Server
from starlette.authentication import AuthCredentials
from starlette.types import ASGIApp, Receive, Scope, Send

from idpilot.api.auth import Caller, entra_caller, token_caller
from idpilot.api.config import ServerConfig
from idpilot.api.entra.errors import IdentityProviderError, UnmappedRoleError
from idpilot.api.errors import error_response
from idpilot.api.middleware import API_CSP, BodyLimit, SecurityHeaders
from idpilot.mcp.caller import McpCaller
from idpilot.mcp.server import CALLER_SCOPE_KEY, create_server
from idpilot.mcp.tools import TOOL_ROLE
from idpilot.state.tokens import TokenError

MCP_PATH = "/mcp"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="idpilot"'}


def bearer_secret(scope: Scope) -> str | None:
    """The secret of an `Authorization: Bearer <secret>` header, if the request has one."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, secret = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and secret.strip():
                return secret.strip()
    return None


class BearerTokens:
    """ASGI middleware admitting only requests with a valid token whose role may use the
    tools; the caller is left in the scope (lifespan events pass through)."""

    def __init__(self, app: ASGIApp, config: ServerConfig) -> None:
        self.app = app
        self.config = config

    def _caller(self, secret: str | None) -> Caller:
        now = self.config.clock()
        caller = entra_caller(self.config, secret, now)
        if caller is not None:
            return caller
        with self.config.app_state() as state:
            return token_caller(state, secret, now)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            caller = await anyio.to_thread.run_sync(self._caller, bearer_secret(scope))
        except TokenError as error:
            code = error.problem.value if error.problem else "invalid_token"
            await error_response(401, code, str(error), _CHALLENGE)(scope, receive, send)
            return
        except UnmappedRoleError as error:
            await error_response(403, "no_mapped_role", str(error))(scope, receive, send)
            return
        except IdentityProviderError as error:
            message = f"Entra ID sign-in is unavailable: {error}"
            await error_response(503, "identity_provider", message)(scope, receive, send)
            return
        if not caller.role.allows(TOOL_ROLE):
            message = f"The MCP tools need the {TOOL_ROLE.value} role."
            await error_response(403, "forbidden", message)(scope, receive, send)
            return
        scope["user"] = AuthenticatedUser(
            AccessToken(
                token=caller.token_id,
                client_id=caller.token_id,
                scopes=[caller.role.value],
                subject=caller.user,
            )
        )
        scope["auth"] = AuthCredentials([caller.role.value])
        scope[CALLER_SCOPE_KEY] = McpCaller.of_caller(caller)
        await self.app(scope, receive, send)


def create_http_app(config: ServerConfig, host: str) -> ASGIApp:
    """The streamable-HTTP app for the server over `config`, as it will be bound on `host`."""
    server: Server = create_server(config, local_caller=None)
    app = server.streamable_http_app(
        streamable_http_path=MCP_PATH, host=host, max_request_body_size=config.max_body_bytes
    )
    guarded = BodyLimit(BearerTokens(app, config), limit=config.max_body_bytes)
    return SecurityHeaders(guarded, csp_for=lambda path: API_CSP)


def serve_http(config: ServerConfig, host: str, port: int) -> None:
    """Run the MCP server over streamable HTTP with uvicorn until interrupted (its access log
    never shows headers, so tokens are not logged)."""
    import uvicorn

    uvicorn.run(
        create_http_app(config, host),
        host=host,
        port=port,
        log_level="info",
        proxy_headers=False,
        server_header=False,
    )
