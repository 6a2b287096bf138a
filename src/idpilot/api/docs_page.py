"""`/docs`: Swagger UI over `/openapi.json`, with no inline script (its start-up script is
served as `/docs/init.js`). The page loads Swagger UI from jsDelivr, the only thing the server
lets a browser fetch from elsewhere; `/openapi.json` is the whole contract, offline."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

SWAGGER_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"
DOCS_PATH = "/docs"
INIT_PATH = "/docs/init.js"
DOCS_CSP = (
    "default-src 'none'; script-src 'self' https://cdn.jsdelivr.net; "
    "style-src https://cdn.jsdelivr.net 'unsafe-inline'; img-src 'self' data: "
    "https://cdn.jsdelivr.net; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)
"""Scripts from this server and the CDN only (never inline); Swagger UI styles elements."""

_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>idpilot API</title>
<link rel="stylesheet" href="{SWAGGER_CDN}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{SWAGGER_CDN}/swagger-ui-bundle.js"></script>
<script src="{INIT_PATH}"></script>
</body>
</html>
"""
_INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  showExtensions: true,
  persistAuthorization: false,
});
"""

router = APIRouter(include_in_schema=False)


@router.get(DOCS_PATH)
def docs() -> HTMLResponse:
    """The Swagger UI page."""
    return HTMLResponse(_PAGE)


@router.get(INIT_PATH)
def docs_init() -> Response:
    """The page's start-up script."""
    return Response(_INIT, media_type="text/javascript")
