"""The providers over real HTTP (openai SDK, loopback server): retries, errors, streaming, usage."""

from __future__ import annotations

import json
import socket
import sys
import types
from typing import Any

import pytest

from idpilot.llm import (
    ChatMessage,
    Failure,
    LLMError,
    OpenAICompatibleModel,
    OutputMode,
    OutputSchema,
)
from idpilot.llm.azure import COGNITIVE_SERVICES_SCOPE, AzureOpenAIModel
from idpilot.llm.retry import RetryPolicy
from tests.llm.openai_server import (
    OpenAIServer,
    stream_chunks,
    text_reply,
    tool_calls_reply,
)

MESSAGES = [ChatMessage(role="user", content="Who is Bob Stone?")]
TOOL = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}


def _model(
    server: OpenAIServer, sleeps: list[float] | None = None, retries: int = 2, **options: Any
) -> OpenAICompatibleModel:
    policy = RetryPolicy(
        max_retries=retries,
        sleep=(sleeps if sleeps is not None else []).append,
        jitter=lambda: 0.0,
    )
    return OpenAICompatibleModel(
        base_url=server.url, name="test-model", api_key="sk-test", retry=policy, **options
    )


def test_a_429_waits_as_long_as_retry_after_says(openai_server: OpenAIServer) -> None:
    sleeps: list[float] = []
    openai_server.fail(429, "Rate limit reached", "requests", headers={"retry-after": "3"})
    openai_server.reply(text_reply("hello"))
    turn = _model(openai_server, sleeps).complete(MESSAGES)
    assert turn.text == "hello" and turn.attempts == 2
    assert sleeps == [3.0] and len(openai_server.requests) == 2


def test_retry_after_ms_wins_over_retry_after(openai_server: OpenAIServer) -> None:
    sleeps: list[float] = []
    headers = {"retry-after-ms": "250", "retry-after": "3"}
    openai_server.fail(429, "Rate limit reached", "requests", headers=headers)
    openai_server.reply(text_reply("hello"))
    assert _model(openai_server, sleeps).complete(MESSAGES).text == "hello"
    assert sleeps == [0.25]


def test_5xx_backs_off_exponentially(openai_server: OpenAIServer) -> None:
    sleeps: list[float] = []
    for status in (500, 502, 503):
        openai_server.fail(status, "The server had an error", "server_error")
    openai_server.reply(text_reply("at last"))
    turn = _model(openai_server, sleeps, retries=3).complete(MESSAGES)
    assert turn.text == "at last" and turn.attempts == 4
    assert sleeps == [0.5, 1.0, 2.0]


def test_retries_run_out_with_a_message_saying_when_to_try_again(
    openai_server: OpenAIServer,
) -> None:
    sleeps: list[float] = []
    for _ in range(2):
        openai_server.fail(429, "Rate limit reached", "requests", headers={"retry-after": "2"})
    with pytest.raises(LLMError) as caught:
        _model(openai_server, sleeps, retries=1).complete(MESSAGES)
    assert caught.value.failure is Failure.rate_limited
    assert str(caught.value) == (
        f"model 'test-model' at {openai_server.url} is rate limiting requests "
        "(HTTP 429 after 2 attempts); it asks to wait 2 s"
    )
    assert sleeps == [2.0]


def test_a_retry_after_too_long_to_wait_fails_at_once(openai_server: OpenAIServer) -> None:
    sleeps: list[float] = []
    openai_server.fail(429, "Quota exceeded", "insufficient_quota", headers={"retry-after": "900"})
    with pytest.raises(LLMError, match="it asks to wait 900 s"):
        _model(openai_server, sleeps).complete(MESSAGES)
    assert sleeps == [] and len(openai_server.requests) == 1


def test_a_server_error_after_the_retries_names_the_status(openai_server: OpenAIServer) -> None:
    for _ in range(2):
        openai_server.fail(503, "overloaded", "server_error")
    with pytest.raises(LLMError) as caught:
        _model(openai_server, retries=1).complete(MESSAGES)
    assert caught.value.failure is Failure.server
    assert "failed: HTTP 503 after 2 attempts (overloaded)" in str(caught.value)


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_are_named_and_not_retried(
    openai_server: OpenAIServer, status: int
) -> None:
    openai_server.fail(status, "Incorrect API key provided: sk-test.", "invalid_request_error")
    with pytest.raises(LLMError) as caught:
        _model(openai_server).complete(MESSAGES)
    assert caught.value.failure is Failure.auth
    assert str(caught.value) == (
        f"model 'test-model' at {openai_server.url} refused the credentials (HTTP {status}: "
        "Incorrect API key provided: sk-test.); check IDPILOT_LLM_API_KEY"
    )
    assert len(openai_server.requests) == 1


