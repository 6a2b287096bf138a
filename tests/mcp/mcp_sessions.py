"""Helpers for the MCP tests: run a client coroutine, read the audit trail, read results."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

import anyio
import httpx2
import mcp_types as types
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from starlette.types import ASGIApp

from idpilot.api.config import ServerConfig
from idpilot.copilot.answer import Answer
from idpilot.state.roles import Role
from idpilot.state.tokens import issue_token
from idpilot.store.app_state import open_app_state

T = TypeVar("T")
START_SECONDS = 10.0


def run(work: Callable[[], Awaitable[T]]) -> T:
    """Run an async client session to its end from a plain test."""
    return anyio.run(work)


def audit_trail(config: ServerConfig) -> list[dict[str, Any]]:
    """The audit events the server wrote, newest first."""
    with open_app_state(config.state) as state:
        return state.audit_events(100)


def answer_of(result: types.CallToolResult) -> Answer:
    """The Answer a tool result carries as structured content (the text block must agree)."""
    assert not result.is_error, result.content
    answer = Answer.model_validate(result.structured_content)
    texts = [block.text for block in result.content if isinstance(block, types.TextContent)]
    assert Answer.model_validate_json(texts[1]).answer_id == answer.answer_id
    return answer


def text_of(result: types.CallToolResult) -> str:
    """The first text block of a result (what a model or a person reads)."""
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


@contextmanager
def serve_asgi(app: ASGIApp) -> Iterator[str]:
    """Serve an ASGI app (lifespan on: the MCP session manager runs in it) with uvicorn on a
    free loopback port in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(START_SECONDS)
        sock.close()


def issue(config: ServerConfig, role: Role, user: str) -> str:
    """A new token's secret in the server's app state."""
    with open_app_state(config.state) as state:
        return issue_token(state, user, role, None, config.clock()).secret


@asynccontextmanager
async def http_client(url: str, secret: str) -> AsyncIterator[Client]:
    """The SDK's client over streamable HTTP, sending `secret` as the bearer token."""
    headers = {"Authorization": f"Bearer {secret}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=60) as http,
        Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client,
    ):
        yield client
