"""A model behind an OpenAI-compatible chat-completions endpoint, through the `openai` SDK.

OpenAI itself, Ollama, vLLM and the llama.cpp server all speak this wire format; only the base
URL differs. idpilot retries a 429 or 5xx itself (`retry.RetryPolicy`: the SDK's own retries are
off, so every wait is honoured and counted), streams when asked (usage included, through
`stream_options`), and turns every failure into an `LLMError` a person can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from idpilot.llm.client import (
    ChatMessage,
    Failure,
    LLMError,
    ModelTurn,
    TextSink,
    ToolCall,
    Usage,
    check_allow_model_requests,
    import_openai,
    parse_arguments,
)
from idpilot.llm.retry import RetryPolicy, retryable, server_wait
from idpilot.llm.structured import OutputMode, OutputSchema, response_format

REQUEST_TIMEOUT_SECONDS = 30.0
"""One chat completion may take this long; planning falls back offline when it does not finish."""
MAX_RETRIES = 2
"""Retries of a request refused with 429 or 5xx."""
MAX_SERVER_MESSAGE = 200
"""Longest part of an endpoint's error message quoted back."""
_TOOL_WORDS = ("tool", "function")


@dataclass
class OpenAICompatibleModel:
    """A model at an OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp server)."""

    base_url: str
    name: str
    api_key: str = field(default="", repr=False)
    timeout: float = REQUEST_TIMEOUT_SECONDS
    max_retries: int = MAX_RETRIES
    temperature: float | None = 0.0
    stream: bool = False
    """Ask for server-sent events (text arrives as it is written; usage in the last chunk)."""
    output_mode: OutputMode = OutputMode.none
    """The `response_format` the endpoint takes for a JSON schema (none: send none)."""
    small_context: bool = False
    """The model's context is small (about 4,096 tokens): no tool schemas are sent."""
    retry: RetryPolicy | None = None
    """How to retry; None builds one from `max_retries`."""
    _client: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._client = self.make_client(import_openai())
        if self.retry is None:
            self.retry = RetryPolicy(max_retries=self.max_retries)

    def make_client(self, openai: Any) -> Any:
        """The SDK client (its own retries off: idpilot retries, see `complete`)."""
        # Local servers (Ollama, vLLM, llama.cpp) ignore the key but the SDK insists on one.
        return openai.OpenAI(
            base_url=self.base_url,
            api_key=self.api_key or "unused",
            timeout=self.timeout,
            max_retries=0,
        )

    @property
    def where(self) -> str:
        """The model and endpoint, as messages name them."""
        return f"model {self.name!r} at {self.base_url}"

    def credentials_hint(self) -> str:
        """What to check when the endpoint refuses the credentials."""
        return "check IDPILOT_LLM_API_KEY"

    def model_hint(self) -> str:
        """What to check when the endpoint does not know the model."""
        return (
            "check IDPILOT_LLM_MODEL (the endpoint's /models lists what it serves) and that "
            "IDPILOT_LLM_BASE_URL ends where the API starts (often .../v1)"
        )

    def complete(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[dict[str, Any]] = (),
        *,
        output: OutputSchema | None = None,
        on_text: TextSink | None = None,
    ) -> ModelTurn:
        """One chat completion, retried on 429 and 5xx; every failure becomes an LLMError."""
        check_allow_model_requests()
        openai = import_openai()
        request: dict[str, Any] = {
            "model": self.name,
            "messages": [message.wire() for message in messages],
        }
        if tools:
            request["tools"] = list(tools)
        if self.temperature is not None:
            request["temperature"] = self.temperature
        if (wire_format := response_format(self.output_mode, output)) is not None:
            request["response_format"] = wire_format
        streaming = self.stream or on_text is not None
        policy = self.retry or RetryPolicy(max_retries=self.max_retries)
        retry = 0
        while True:
            try:
                turn = self._stream(request, on_text) if streaming else self._once(request)
                return turn.model_copy(update={"attempts": retry + 1})
            except openai.APIStatusError as error:
                headers = dict(error.response.headers)
                wait = None
                if retryable(error.status_code) and retry < policy.max_retries:
                    wait = policy.wait(retry, headers)
                if wait is None:
                    raise self._status_failure(error, bool(tools), retry + 1, headers) from None
                policy.sleep(wait)
                retry += 1
            except openai.APITimeoutError:
                message = f"{self.where} did not answer within {self.timeout:g} s"
                raise LLMError(message, Failure.timeout) from None
            except openai.APIConnectionError as error:
                raise LLMError(
                    f"cannot reach {self.where} ({_cause(error)}): is the server running, "
                    "and is IDPILOT_LLM_BASE_URL right?",
                    Failure.unreachable,
                ) from None
            except openai.OpenAIError as error:
                message = f"{self.where} failed: {_short(str(error))}"
                raise LLMError(message, Failure.invalid_response) from None

    def _once(self, request: dict[str, Any]) -> ModelTurn:
        response = self._client.chat.completions.create(**request)
        if not response.choices:
            raise LLMError(f"{self.where} returned no choices", Failure.invalid_response)
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
        return ModelTurn(text=message.content, tool_calls=calls, usage=_usage(response.usage))

    def _stream(self, request: dict[str, Any], on_text: TextSink | None) -> ModelTurn:
        """A streamed completion: text passed on as it comes, tool-call fragments joined."""
        chunks = self._client.chat.completions.create(
            **request, stream=True, stream_options={"include_usage": True}
        )
        text: list[str] = []
        calls: dict[int, dict[str, str]] = {}
        usage = None
        for chunk in chunks:
            if chunk.usage is not None:
                usage = _usage(chunk.usage)
            for choice in chunk.choices[:1]:
                delta = choice.delta
                if delta.content:
                    text.append(delta.content)
                    if on_text is not None:
                        on_text(delta.content)
                for part in delta.tool_calls or []:
                    call = calls.setdefault(part.index, {"id": "", "name": "", "arguments": ""})
                    call["id"] = part.id or call["id"]
                    if part.function is not None:
                        call["name"] += part.function.name or ""
                        call["arguments"] += part.function.arguments or ""
        return ModelTurn(
            text="".join(text) if text else None,
            tool_calls=[
                ToolCall(id=c["id"], name=c["name"], arguments=parse_arguments(c["arguments"]))
                for _, c in sorted(calls.items())
            ],
            usage=usage,
        )

    def _status_failure(
        self, error: Any, tools: bool, attempts: int, headers: dict[str, str]
    ) -> LLMError:
        """The LLMError for an HTTP error status, saying what to do about it."""
        status = error.status_code
        said = _server_message(error)
        tried = f" after {attempts} attempts" if attempts > 1 else ""
        if status in (401, 403):
            return LLMError(
                f"{self.where} refused the credentials (HTTP {status}: {said}); "
                + self.credentials_hint(),
                Failure.auth,
            )
        if status == 404:
            return LLMError(
                f"{self.where}: no such model (HTTP 404: {said}); {self.model_hint()}",
                Failure.unknown_model,
            )
        if tools and 400 <= status < 500 and any(w in said.lower() for w in _TOOL_WORDS):
            return LLMError(
                f"{self.where} cannot call tools (HTTP {status}: {said}); use a model and "
                "server with tool calling (Ollama: a model tagged 'tools'; vLLM: "
                "--enable-auto-tool-choice)",
                Failure.no_tools,
            )
        if status == 429:
            asked = server_wait(headers)
            again = f"; it asks to wait {asked:g} s" if asked is not None else ""
            return LLMError(
                f"{self.where} is rate limiting requests (HTTP 429{tried}){again}",
                Failure.rate_limited,
            )
        if status >= 500:
            return LLMError(f"{self.where} failed: HTTP {status}{tried} ({said})", Failure.server)
        return LLMError(f"{self.where} refused the request: HTTP {status} ({said})")


