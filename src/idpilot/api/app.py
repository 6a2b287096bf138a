"""The FastAPI application: routes, error shape, security headers, body limit, CORS."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp

from idpilot import __version__
from idpilot.api import docs_page, page
from idpilot.api.config import ServerConfig
from idpilot.api.errors import install_error_handlers
from idpilot.api.middleware import BodyLimit, SecurityHeaders, csp_chooser
from idpilot.api.responses import InertJSONResponse
from idpilot.api.routes import (
    admin,
    ask,
    browse,
    catalog,
    feedback,
    health,
    promptbooks,
    proposals,
    remote_kql,
    sessions,
    tenant,
)

DESCRIPTION = """Grounded, cited answers about one Microsoft Entra ID tenant.

The page at `/` (and its files under `/static/`) is open; it asks for a token. Every other
route but `/health` and these docs needs `Authorization: Bearer <token>` (`idpilot token
create`). Readers ask and read; operators also prepare remediation proposals (never executed);
admins also manage tokens and read usage and the audit trail. Each operation's `x-idpilot-role`
names the role it needs and `x-idpilot-units` what it costs of the caller's daily quota. Errors
are `{"error": {"code", "message"}}` with a stable code.
"""


class IdpilotAPI(FastAPI):
    """FastAPI with the security headers outside everything, Starlette's server-error
    middleware included, so a 500 carries them too."""

    def build_middleware_stack(self) -> ASGIApp:
        """The usual stack, wrapped in the security headers."""
        chooser = csp_chooser(
            {
                docs_page.DOCS_PATH: docs_page.DOCS_CSP,
                page.PAGE_PATH: page.page_csp(self.state.config),
            }
        )
        return SecurityHeaders(super().build_middleware_stack(), csp_for=chooser)


def create_app(config: ServerConfig) -> FastAPI:
    """The API for the tenant store and app state `config` names."""
    app = IdpilotAPI(
        title="idpilot",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        default_response_class=InertJSONResponse,
    )
    app.state.config = config
    install_error_handlers(app)
    for module in (
        health,
        ask,
        sessions,
        promptbooks,
        catalog,
        tenant,
        remote_kql,
        browse,
        feedback,
        proposals,
        admin,
        docs_page,
        page,
    ):
        app.include_router(module.router)
    page.mount_static(app)
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)
    if config.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    return app
