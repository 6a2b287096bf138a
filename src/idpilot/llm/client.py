"""The chat-model interface idpilot talks to: messages, tool calls, turns, token usage, errors.

Providers (`idpilot.llm.providers`) build models behind this interface: any endpoint that speaks
OpenAI's chat-completions wire format (OpenAI, Ollama, vLLM, llama.cpp), Azure OpenAI, or one a
plugin adds. The `openai` SDK is an optional extra, imported only when a model is configured,
so an offline install never loads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from idpilot.errors import IdpilotError
from idpilot.llm.structured import OutputMode, OutputSchema
from idpilot.settings import get_setting

ALLOW_MODEL_REQUESTS = True
"""False forbids requests to real model endpoints (the test suite sets it; see pydantic-ai)."""

INSTALL_HINT = "install the llm extra: pip install 'idpilot[llm]'"

TextSink = Callable[[str], None]
"""Receives each piece of text as a streamed response arrives."""


class Failure(StrEnum):
    """Why a model request failed, for callers that act on the kind (and for tests)."""

    unreachable = "unreachable"
    timeout = "timeout"
    auth = "auth"
    unknown_model = "unknown_model"
    no_tools = "no_tools"
    rate_limited = "rate_limited"
    server = "server"
    refused = "refused"
    invalid_response = "invalid_response"


class LLMError(IdpilotError):
    """The model endpoint failed (unreachable, timed out, refused, or answered nonsense)."""

    def __init__(self, message: str, failure: Failure = Failure.refused) -> None:
        super().__init__(message)
        self.failure = failure


class ToolCall(BaseModel):
    """A tool the model asked to call; `arguments` is None when they were not a JSON object."""

    id: str = ""
    name: str
    arguments: dict[str, Any] | None = Field(default_factory=dict)

    def wire(self) -> dict[str, Any]:
        """The call as an assistant message carries it on the wire."""
        return {
            "id": self.id or f"call_{self.name}",
            "type": "function",
            "function": {"name": self.name, "arguments": json.dumps(self.arguments or {})},
        }


class ChatMessage(BaseModel):
    """One message of a chat: who says it and what (an assistant's tool calls, a tool's reply)."""

    role: Literal["system", "user", "assistant", "tool"]
    content: str
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None

    def wire(self) -> dict[str, Any]:
        """The message in OpenAI's chat-completions format."""
        message: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            # Content stays a string (empty beside a call): llama.cpp's server refuses null.
            message["tool_calls"] = [call.wire() for call in self.tool_calls]
        if self.tool_call_id is not None:
            message["tool_call_id"] = self.tool_call_id
        return message


class Usage(BaseModel):
    """Tokens one model call used, as the endpoint reported them (`usage`)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Prompt and completion tokens together."""
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class ModelTurn(BaseModel):
    """What the model answered: text, tool calls, or both, and the tokens it cost."""

    text: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    usage: Usage | None = None
    attempts: int = 1
    """Requests sent for this turn (more than one when a 429 or 5xx was retried)."""

    @classmethod
    def calling(cls, name: str, arguments: dict[str, Any] | None = None) -> ModelTurn:
        """A turn that calls one tool (handy in scripted tests)."""
        return cls(tool_calls=[ToolCall(id=f"call_{name}", name=name, arguments=arguments or {})])

    def calls(self, offered: Sequence[str]) -> list[ToolCall]:
        """The turn's tool calls, or a well-formed call to an offered tool written as JSON in
        its text (small local models often answer so, leaving `tool_calls` empty)."""
        if self.tool_calls or not self.text:
            return list(self.tool_calls)
        from idpilot.llm.content_calls import calls_in_text

        return calls_in_text(self.text, offered)


class ChatModel(Protocol):
    """Anything that completes a chat, optionally offered tools in OpenAI's schema.

    `output` is the JSON schema the reply should follow: a model sends it as the
    `response_format` its endpoint takes (`structured.OutputMode`), or not at all; `on_text`
    receives text as it streams (the model may stream).
    """

    name: str

    def complete(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[dict[str, Any]] = (),
        *,
        output: OutputSchema | None = None,
        on_text: TextSink | None = None,
    ) -> ModelTurn:
        """The model's next turn (LLMError when the endpoint fails)."""
        ...


def constrains_output(model: ChatModel) -> bool:
    """Whether the model's endpoint holds its reply to a JSON schema (`output`)."""
    mode = getattr(model, "output_mode", OutputMode.none)
    return mode in (OutputMode.json_object, OutputMode.json_schema)


def small_context(model: ChatModel) -> bool:
    """Whether the model has a small context (about 4,096 tokens): it is sent no tool
    schemas, but a short planning form and one-line skill signatures."""
    return bool(getattr(model, "small_context", False))


@contextmanager
def allow_model_requests(allow: bool) -> Iterator[None]:
    """Temporarily allow (or forbid) requests to real model endpoints."""
    global ALLOW_MODEL_REQUESTS
    previous, ALLOW_MODEL_REQUESTS = ALLOW_MODEL_REQUESTS, allow
    try:
        yield
    finally:
        ALLOW_MODEL_REQUESTS = previous


def check_allow_model_requests() -> None:
    """Fail loudly when a test reaches for a real model (a programmer error, not a user one)."""
    if not ALLOW_MODEL_REQUESTS:
        raise RuntimeError(
            "model requests are forbidden (idpilot.llm.client.ALLOW_MODEL_REQUESTS is False); "
            "use ScriptedModel or FunctionModel"
        )


def import_openai() -> Any:
    """The `openai` module, or an error naming the extra to install."""
    try:
        import openai
    except ImportError as error:
        raise IdpilotError(f"an LLM endpoint is configured but {INSTALL_HINT}") from error
    return openai


def parse_arguments(raw: str | None) -> dict[str, Any] | None:
    """Tool-call arguments as sent on the wire (a JSON string) -> a dict, or None if not one."""
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def model_from_settings() -> ChatModel | None:
    """The configured model, or None when no endpoint is set (offline; openai never imported)."""
    if not get_setting("llm_base_url").strip():
        return None
    from idpilot.llm.providers import build_model

    return build_model()
