"""`idpilot serve`: the REST API (and its OpenAPI docs) over the store, on loopback."""

from __future__ import annotations

from typing import Annotated

import typer

from idpilot.cli.app import OfflineOption, StoreOption, app, store_path, user_errors
from idpilot.errors import IdpilotError
from idpilot.settings import get_int, get_setting


def _api() -> None:
    """Fail with the extra to install when FastAPI or uvicorn is missing."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        raise IdpilotError(
            f"`idpilot serve` needs the api extra ({error.name} is missing): "
            "pip install 'idpilot[api]'"
        ) from None


@app.command()
@user_errors
def serve(
    store: StoreOption = None,
    host: Annotated[
        str | None,
        typer.Option(help="Address to bind (default IDPILOT_SERVE_HOST, 127.0.0.1)."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Port (default IDPILOT_SERVE_PORT, 8470)."),
    ] = None,
    offline: OfflineOption = False,
) -> None:
    """Serve the REST API: ask (JSON or streamed), skills, what-if, KQL, risky users,
    sign-ins, posture; OpenAPI docs at /docs. Binds to loopback unless --host says otherwise."""
    _api()
    from idpilot.api.config import ServerConfig
    from idpilot.api.server import serve, url_of
    from idpilot.cli._serving import announce
    from idpilot.store import Store

    path = store_path(store)
    with Store.open(path, read_only=True) as opened:  # refuse a missing or empty store now
        opened.require_records()
    config = ServerConfig.from_settings(path, use_model=not offline)
    bind = host or get_setting("serve_host")
    listen = port or get_int("serve_port")
    base = url_of(bind, listen)
    announce(
        config,
        bind,
        f"idpilot on {base}/ (open it in a browser, sign in with a token; API docs: {base}/docs)",
        "make others with `idpilot token create`",
    )
    serve(config, bind, listen)