def _usage(usage: Any) -> Usage | None:
    if usage is None:
        return None
    return Usage(
        prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
        completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
    )


def _server_message(error: Any) -> str:
    """The endpoint's own words for the error, shortened to one line."""
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        found = inner.get("message") if isinstance(inner, dict) else inner
        if found:
            return _short(str(found))
    return _short(str(getattr(error, "message", "") or "no message"))


def _cause(error: BaseException) -> str:
    """The lowest cause of a connection error (\"Connection refused\"), in words."""
    while error.__cause__ is not None:
        error = error.__cause__
    return _short(str(error) or type(error).__name__)


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_SERVER_MESSAGE else line[: MAX_SERVER_MESSAGE - 1] + "…"


def register(registry: Any) -> None:
    """Add the OpenAI-compatible provider (the providers' plugin hook)."""
    from idpilot.llm.providers import Provider

    registry.add(
        Provider(
            name="openai",
            description="Any OpenAI-compatible endpoint: OpenAI, Ollama, vLLM, llama.cpp server.",
            build=build_from_settings,
        )
    )


def build_from_settings() -> OpenAICompatibleModel:
    """The model the settings describe."""
    from idpilot.llm.providers import common_settings

    common = common_settings()
    return OpenAICompatibleModel(
        base_url=common.base_url,
        name=common.require_model(),
        api_key=common.api_key(),
        timeout=common.timeout,
        max_retries=common.max_retries,
        stream=common.stream,
        output_mode=common.output_mode("openai"),
        small_context=common.small_context,
    )
