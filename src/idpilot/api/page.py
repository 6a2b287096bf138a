"""The web page: `/` (one HTML document) and its static scripts and styles under `/static/`.

Nothing in the page is inline: scripts and styles come from this server only, so the page's
CSP forbids inline script and inline style. The page holds no data; it asks the API with the
token the person pasted (kept in sessionStorage) and renders tenant text as text, never as
markup. With Entra ID sign-in on, the document also names the tenant's authorization and token
endpoints in a `<meta>` element, and its CSP lets the page's script call the token endpoint
(the authorization code flow with PKCE, `static/js/entra.js`).
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from idpilot.api.config import ServerConfig
from idpilot.api.entra.config import EntraConfig

STATIC = Path(__file__).parent / "static"
PAGE_PATH = "/"
STATIC_PATH = "/static"
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'{connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
"""Scripts, styles and requests to this server only (and to Entra's token endpoint when Entra
sign-in is on); no inline script or style, no frames."""
ENTRA_META = '<meta name="idpilot-entra" content="">'
"""Where the document names Entra sign-in's endpoints (empty: Entra sign-in is off)."""

router = APIRouter(include_in_schema=False)


@cache
def _document() -> str:
    return (STATIC / "index.html").read_text(encoding="utf-8")


def entra_page_settings(entra: EntraConfig) -> dict[str, str]:
    """What the page needs to sign in with Entra ID: the tenant's v2.0 authorization and token
    endpoints, the app registration's client id and the scope to ask for."""
    endpoints = f"{entra.authority}/{entra.tenant_id}/oauth2/v2.0"
    return {
        "authorize": f"{endpoints}/authorize",
        "token": f"{endpoints}/token",
        "client_id": entra.client_id,
        "scope": f"api://{entra.client_id}/{entra.scope}",
    }


def page_html(config: ServerConfig) -> str:
    """The page's document, naming Entra sign-in's endpoints when it is on."""
    document = _document()
    if config.entra is None:
        return document
    settings = html.escape(json.dumps(entra_page_settings(config.entra.config)), quote=True)
    return document.replace(ENTRA_META, f'<meta name="idpilot-entra" content="{settings}">')


def page_csp(config: ServerConfig) -> str:
    """The page's CSP: this server only, and Entra's authority for the token request when
    Entra sign-in is on."""
    if config.entra is None:
        return PAGE_CSP.format(connect="")
    parts = urlsplit(config.entra.config.authority)
    return PAGE_CSP.format(connect=f" {parts.scheme}://{parts.netloc}")


@router.get(PAGE_PATH)
def page(request: Request) -> HTMLResponse:
    """The page (sign in, chat, risky users, sign-ins, posture, Conditional Access, audit)."""
    return HTMLResponse(page_html(request.app.state.config))


def mount_static(app: FastAPI) -> None:
    """Serve the page's scripts, styles and licence files under `/static/`."""
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC), name="static")
