"""Token and latency accounting: every call a model makes for one answer, and their sum."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from idpilot.llm.client import ChatMessage, ChatModel, LLMError, ModelTurn, TextSink, Usage
from idpilot.llm.structured import OutputMode, OutputSchema


@dataclass(frozen=True)
class ModelCall:
    """One request to the model: what it was for, how long it took, the tokens it cost."""

    purpose: str
    latency_ms: float
    usage: Usage
    attempts: int
    failed: str | None = None
    """The failure's message when the call failed."""


@dataclass
class MeteredModel:
    """A model that records each call it makes (wraps any ChatModel for one answer)."""

    model: ChatModel
    calls: list[ModelCall] = field(default_factory=list)
    purpose: str = "plan"
    """What the next calls are for (`plan`, `repair`, `step`, `phrase`...)."""

    @property
    def name(self) -> str:
        """The wrapped model's name."""
        return self.model.name

    @property
    def output_mode(self) -> OutputMode:
        """How the wrapped model's endpoint takes a JSON schema for the reply."""
        return OutputMode(getattr(self.model, "output_mode", OutputMode.none))

    @property
    def small_context(self) -> bool:
        """Whether the wrapped model has a small context (no tool schemas are sent)."""
        return bool(getattr(self.model, "small_context", False))

    @contextmanager
    def doing(self, purpose: str) -> Iterator[None]:
        """Record the calls made inside the block as made for `purpose`."""
        previous, self.purpose = self.purpose, purpose
        try:
            yield
        finally:
            self.purpose = previous

    def complete(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[dict[str, Any]] = (),
        *,
        output: OutputSchema | None = None,
        on_text: TextSink | None = None,
    ) -> ModelTurn:
        """The wrapped model's turn, recorded with its latency and usage."""
        started = time.perf_counter()
        try:
            turn = self.model.complete(messages, tools, output=output, on_text=on_text)
        except LLMError as error:
            self._record(started, Usage(), 1, str(error))
            raise
        self._record(started, turn.usage or Usage(), turn.attempts, None)
        return turn

    def _record(self, started: float, usage: Usage, attempts: int, failed: str | None) -> None:
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        self.calls.append(ModelCall(self.purpose, elapsed, usage, attempts, failed))

    def usage(self) -> Usage:
        """The tokens of every call so far, summed."""
        total = Usage()
        for call in self.calls:
            total = total + call.usage
        return total