def test_an_unknown_model_is_named(openai_server: OpenAIServer) -> None:
    message = "The model `test-model` does not exist or you do not have access to it."
    openai_server.fail(404, message, "invalid_request_error")
    with pytest.raises(LLMError) as caught:
        _model(openai_server).complete(MESSAGES)
    assert caught.value.failure is Failure.unknown_model
    assert f"no such model (HTTP 404: {message}); check IDPILOT_LLM_MODEL" in str(caught.value)


def test_a_model_that_cannot_call_tools_is_named(openai_server: OpenAIServer) -> None:
    openai_server.fail(400, "registry.ollama.ai/library/gemma does not support tools", "api_error")
    with pytest.raises(LLMError) as caught:
        _model(openai_server).complete(MESSAGES, [TOOL])
    assert caught.value.failure is Failure.no_tools
    assert "cannot call tools (HTTP 400: registry.ollama.ai/library/gemma does not" in str(
        caught.value
    )


def test_an_unreachable_endpoint_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from idpilot.llm import client

    monkeypatch.setattr(client, "ALLOW_MODEL_REQUESTS", True)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    model = OpenAICompatibleModel(base_url=url, name="m")
    with pytest.raises(LLMError) as caught:
        model.complete(MESSAGES)
    assert caught.value.failure is Failure.unreachable
    assert str(caught.value).startswith(f"cannot reach model 'm' at {url} (")
    assert str(caught.value).endswith("is the server running, and is IDPILOT_LLM_BASE_URL right?")
    assert "Traceback" not in str(caught.value)


def test_the_suite_refuses_any_address_off_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    from idpilot.llm import client

    monkeypatch.setattr(client, "ALLOW_MODEL_REQUESTS", True)
    model = OpenAICompatibleModel(base_url="http://192.0.2.1:9/v1", name="m", timeout=2)
    with pytest.raises((AssertionError, LLMError), match="test tried to reach the network"):
        model.complete(MESSAGES)


def test_usage_is_read_from_a_reply(openai_server: OpenAIServer) -> None:
    usage = {"prompt_tokens": 123, "completion_tokens": 45, "total_tokens": 168}
    openai_server.reply(text_reply("hello", usage=usage))
    turn = _model(openai_server).complete(MESSAGES)
    assert turn.usage is not None
    assert (turn.usage.prompt_tokens, turn.usage.completion_tokens) == (123, 45)
    assert "stream" not in openai_server.requests[0]


def test_streamed_text_arrives_in_pieces_with_its_usage(openai_server: OpenAIServer) -> None:
    usage = {"prompt_tokens": 70, "completion_tokens": 3, "total_tokens": 73}
    openai_server.stream(stream_chunks(("Bob ", "Stone ", "[1]"), usage=usage))
    pieces: list[str] = []
    turn = _model(openai_server).complete(MESSAGES, on_text=pieces.append)
    assert pieces == ["Bob ", "Stone ", "[1]"] and turn.text == "Bob Stone [1]"
    assert turn.usage is not None and turn.usage.total_tokens == 73
    body = openai_server.requests[0]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_streamed_tool_calls_are_joined(openai_server: OpenAIServer) -> None:
    arguments = json.dumps({"user": "Bob Stone", "window": {"phrase": "yesterday"}})
    openai_server.stream(stream_chunks(calls=(("lookup", arguments), ("other", "{}"))))
    turn = _model(openai_server, stream=True).complete(MESSAGES, [TOOL])
    assert [(c.id, c.name, c.arguments) for c in turn.tool_calls] == [
        ("call_1", "lookup", json.loads(arguments)),
        ("call_2", "other", {}),
    ]
    assert turn.text is None and turn.usage is not None and turn.usage.prompt_tokens == 50


def test_a_call_written_as_json_text_is_read_as_a_call(openai_server: OpenAIServer) -> None:
    openai_server.reply(
        text_reply('```json\n{"name": "lookup", "arguments": {"user": "Bob"}}\n```')
    )
    turn = _model(openai_server).complete(MESSAGES, [TOOL])
    assert turn.tool_calls == []
    assert [(c.name, c.arguments) for c in turn.calls(["lookup"])] == [("lookup", {"user": "Bob"})]
    assert turn.calls(["other"]) == []


