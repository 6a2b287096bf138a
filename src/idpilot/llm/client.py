"""The chat-model interface idpilot talks to, and its OpenAI-compatible implementation.

Any endpoint that speaks OpenAI's chat-completions wire format works: Azure OpenAI, OpenAI,
Ollama, vLLM, llama.cpp. The `openai` SDK is an optional extra, imported only when a model is
actually configured, so an offline install never loads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from idpilot.errors import IdpilotError
from idpilot.settings import get_setting

ALLOW_MODEL_REQUESTS = True
"""False forbids requests to real model endpoints (the test suite sets it; see pydantic-ai)."""

REQUEST_TIMEOUT_SECONDS = 30.0
"""One chat completion may take this long; planning falls back offline when it does not finish."""

MAX_RETRIES = 1
"""Retries of a failed request: one absorbs a transient error without doubling a long outage."""

INSTALL_HINT = "install the llm extra: pip install 'idpilot[llm]'"


class LLMError(IdpilotError):
    """The model endpoint failed (unreachable, timed out, refused, or answered nonsense)."""


class ChatMessage(BaseModel):
    """One message of a chat: who says it and what."""

    role: Literal["system", "user", "assistant"]
    content: str


class ToolCall(BaseModel):
    """A tool the model asked to call; `arguments` is None when they were not a JSON object."""

    id: str = ""
    name: str
    arguments: dict[str, Any] | None = Field(default_factory=dict)


class ModelTurn(BaseModel):
    """What the model answered: text, tool calls, or both."""

    text: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)

    @classmethod
    def calling(cls, name: str, arguments: dict[str, Any] | None = None) -> ModelTurn:
        """A turn that calls one tool (handy in scripted tests)."""
        return cls(tool_calls=[ToolCall(id=f"call_{name}", name=name, arguments=arguments or {})])


class ChatModel(Protocol):
    """Anything that completes a chat, optionally offered tools in OpenAI's schema."""

    name: str

    def complete(
        self, messages: Sequence[ChatMessage], tools: Sequence[dict[str, Any]] = ()
    ) -> ModelTurn:
        """The model's next turn (LLMError when the endpoint fails)."""
        ...


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


def _import_openai() -> Any:
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


@dataclass
class OpenAICompatibleModel:
    """A model behind an OpenAI-compatible chat-completions endpoint, through the openai SDK."""

    base_url: str
    name: str
    api_key: str = field(default="", repr=False)
    timeout: float = REQUEST_TIMEOUT_SECONDS
    max_retries: int = MAX_RETRIES
    temperature: float | None = 0.0
    _client: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        openai = _import_openai()
        # Local servers (Ollama, vLLM, llama.cpp) ignore the key but the SDK insists on one.
        self._client = openai.OpenAI(
            base_url=self.base_url,
            api_key=self.api_key or "unused",
            timeout=self.timeout,
            max_retries=self.max_retries,
        )

    def complete(
        self, messages: Sequence[ChatMessage], tools: Sequence[dict[str, Any]] = ()
    ) -> ModelTurn:
        """One chat completion; every SDK failure becomes an LLMError naming the endpoint."""
        check_allow_model_requests()
        openai = _import_openai()
        request: dict[str, Any] = {
            "model": self.name,
            "messages": [message.model_dump() for message in messages],
        }
        if tools:
            request["tools"] = list(tools)
        if self.temperature is not None:
            request["temperature"] = self.temperature
        where = f"model {self.name!r} at {self.base_url}"
        try:
            response = self._client.chat.completions.create(**request)
        except openai.APITimeoutError:
            raise LLMError(f"{where} did not answer within {self.timeout:g} s") from None
        except openai.APIConnectionError as error:
            raise LLMError(f"cannot reach {where}: {error}") from None
        except openai.APIStatusError as error:
            raise LLMError(f"{where} refused the request: HTTP {error.status_code}") from None
        except openai.OpenAIError as error:
            raise LLMError(f"{where} failed: {error}") from None
        if not response.choices:
            raise LLMError(f"{where} returned no choices")
        message = response.choices[0].message
        calls = [
            ToolCall(
                id=call.id,
                name=call.function.name,
                arguments=parse_arguments(call.function.arguments),
            )
            for call in message.tool_calls or []
            if getattr(call, "function", None) is not None
        ]
        return ModelTurn(text=message.content, tool_calls=calls)


def model_from_settings() -> OpenAICompatibleModel | None:
    """The configured model, or None when no endpoint is set (offline; openai never imported)."""
    base_url = get_setting("llm_base_url").strip()
    if not base_url:
        return None
    name = get_setting("llm_model").strip()
    if not name:
        raise IdpilotError(
            f"IDPILOT_LLM_BASE_URL is set ({base_url}) but IDPILOT_LLM_MODEL is empty: "
            "name the model to request (for example gpt-4o-mini, or llama3.1 on Ollama)"
        )
    return OpenAICompatibleModel(base_url=base_url, name=name, api_key=get_setting("llm_api_key"))
