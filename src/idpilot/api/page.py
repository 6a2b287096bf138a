"""The web page: `/` (one HTML document) and its static scripts and styles under `/static/`.

Nothing in the page is inline: scripts and styles come from this server only, so the page's
CSP forbids inline script and inline style. The page holds no data; it asks the API with the
token the person pasted (kept in sessionStorage) and renders tenant text as text, never as
markup.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
PAGE_PATH = "/"
STATIC_PATH = "/static"
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
"""Scripts, styles and requests to this server only; no inline script or style, no frames."""

router = APIRouter(include_in_schema=False)


@router.get(PAGE_PATH)
def page() -> FileResponse:
    """The page (sign in, chat, risky users, sign-ins, posture, Conditional Access, audit)."""
    return FileResponse(STATIC / "index.html", media_type="text/html")


def mount_static(app: FastAPI) -> None:
    """Serve the page's scripts, styles and licence files under `/static/`."""
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC), name="static")
