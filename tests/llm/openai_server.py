"""A real OpenAI-compatible chat-completions server on loopback, replying from a script.

FastAPI served by uvicorn on 127.0.0.1 (a free port, in a thread), speaking OpenAI's exact
wire format, so `OpenAICompatibleModel` is exercised through the real `openai` SDK and HTTP.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

STARTUP_TIMEOUT_SECONDS = 10.0
CREATED = 1_767_225_600  # a fixed Unix time for the "created" field


def completion(message: dict[str, Any], finish_reason: str, model: str) -> dict[str, Any]:
    """A chat.completion object exactly as OpenAI sends it."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": CREATED,
        "model": model,
        "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}
        ],
        "usage": {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60},
    }


def tool_calls_reply(*calls: tuple[str, str], model: str = "test-model") -> dict[str, Any]:
    """A reply calling tools; each call is (name, arguments as the JSON string OpenAI sends)."""
    message = {
        "role": "assistant",
        "content": None,
        "refusal": None,
        "tool_calls": [
            {"id": f"call_{i}", "type": "function", "function": {"name": n, "arguments": a}}
            for i, (n, a) in enumerate(calls, start=1)
        ],
    }
    return completion(message, "tool_calls", model)


def text_reply(text: str, model: str = "test-model") -> dict[str, Any]:
    """A reply with text only."""
    return completion({"role": "assistant", "content": text, "refusal": None}, "stop", model)


@dataclass
class Scripted:
    """An HTTP reply to send: a status, a JSON body, and a delay before sending it."""

    body: dict[str, Any]
    status: int = 200
    delay: float = 0.0


@dataclass
class OpenAIServer:
    """The running server: queue replies, read the requests it received."""

    url: str
    replies: deque[Scripted] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    def reply(self, body: dict[str, Any], status: int = 200, delay: float = 0.0) -> None:
        """Queue the next reply."""
        self.replies.append(Scripted(body, status, delay))

    def reset(self) -> None:
        """Forget queued replies and received requests."""
        self.replies.clear()
        self.requests.clear()
        self.headers.clear()


def _app(server: OpenAIServer) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request) -> JSONResponse:
        server.requests.append(json.loads(await request.body()))
        server.headers.append(dict(request.headers))
        if not server.replies:
            return JSONResponse({"error": {"message": "no reply scripted"}}, status_code=500)
        scripted = server.replies.popleft()
        if scripted.delay:
            await asyncio.sleep(scripted.delay)
        return JSONResponse(scripted.body, status_code=scripted.status)

    return app


@contextmanager
def running_openai_server() -> Iterator[OpenAIServer]:
    """Serve on a free loopback port until the block ends."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    state = OpenAIServer(url=f"http://127.0.0.1:{port}/v1")
    config = uvicorn.Config(
        _app(state), log_level="warning", lifespan="off", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the loopback OpenAI server did not start")
        time.sleep(0.01)
    try:
        yield state
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
