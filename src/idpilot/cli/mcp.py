"""`idpilot mcp`: the MCP server (skills, ask and kql as tools, the Log Analytics views as
resources) over stdio for a local MCP client, or over streamable HTTP with a bearer token."""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from idpilot.cli.app import OfflineOption, StoreOption, app, store_path, user_errors
from idpilot.errors import IdpilotError
from idpilot.settings import get_int, get_setting

if TYPE_CHECKING:
    from idpilot.api.config import ServerConfig


class Transport(StrEnum):
    """How an MCP client talks to the server."""

    stdio = "stdio"
    http = "http"


def _sdk() -> None:
    """Fail with the extra to install when the MCP SDK (or the API it shares) is missing."""
    try:
        import fastapi  # noqa: F401
        import mcp  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        raise IdpilotError(
            f"`idpilot mcp` needs the api extra ({error.name} is missing): "
            "pip install 'idpilot[api]'"
        ) from None


@app.command()
@user_errors
def mcp(
    store: StoreOption = None,
    transport: Annotated[
        Transport, typer.Option(help="stdio (started by a local MCP client) or http.")
    ] = Transport.stdio,
    host: Annotated[
        str | None,
        typer.Option(help="HTTP: address to bind (default IDPILOT_MCP_HOST, 127.0.0.1)."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="HTTP: port (default IDPILOT_MCP_PORT, 8471)."),
    ] = None,
    offline: OfflineOption = False,
) -> None:
    """Serve idpilot to other agents over MCP: every skill as a read-only tool with its typed
    inputs, `ask`, `kql`, and the Log Analytics views as resources. Over HTTP (at /mcp)
    every request needs a bearer token from `idpilot token create`; binds to loopback unless
    --host says otherwise."""
    _sdk()
    from idpilot.api.config import ServerConfig
    from idpilot.store import Store

    path = store_path(store)
    with Store.open(path, read_only=True) as opened:  # refuse a missing or empty store now
        opened.require_records()
    config = ServerConfig.from_settings(path, use_model=not offline)
    if transport is Transport.stdio:
        _serve_stdio(config)
    else:
        _serve_http(config, host or get_setting("mcp_host"), port or get_int("mcp_port"))


def _serve_stdio(config: ServerConfig) -> None:
    """Speak MCP on stdin and stdout (nothing else may be written to stdout)."""
    import anyio
    from mcp.server.stdio import stdio_server

    from idpilot.mcp import LOCAL_CALLER, create_server

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    server = create_server(config, local_caller=LOCAL_CALLER)

    async def run() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(run)


def _serve_http(config: ServerConfig, host: str, port: int) -> None:
    """Serve streamable HTTP at /mcp; print the URL and, on first start, an admin token."""
    from idpilot.api.server import url_of
    from idpilot.cli._serving import announce
    from idpilot.mcp.http import MCP_PATH, serve_http

    announce(
        config,
        host,
        f"idpilot MCP on {url_of(host, port)}{MCP_PATH} (streamable HTTP)",
        "make a reader token for MCP clients with `idpilot token create --user NAME --role reader`",
    )
    serve_http(config, host, port)