def test_response_format_is_sent_as_the_endpoint_takes_it(openai_server: OpenAIServer) -> None:
    output = OutputSchema(name="answer", schema={"type": "object", "properties": {}})
    for _ in OutputMode:
        openai_server.reply(text_reply("{}"))
    for mode in OutputMode:
        _model(openai_server, output_mode=mode).complete(MESSAGES, output=output)
    sent = {
        mode: body.get("response_format")
        for mode, body in zip(OutputMode, openai_server.requests, strict=True)
    }
    assert sent[OutputMode.auto] is None and sent[OutputMode.none] is None
    assert sent[OutputMode.json_object] == {"type": "json_object", "schema": output.schema}
    assert sent[OutputMode.json_schema] == {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": output.schema, "strict": False},
    }


def test_tool_results_travel_as_tool_messages(openai_server: OpenAIServer) -> None:
    from idpilot.llm import ToolCall

    call = ToolCall(id="call_7", name="lookup", arguments={"user": "Bob"})
    openai_server.reply(text_reply("DONE"))
    _model(openai_server).complete(
        [
            *MESSAGES,
            ChatMessage(role="assistant", content="", tool_calls=[call]),
            ChatMessage(role="tool", content="<data>{}</data>", tool_call_id="call_7"),
        ],
        [TOOL],
    )
    assistant, tool = openai_server.requests[0]["messages"][1:]
    assert assistant == {
        "role": "assistant",
        "content": "",  # not null: llama.cpp's server refuses a null content
        "tool_calls": [
            {
                "id": "call_7",
                "type": "function",
                "function": {"name": "lookup", "arguments": '{"user": "Bob"}'},
            }
        ],
    }
    assert tool == {"role": "tool", "content": "<data>{}</data>", "tool_call_id": "call_7"}


def _azure(server: OpenAIServer, **options: Any) -> AzureOpenAIModel:
    return AzureOpenAIModel(
        base_url=server.url.removesuffix("/v1"),
        name="gpt-4o",
        deployment="idpilot-gpt4o",
        api_version="2024-10-21",
        retry=RetryPolicy(max_retries=0),
        **options,
    )


def test_azure_openai_with_an_api_key(openai_server: OpenAIServer) -> None:
    openai_server.reply(tool_calls_reply(("lookup", "{}")))
    turn = _azure(openai_server, api_key="azure-key").complete(MESSAGES, [TOOL])
    assert [c.name for c in turn.tool_calls] == ["lookup"]
    assert openai_server.paths == [
        "/openai/deployments/idpilot-gpt4o/chat/completions?api-version=2024-10-21"
    ]
    assert openai_server.headers[0]["api-key"] == "azure-key"
    assert "authorization" not in openai_server.headers[0]


def _fake_azure_identity(monkeypatch: pytest.MonkeyPatch, token: Any) -> list[tuple[Any, str]]:
    """azure.identity stood in for (the package is optional): records what it was asked."""
    asked: list[tuple[Any, str]] = []
    identity = types.ModuleType("azure.identity")

    def get_bearer_token_provider(credential: Any, scope: str) -> Any:
        asked.append((credential, scope))
        return token

    identity.DefaultAzureCredential = lambda: "default-credential"  # type: ignore[attr-defined]
    identity.get_bearer_token_provider = get_bearer_token_provider  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "azure", types.ModuleType("azure"))
    monkeypatch.setitem(sys.modules, "azure.identity", identity)
    return asked


def test_azure_openai_with_an_entra_id_token(
    openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _fake_azure_identity(monkeypatch, lambda: "entra-token")
    openai_server.reply(text_reply("hello"))
    assert _azure(openai_server).complete(MESSAGES).text == "hello"
    assert asked == [("default-credential", COGNITIVE_SERVICES_SCOPE)]
    assert openai_server.headers[0]["authorization"] == "Bearer entra-token"
    assert "api-key" not in openai_server.headers[0]


def test_azure_openai_says_when_no_entra_id_token_can_be_had(
    openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_token() -> str:
        raise RuntimeError("DefaultAzureCredential failed to retrieve a token")

    _fake_azure_identity(monkeypatch, no_token)
    with pytest.raises(LLMError) as caught:
        _azure(openai_server).complete(MESSAGES)
    assert caught.value.failure is Failure.auth
    assert str(caught.value).startswith("cannot get an Entra ID token for Azure OpenAI")
    assert openai_server.requests == []


def test_azure_names_the_deployment_when_it_is_unknown(openai_server: OpenAIServer) -> None:
    openai_server.fail(404, "The API deployment for this resource does not exist.", "NotFound")
    with pytest.raises(LLMError) as caught:
        _azure(openai_server, api_key="k").complete(MESSAGES)
    assert str(caught.value).startswith("Azure OpenAI deployment 'idpilot-gpt4o' at ")
    assert "check IDPILOT_LLM_AZURE_DEPLOYMENT" in str(caught.value)
