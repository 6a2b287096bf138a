"""A real OpenAI-compatible chat-completions server on loopback, replying from a script.

FastAPI served by uvicorn on 127.0.0.1 (a free port, in a thread), speaking OpenAI's exact
wire format (chat.completion objects, server-sent chat.completion.chunk events ending in
`data: [DONE]`, usage, tool_calls, error objects with their headers), so the providers are
exercised through the real `openai` SDK and HTTP. It serves OpenAI's path and Azure OpenAI's
deployment path. It binds loopback only, and `running_openai_server` refuses anything else.
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
from fastapi.responses import JSONResponse, Response, StreamingResponse

LOOPBACK = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 10.0
CREATED = 1_767_225_600  # a fixed Unix time for the "created" field


USAGE = {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60}


def completion(
    message: dict[str, Any], finish_reason: str, model: str, usage: dict[str, int] | None = None
) -> dict[str, Any]:
    """A chat.completion object exactly as OpenAI sends it."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": CREATED,
        "model": model,
        "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}
        ],
        "usage": usage or USAGE,
    }


def tool_calls_reply(
    *calls: tuple[str, str], model: str = "test-model", usage: dict[str, int] | None = None
) -> dict[str, Any]:
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
    return completion(message, "tool_calls", model, usage)


def text_reply(
    text: str, model: str = "test-model", usage: dict[str, int] | None = None
) -> dict[str, Any]:
    """A reply with text only."""
    message = {"role": "assistant", "content": text, "refusal": None}
    return completion(message, "stop", model, usage)


def error_body(message: str, kind: str, code: str | None = None) -> dict[str, Any]:
    """An error object as OpenAI sends it with a 4xx or 5xx status."""
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _chunk(choices: list[dict[str, Any]], model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": model,
        "system_fingerprint": None,
        "choices": choices,
    }


def stream_chunks(
    text_pieces: tuple[str, ...] = (),
    calls: tuple[tuple[str, str], ...] = (),
    model: str = "test-model",
    usage: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """The chat.completion.chunk events of one streamed reply: the role, the text in pieces,
    each tool call (its id and name first, then its arguments in two fragments), the finish
    reason, and (when the request asked for it) a last chunk with the usage and no choices."""

    def delta(fields: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": fields, "logprobs": None, "finish_reason": finish}
        return _chunk([choice], model)

    chunks = [delta({"role": "assistant", "content": "", "refusal": None})]
    chunks += [delta({"content": piece}) for piece in text_pieces]
    for index, (name, arguments) in enumerate(calls):
        head = {"index": index, "id": f"call_{index + 1}", "type": "function"}
        head["function"] = {"name": name, "arguments": ""}
        chunks.append(delta({"tool_calls": [head]}))
        middle = len(arguments) // 2
        for fragment in (arguments[:middle], arguments[middle:]):
            part = {"index": index, "function": {"arguments": fragment}}
            chunks.append(delta({"tool_calls": [part]}))
    chunks.append(delta({}, "tool_calls" if calls else "stop"))
    chunks.append({**_chunk([], model), "usage": usage or USAGE})
    return chunks


@dataclass
class Scripted:
    """An HTTP reply to send: a status, a JSON body or stream chunks, headers, a delay."""

    body: dict[str, Any] | None = None
    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[dict[str, Any]] | None = None


@dataclass
class OpenAIServer:
    """The running server: queue replies, read the requests it received."""

    url: str
    replies: deque[Scripted] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    paths: list[str] = field(default_factory=list)

    def reply(
        self,
        body: dict[str, Any],
        status: int = 200,
        delay: float = 0.0,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Queue the next reply."""
        self.replies.append(Scripted(body, status, delay, headers or {}))

    def stream(self, chunks: list[dict[str, Any]]) -> None:
        """Queue a streamed reply (sent as server-sent events, `data: [DONE]` last)."""
        self.replies.append(Scripted(chunks=chunks))

    def fail(
        self, status: int, message: str, kind: str, headers: dict[str, str] | None = None
    ) -> None:
        """Queue an error reply, as OpenAI sends one."""
        self.reply(error_body(message, kind), status=status, headers=headers)

    def reset(self) -> None:
        """Forget queued replies and received requests."""
        self.replies.clear()
        self.requests.clear()
        self.headers.clear()
        self.paths.clear()


def _app(server: OpenAIServer) -> FastAPI:
    app = FastAPI()

    async def reply(request: Request) -> Response:
        server.requests.append(json.loads(await request.body()))
        server.headers.append(dict(request.headers))
        server.paths.append(
            str(request.url.path) + ("?" + request.url.query if request.url.query else "")
        )
        if not server.replies:
            return JSONResponse(error_body("no reply scripted", "server_error"), status_code=500)
        scripted = server.replies.popleft()
        if scripted.delay:
            await asyncio.sleep(scripted.delay)
        if scripted.chunks is not None:
            asked = server.requests[-1].get("stream_options") or {}
            chunks = [c for c in scripted.chunks if c["choices"] or asked.get("include_usage")]
            if asked.get("include_usage"):  # every other chunk then carries "usage": null
                chunks = [{"usage": None, **c} for c in chunks]
            events = [f"data: {json.dumps(c)}\n\n" for c in chunks] + ["data: [DONE]\n\n"]
            return StreamingResponse(iter(events), media_type="text/event-stream")
        return JSONResponse(scripted.body, status_code=scripted.status, headers=scripted.headers)

    app.post("/v1/chat/completions")(reply)
    app.post("/openai/deployments/{deployment}/chat/completions")(reply)
    return app


@contextmanager
def running_openai_server() -> Iterator[OpenAIServer]:
    """Serve on a free loopback port until the block ends."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, 0))
    host, port = sock.getsockname()[:2]
    if host != LOOPBACK:  # the suite talks to loopback only
        raise RuntimeError(f"the test server must listen on loopback, not {host}")
    state = OpenAIServer(url=f"http://{LOOPBACK}:{port}/v1")
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
