"""OpenAICompatibleModel through the real openai SDK, against a real HTTP server on loopback."""

from __future__ import annotations

import json
import socket

import pytest

from idpilot.copilot.answer import AnswerStatus
from idpilot.copilot.engine import Copilot
from idpilot.copilot.request_draft import TOOL_NAME, request_tool
from idpilot.llm import ChatMessage, LLMError, OpenAICompatibleModel
from idpilot.skills import default_registry
from idpilot.store import Store
from tests.fixture_tenant import BOB
from tests.llm.openai_server import OpenAIServer, text_reply, tool_calls_reply

BOB_REQUEST = json.dumps(
    {"scope": "tenant", "intent": "user_details", "names": {"users": ["Bob Stone"]}}
)
MESSAGES = [
    ChatMessage(role="system", content="You plan."),
    ChatMessage(role="user", content="Who is Bob Stone?"),
]


def _model(server: OpenAIServer, **options: object) -> OpenAICompatibleModel:
    return OpenAICompatibleModel(
        base_url=server.url, name="test-model", api_key="sk-test", max_retries=0, **options
    )


def _copilot(server: OpenAIServer, tenant: Store, phrase: bool = False) -> Copilot:
    """A copilot planning (and phrasing) through the server, with no agent loop."""
    return Copilot(tenant, model=_model(server), phrase=phrase, max_steps=0)


def test_a_tool_call_arrives_parsed_and_the_request_is_openai_shaped(
    openai_server: OpenAIServer,
) -> None:
    tools = [request_tool(default_registry())]
    openai_server.reply(tool_calls_reply((TOOL_NAME, BOB_REQUEST)))
    turn = _model(openai_server).complete(MESSAGES, tools)
    assert turn.text is None
    assert [(c.id, c.name, c.arguments) for c in turn.tool_calls] == [
        ("call_1", TOOL_NAME, json.loads(BOB_REQUEST))
    ]
    (body,) = openai_server.requests
    assert body["model"] == "test-model"
    assert body["tools"] == tools
    assert body["messages"] == [
        {"role": "system", "content": "You plan."},
        {"role": "user", "content": "Who is Bob Stone?"},
    ]
    assert body["temperature"] == 0
    assert openai_server.headers[0]["authorization"] == "Bearer sk-test"


def test_a_text_reply_and_several_tool_calls(openai_server: OpenAIServer) -> None:
    openai_server.reply(text_reply("Bob Stone is an administrator [1]."))
    model = _model(openai_server)
    assert model.complete(MESSAGES).text == "Bob Stone is an administrator [1]."
    assert "tools" not in openai_server.requests[0]
    openai_server.reply(
        tool_calls_reply(("user_details", '{"user": "Bob"}'), ("group_details", "{not json"))
    )
    calls = model.complete(MESSAGES).tool_calls
    assert [(c.name, c.arguments) for c in calls] == [
        ("user_details", {"user": "Bob"}),
        ("group_details", None),
    ]


def test_the_copilot_plans_through_the_endpoint(openai_server: OpenAIServer, tenant: Store) -> None:
    openai_server.reply(tool_calls_reply((TOOL_NAME, BOB_REQUEST)))
    answer = _copilot(openai_server, tenant).ask("Who is Bob Stone?")
    assert answer.status is AnswerStatus.ok
    assert [(s.name, s.params) for s in answer.skills] == [("user_details", {"user": BOB})]
    assert BOB in {c.id for c in answer.citations}
    assert answer.limits is None
    (body,) = openai_server.requests
    assert [t["function"]["name"] for t in body["tools"]] == [TOOL_NAME]
    assert body["messages"][0]["role"] == "system"
    assert body["messages"][-1] == {"role": "user", "content": "Who is Bob Stone?"}


def test_malformed_arguments_on_the_wire_fall_back_offline(
    openai_server: OpenAIServer, tenant: Store
) -> None:
    openai_server.reply(tool_calls_reply((TOOL_NAME, BOB_REQUEST[:-5])))
    answer = _copilot(openai_server, tenant).ask("Who is Bob Stone?")
    assert answer.status is AnswerStatus.ok and [s.name for s in answer.skills] == ["user_details"]
    assert "planned offline" in (answer.limits or "")
    assert "not a JSON object" in (answer.limits or "")


def test_an_http_error_becomes_an_llm_error(openai_server: OpenAIServer) -> None:
    openai_server.reply({"error": {"message": "overloaded", "type": "server_error"}}, status=503)
    with pytest.raises(LLMError, match="HTTP 503"):
        _model(openai_server).complete(MESSAGES)


def test_a_slow_endpoint_times_out_as_an_llm_error(openai_server: OpenAIServer) -> None:
    openai_server.reply(text_reply("late"), delay=1.0)
    with pytest.raises(LLMError, match=r"did not answer within 0\.2 s"):
        _model(openai_server, timeout=0.2).complete(MESSAGES)


def test_an_unreachable_endpoint_is_an_llm_error_and_the_copilot_answers_offline(
    monkeypatch: pytest.MonkeyPatch, tenant: Store
) -> None:
    from idpilot.llm import client

    monkeypatch.setattr(client, "ALLOW_MODEL_REQUESTS", True)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = OpenAICompatibleModel(base_url=f"http://127.0.0.1:{port}/v1", name="m", max_retries=0)
    with pytest.raises(LLMError, match="cannot reach model 'm'"):
        model.complete(MESSAGES)
    answer = Copilot(tenant, model=model, phrase=False, max_steps=0).ask("Who is Bob Stone?")
    assert answer.status is AnswerStatus.ok
    assert "planned offline: the model failed" in (answer.limits or "")


def test_the_global_switch_forbids_requests(
    openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from idpilot.llm import client

    monkeypatch.setattr(client, "ALLOW_MODEL_REQUESTS", False)
    with pytest.raises(RuntimeError, match="model requests are forbidden"):
        _model(openai_server).complete(MESSAGES)
    assert openai_server.requests == []


def test_planning_and_phrasing_over_http(openai_server: OpenAIServer, tenant: Store) -> None:
    template = Copilot(tenant).ask("Who is Bob Stone?")
    markers = "".join(f"[{c.n}]" for c in template.citations)
    rewording = f"Bob Stone is an IT administrator {markers}."
    openai_server.reply(tool_calls_reply((TOOL_NAME, BOB_REQUEST)))
    openai_server.reply(text_reply(rewording))
    answer = _copilot(openai_server, tenant, phrase=True).ask("Who is Bob Stone?")
    assert answer.answer == rewording + "\n" and answer.limits is None
    planning, phrasing = openai_server.requests
    assert "tools" in planning and "tools" not in phrasing
    assert [m["role"] for m in phrasing["messages"]] == ["system", "user"]
    assert "<data>" in phrasing["messages"][1]["content"]
