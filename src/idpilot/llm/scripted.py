"""In-package test models: a scripted model you enqueue turns on, and one backed by a function.

Both record every request they receive, so a test can assert what idpilot sent to the model
(for example that tenant data only ever appears inside the quoted data block).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from idpilot.llm.client import ChatMessage, LLMError, ModelTurn, TextSink
from idpilot.llm.structured import OutputSchema


@dataclass
class ModelRequest:
    """One request a test model received."""

    messages: list[ChatMessage]
    tools: list[dict[str, Any]]
    output: OutputSchema | None = None

    @property
    def text(self) -> str:
        """Every message's content, joined (for assertions)."""
        return "\n".join(message.content for message in self.messages)


@dataclass
class ScriptedModel:
    """Answers with queued turns, in order; a queued LLMError is raised instead."""

    name: str = "scripted"
    queue: deque[ModelTurn | LLMError] = field(default_factory=deque)
    requests: list[ModelRequest] = field(default_factory=list)

    def enqueue(self, *turns: ModelTurn | LLMError | str) -> ScriptedModel:
        """Queue turns; a plain string is a text-only turn."""
        for turn in turns:
            self.queue.append(ModelTurn(text=turn) if isinstance(turn, str) else turn)
        return self

    def complete(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[dict[str, Any]] = (),
        *,
        output: OutputSchema | None = None,
        on_text: TextSink | None = None,
    ) -> ModelTurn:
        """The next queued turn (RuntimeError when the script has run out); its text goes to
        `on_text` in one piece, as a stream of one chunk."""
        self.requests.append(ModelRequest(list(messages), list(tools), output))
        if not self.queue:
            raise RuntimeError("ScriptedModel received a request but has no turn queued")
        turn = self.queue.popleft()
        if isinstance(turn, LLMError):
            raise turn
        if on_text is not None and turn.text:
            on_text(turn.text)
        return turn


@dataclass
class FunctionModel:
    """Answers by calling a function of (messages, tools), for replies that depend on input."""

    function: Callable[[list[ChatMessage], list[dict[str, Any]]], ModelTurn | str]
    name: str = "function"
    requests: list[ModelRequest] = field(default_factory=list)

    def complete(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[dict[str, Any]] = (),
        *,
        output: OutputSchema | None = None,
        on_text: TextSink | None = None,
    ) -> ModelTurn:
        """Whatever the function returns for this request."""
        request = ModelRequest(list(messages), list(tools), output)
        self.requests.append(request)
        turn = self.function(request.messages, request.tools)
        turn = ModelTurn(text=turn) if isinstance(turn, str) else turn
        if on_text is not None and turn.text:
            on_text(turn.text)
        return turn
