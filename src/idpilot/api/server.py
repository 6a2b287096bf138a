"""Running the API: the first admin token, the URL, uvicorn on the chosen address."""

from __future__ import annotations

import ipaddress

from idpilot.api.config import ServerConfig
from idpilot.state.roles import Role
from idpilot.state.tokens import IssuedToken, issue_token
from idpilot.store.app_state import open_app_state

FIRST_ADMIN = "admin"


def first_admin_token(config: ServerConfig) -> IssuedToken | None:
    """An admin token when the app state has never had a token (the first start), else None."""
    with open_app_state(config.state) as state:
        if state.token_count():
            return None
        return issue_token(state, FIRST_ADMIN, Role.admin, None, config.clock())


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address or name (only this machine can connect)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_of(host: str, port: int) -> str:
    """The base URL of a server on `host`:`port` (IPv6 in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def serve(config: ServerConfig, host: str, port: int) -> None:
    """Run the API with uvicorn until interrupted (its access log never shows headers, so
    tokens are not logged; they are never accepted in a URL)."""
    import uvicorn

    from idpilot.api.app import create_app

    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        log_level="info",
        proxy_headers=False,
        server_header=False,
    )
