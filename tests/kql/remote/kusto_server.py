"""A loopback Log Analytics / Azure Data Explorer query endpoint: a real HTTP server on 127.0.0.1.

It replays scripted replies, built from the services' documented wire formats
(`tests/fixtures/log_analytics`, `tests/fixtures/data_explorer`), one per request in order (the
last one again once the script runs out), and records every request it was sent (method, path,
headers, parsed JSON body) for the test to check. A path with no script answers Log Analytics'
documented 404 (`PathNotFoundError`).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
WORKSPACE_ID = "63613592-b6f7-4c3d-a390-22ba13102111"
QUERY_PATH = f"/v1/workspaces/{WORKSPACE_ID}/query"
ADX_PATH = "/v2/rest/query"


def fixture(name: str) -> bytes:
    """The bytes of a fixture file, e.g. `log_analytics/query.simple.json`."""
    return (FIXTURES / name).read_bytes()


@dataclass
class Reply:
    """One scripted answer."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (a client timeout)."""


def ok(name: str) -> Reply:
    """200 with a fixture as its JSON body."""
    return Reply(200, fixture(name))


def refused(status: int, name: str, **headers: str) -> Reply:
    """A refusal with a fixture as its JSON error body."""
    return Reply(status, fixture(name), dict(headers))


@dataclass
class Recorded:
    """One request the server was sent."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


class KustoHandler(BaseHTTPRequestHandler):
    """Answers each POST from the server's script."""

    server: LoopbackKusto

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw
        headers = {key.lower(): value for key, value in self.headers.items()}
        self.server.requests.append(Recorded("POST", self.path, headers, body))
        reply = self.server.next_reply(self.path)
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        if reply.body:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client timed out
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads `requests` instead."""


class LoopbackKusto(ThreadingHTTPServer):
    """The server; `base_url` is what the client is pointed at."""

    daemon_threads = True

    def __init__(self, script: dict[str, list[Reply]]) -> None:
        super().__init__(("127.0.0.1", 0), KustoHandler)
        self.script = {path: list(replies) for path, replies in script.items()}
        self.requests: list[Recorded] = []
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    def next_reply(self, path: str) -> Reply:
        """The next scripted reply for `path` (the last one repeats)."""
        with self._lock:
            replies = self.script.get(path)
            if not replies:
                return refused(404, "log_analytics/error.path_not_found.json")
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def __enter__(self) -> LoopbackKusto:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


class FakeCredential:
    """Stands for an azure-identity credential: hands out numbered tokens, records the scopes."""

    def __init__(self) -> None:
        self.scopes: list[str] = []

    def get_token(self, *scopes: str) -> Any:
        """A token object with `.token`, as azure-identity returns."""
        self.scopes.extend(scopes)

        @dataclass
        class Token:
            token: str
            expires_on: int

        return Token(f"fake-token-{len(self.scopes)}", int(time.time()) + 3600)
