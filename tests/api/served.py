"""A real uvicorn serving the API on loopback, in a thread, for the tests to call with httpx."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from idpilot.api import ServerConfig, create_app
from idpilot.state.roles import Role
from idpilot.state.tokens import issue_token
from idpilot.store import Store
from idpilot.store.app_state import open_app_state

START_SECONDS = 10.0
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


@dataclass
class Clock:
    """The server's clock, set by the test."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.now += delta


@dataclass
class Served:
    """A running server: its base URL, configuration, clock and a token per role."""

    url: str
    config: ServerConfig
    clock: Clock
    tokens: dict[Role, str] = field(default_factory=dict)

    def client(
        self, role: Role | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Client:
        """An httpx client for the server, with the bearer token of `role` (None: no token)
        and any other `headers`."""
        sent = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers={**sent, **(headers or {})}, timeout=60)

    def token(
        self,
        role: Role,
        user: str,
        expires: timedelta | None = None,
        at: datetime | None = None,
    ) -> str:
        """A new token's secret (issued at `at`, the clock's time by default)."""
        with open_app_state(self.config.state) as state:
            return issue_token(state, user, role, expires, at or self.clock()).secret


def private_store(folder: Path, source: Store) -> Path:
    """A private copy of an open store's file to serve (the original stays untouched)."""
    assert source.path is not None
    source.con.execute("CHECKPOINT")  # the copy must hold everything written
    target = folder / "tenant.duckdb"
    shutil.copyfile(source.path, target)
    return target


def free_port() -> int:
    """A loopback port free at the moment of asking."""
    with _free_socket() as sock:
        return int(sock.getsockname()[1])


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serve_app(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port in a thread; yield its base URL."""
    sock = _free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_config=None, log_level="info", access_log=True, lifespan="off")
    )
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


@contextmanager
def served(store: Path, state: Path, **settings: object) -> Iterator[Served]:
    """The API over `store` (app state in `state`) on a real uvicorn, a token per role."""
    clock = Clock()
    config = replace(
        ServerConfig(store=store, state=state, use_model=False, clock=clock), **settings
    )
    with serve_app(create_app(config)) as url:
        running = Served(url=url, config=config, clock=clock)
        for role in Role:
            running.tokens[role] = running.token(role, f"{role.value}-user")
        yield running
