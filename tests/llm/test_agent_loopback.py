"""The agent loop over real HTTP: planning, further skills, repairs, bounds, streamed usage."""

from __future__ import annotations

import json
from typing import Any

from idpilot.copilot.engine import Copilot
from idpilot.copilot.request_draft import TOOL_NAME
from idpilot.llm import OpenAICompatibleModel, OutputMode
from idpilot.llm.data import unquote_data
from idpilot.llm.retry import RetryPolicy
from idpilot.store import Store
from tests.fixture_tenant import BOB, GLOBAL_ADMIN
from tests.llm.openai_server import OpenAIServer, stream_chunks, text_reply, tool_calls_reply

WHO = "Who is Bob Stone?"
FILL_BOB = json.dumps(
    {"scope": "tenant", "intent": "user_details", "names": {"users": ["Bob Stone"]}}
)
RISK_BOB = json.dumps({"user": BOB})
ADMINS = "Who holds the Global Administrator role?"
FILL_ADMINS = json.dumps(
    {"scope": "tenant", "intent": "role_holders", "names": {"roles": ["Global Administrator"]}}
)


def _usage(prompt: int, completion: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _copilot(server: OpenAIServer, tenant: Store, steps: int = 4, **options: Any) -> Copilot:
    model = OpenAICompatibleModel(
        base_url=server.url, name="test-model", retry=RetryPolicy(max_retries=0), **options
    )
    return Copilot(tenant, model=model, phrase=False, max_steps=steps)


def test_the_agent_reads_the_evidence_calls_a_second_skill_and_cites_both(
    openai_server: OpenAIServer, tenant: Store
) -> None:
    openai_server.reply(tool_calls_reply((TOOL_NAME, FILL_ADMINS), usage=_usage(900, 60)))
    openai_server.reply(tool_calls_reply(("risky_user_summary", RISK_BOB), usage=_usage(1500, 25)))
    openai_server.reply(text_reply("DONE", usage=_usage(2100, 2)))
    answer = _copilot(openai_server, tenant).ask(ADMINS)
    assert [(s.name, s.params) for s in answer.skills] == [
        ("role_holders", {"role": GLOBAL_ADMIN}),
        ("risky_user_summary", {"user": BOB}),
    ]
    cited = {(c.kind, c.id) for c in answer.citations}
    assert {("unifiedRoleDefinition", GLOBAL_ADMIN), ("user", BOB), ("riskyUser", BOB)} <= cited
    assert answer.limits is None
    planning, step, after = openai_server.requests
    assert [t["function"]["name"] for t in planning["tools"]] == [TOOL_NAME]
    assert "risky_user_summary" in [t["function"]["name"] for t in step["tools"]]
    shown = unquote_data(step["messages"][2]["content"])
    assert shown[0]["skill"] == "role_holders" and BOB in json.dumps(shown)
    call, result = after["messages"][-2:]
    assert call["tool_calls"][0]["function"]["name"] == "risky_user_summary"
    assert result["role"] == "tool" and result["tool_call_id"] == call["tool_calls"][0]["id"]
    trace = answer.trace
    assert [c.purpose for c in trace.model_calls] == ["plan", "step", "step"]
    assert (trace.prompt_tokens, trace.completion_tokens, trace.total_tokens) == (4500, 87, 4587)
    assert [s.origin.value for s in trace.steps] == ["planner", "model"]


def test_a_call_in_the_message_content_is_accepted(
    openai_server: OpenAIServer, tenant: Store
) -> None:
    fill = {"name": TOOL_NAME, "arguments": json.loads(FILL_BOB)}
    risk = {"name": "risky_user_summary", "arguments": {"user": BOB}}
    openai_server.reply(text_reply(json.dumps(fill)))
    openai_server.reply(text_reply(f"<tool_call>\n{json.dumps(risk)}\n</tool_call>"))
    openai_server.reply(text_reply("DONE"))
    answer = _copilot(openai_server, tenant).ask(WHO)
    assert answer.trace.planner == "model"
    assert [s.name for s in answer.skills] == ["user_details", "risky_user_summary"]


def test_an_invalid_request_is_repaired_once_then_the_offline_planner_answers(
    openai_server: OpenAIServer, tenant: Store
) -> None:
    # Two strings in one object: which is the name is not certain, so it is not normalised.
    bob = {"first": "Bob", "last": "Stone"}
    invalid = json.dumps({"scope": "tenant", "intent": "user_details", "users": [bob]})
    openai_server.reply(tool_calls_reply((TOOL_NAME, invalid)))
    openai_server.reply(tool_calls_reply((TOOL_NAME, invalid)))
    answer = _copilot(openai_server, tenant, steps=0).ask(WHO)
    assert answer.trace.planner == "offline"
    assert answer.limits == "planned offline: the model's request is invalid (names.users.0)"
    assert [s.name for s in answer.skills] == ["user_details"]
    _, repair = openai_server.requests
    feedback = repair["messages"][-1]
    assert feedback["role"] == "tool" and "is invalid (names.users.0)" in feedback["content"]
    assert repair["messages"][-2]["tool_calls"][0]["function"]["name"] == TOOL_NAME
    assert [c.purpose for c in answer.trace.model_calls] == ["plan", "repair"]


def test_a_repaired_request_is_used(openai_server: OpenAIServer, tenant: Store) -> None:
    # Two strings in one object: which is the name is not certain, so it is not normalised.
    bob = {"first": "Bob", "last": "Stone"}
    invalid = json.dumps({"scope": "tenant", "intent": "user_details", "users": [bob]})
    openai_server.reply(tool_calls_reply((TOOL_NAME, invalid)))
    openai_server.reply(tool_calls_reply((TOOL_NAME, FILL_BOB)))
    answer = _copilot(openai_server, tenant, steps=0).ask(WHO)
    assert answer.trace.planner == "model" and answer.limits is None


def test_an_invalid_step_is_repaired_once_then_the_loop_stops(
    openai_server: OpenAIServer, tenant: Store
) -> None:
    wrong = json.dumps({"person": BOB})
    openai_server.reply(tool_calls_reply((TOOL_NAME, FILL_BOB)))
    openai_server.reply(tool_calls_reply(("risky_user_summary", wrong)))
    openai_server.reply(tool_calls_reply(("risky_user_summary", wrong)))
    answer = _copilot(openai_server, tenant).ask(WHO)
    assert [s.name for s in answer.skills] == ["user_details"]
    assert (answer.limits or "").startswith(
        "agent stopped: the model's call stayed invalid after one repair: invalid arguments"
    )
    assert len(openai_server.requests) == 3
    assert "user: Field required" in openai_server.requests[2]["messages"][-1]["content"]


def test_the_step_bound_is_respected(openai_server: OpenAIServer, tenant: Store) -> None:
    openai_server.reply(tool_calls_reply((TOOL_NAME, FILL_BOB)))
    openai_server.reply(tool_calls_reply(("risky_user_summary", RISK_BOB)))
    openai_server.reply(tool_calls_reply(("user_roles", RISK_BOB)))
    answer = _copilot(openai_server, tenant, steps=1).ask(WHO)
    assert [s.name for s in answer.skills] == ["user_details", "risky_user_summary"]
    assert len(openai_server.requests) == 2 and len(openai_server.replies) == 1


def test_streamed_answers_count_their_streamed_usage(
    openai_server: OpenAIServer, tenant: Store
) -> None:
    openai_server.stream(stream_chunks(calls=((TOOL_NAME, FILL_BOB),), usage=_usage(800, 50)))
    openai_server.stream(
        stream_chunks(calls=(("risky_user_summary", RISK_BOB),), usage=_usage(1200, 20))
    )
    openai_server.stream(stream_chunks(("DO", "NE"), usage=_usage(1600, 1)))
    answer = _copilot(openai_server, tenant, stream=True).ask(WHO)
    assert [s.name for s in answer.skills] == ["user_details", "risky_user_summary"]
    assert answer.trace.total_tokens == 800 + 50 + 1200 + 20 + 1600 + 1
    assert all(body["stream"] is True for body in openai_server.requests)


def test_json_object_output_where_the_endpoint_takes_it(
    openai_server: OpenAIServer, tenant: Store
) -> None:
    fill = {"name": TOOL_NAME, "arguments": json.loads(FILL_BOB)}
    openai_server.reply(text_reply(json.dumps(fill)))
    openai_server.reply(text_reply(json.dumps({"name": "DONE"})))
    answer = _copilot(openai_server, tenant, output_mode=OutputMode.json_object).ask(WHO)
    assert answer.trace.planner == "model" and [s.name for s in answer.skills] == ["user_details"]
    planning, step = openai_server.requests
    schema = planning["response_format"]["schema"]
    assert planning["response_format"]["type"] == "json_object"
    assert schema["properties"]["name"]["enum"] == [TOOL_NAME]
    form = schema["properties"]["arguments"]
    assert form["required"] == list(form["properties"])  # one way forward at each key
    assert "password_spray" in form["properties"]["facet"]["enum"]
    assert "enum" not in planning["tools"][0]["function"]["parameters"]["properties"]["facet"]
    assert "DONE" in step["response_format"]["schema"]["properties"]["name"]["enum"]


def test_strict_json_schema_output_for_openai(openai_server: OpenAIServer, tenant: Store) -> None:
    openai_server.reply(tool_calls_reply((TOOL_NAME, FILL_BOB)))
    openai_server.reply(text_reply("DONE"))
    _copilot(openai_server, tenant, output_mode=OutputMode.json_schema).ask(WHO)
    planning, step = openai_server.requests
    wanted = planning["response_format"]
    assert wanted["type"] == "json_schema" and wanted["json_schema"]["name"] == TOOL_NAME
    assert wanted["json_schema"]["strict"] is True
    assert wanted["json_schema"]["schema"]["additionalProperties"] is False
    # A call's arguments are any object, which strict mode cannot say: sent, but not strict.
    assert step["response_format"]["json_schema"]["strict"] is False


def test_a_small_context_model_fills_the_form_without_tool_schemas(
    openai_server: OpenAIServer, tenant: Store
) -> None:
    fill = {
        "name": TOOL_NAME,
        "arguments": {
            "scope": "tenant",
            "intent": "user_details",
            "users": [{"name": "Bob Stone"}],
            "facet": "none",
        },
    }
    risk = {"name": "risky_user_summary", "arguments": {"user": BOB}}
    openai_server.reply(text_reply(json.dumps(fill)))
    openai_server.reply(text_reply(json.dumps(risk)))
    openai_server.reply(text_reply(json.dumps({"name": "DONE"})))
    answer = _copilot(openai_server, tenant, small_context=True).ask(WHO)
    assert answer.trace.planner == "model" and answer.trace.fallback is None
    assert [s.name for s in answer.skills] == ["user_details", "risky_user_summary"]
    assert [c.purpose for c in answer.trace.model_calls] == ["plan", "step", "step"]
    planning, step, _ = openai_server.requests
    assert "tools" not in planning and "tools" not in step
    assert '"name": "fill_request"' in planning["messages"][0]["content"]
    assert "- risky_user_summary(user: string):" in step["messages"][0]["content"]
