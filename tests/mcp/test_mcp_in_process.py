"""The MCP server in process, through the SDK's own client: tools with the skills' schemas,
the Answer in every result, the views as resources, precise refusals."""

from __future__ import annotations

import json

import mcp_types as types
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from idpilot.api.config import ServerConfig
from idpilot.kql.adapter import LOG_ANALYTICS_TABLES
from idpilot.mcp import LOCAL_CALLER, create_server
from idpilot.skills import default_registry
from idpilot.store import Store
from idpilot.store.queries.log_analytics import view_extent
from tests.mcp.mcp_sessions import answer_of, audit_trail, run, text_of


def _client(config: ServerConfig, mode: str = "auto") -> Client:
    return Client(create_server(config, local_caller=LOCAL_CALLER), mode=mode)


def test_every_skill_is_a_read_only_tool_with_its_input_schema(config: ServerConfig) -> None:
    async def listed() -> list[types.Tool]:
        async with _client(config) as client:
            return (await client.list_tools()).tools

    tools = {tool.name: tool for tool in run(listed)}
    skills = default_registry().all()
    assert set(tools) == {"ask", "kql"} | {skill.name for skill in skills}
    for skill in skills:
        schema = tools[skill.name].input_schema
        assert schema == {**skill.input_model.model_json_schema(), "additionalProperties": False}
        assert tools[skill.name].description == skill.description
    for tool in tools.values():
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.output_schema is not None


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_a_skill_tool_answers_with_the_cited_answer(config: ServerConfig, mode: str) -> None:
    async def call() -> types.CallToolResult:
        async with _client(config, mode) as client:  # legacy: JSON-RPC over memory streams
            return await client.call_tool("risky_users", {"levels": ["high"]})

    result = run(call)
    answer = answer_of(result)
    assert answer.status == "ok" and answer.skills[0].name == "risky_users"
    assert answer.citations
    text = text_of(result)
    assert answer.answer.rstrip() in text
    for citation in answer.citations:
        assert f"[{citation.n}] {citation.kind} {citation.id}: " in text
    (event,) = audit_trail(config)
    assert event["action"] == "mcp_tool" and event["user_name"] == "local"
    assert event["prompt"] == 'risky_users {"levels":["high"]}'
    assert event["answer_id"] == answer.answer_id and event["token_id"] is None


def test_ask_answers_a_prompt_and_is_audited(config: ServerConfig) -> None:
    prompt = "Which users are risky?"

    async def call() -> types.CallToolResult:
        async with _client(config) as client:
            return await client.call_tool("ask", {"prompt": prompt})

    answer = answer_of(run(call))
    assert answer.prompt == prompt and answer.status == "ok" and answer.citations
    assert answer.skills[0].name == "risky_users"
    (event,) = audit_trail(config)
    assert (event["action"], event["prompt"], event["answer_id"]) == (
        "mcp_ask",
        prompt,
        answer.answer_id,
    )


def test_an_unknown_user_is_an_answer_not_an_error(config: ServerConfig) -> None:
    async def call() -> types.CallToolResult:
        async with _client(config) as client:
            return await client.call_tool("user_details", {"user": "nobody-by-this-name"})

    assert answer_of(run(call)).status == "notFound"


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"),
    [
        ("user_details", {}, "user_details: user: Field required"),
        ("user_details", {"usr": "x"}, "unknown argument usr (it takes: user)"),
        ("risky_users", {"include_closed": "maybe"}, "include_closed: Input should be a valid"),
        ("risky_users", {"levels": "high"}, "risky_users: levels: Input should be a valid list"),
        ("ca_whatif", {}, "exactly one of `user`"),
        ("ask", {"prompt": ""}, "ask: prompt: String should have at least 1 character"),
        ("kql", {"query": "SigninLogs", "limit": 0}, "kql: limit: Input should be greater"),
    ],
)
def test_bad_arguments_are_refused_precisely(
    config: ServerConfig, tool: str, arguments: dict[str, object], expected: str
) -> None:
    async def call() -> types.CallToolResult:
        async with _client(config) as client:
            return await client.call_tool(tool, arguments)

    result = run(call)
    assert result.is_error
    assert expected in text_of(result)
    assert "Traceback" not in text_of(result)
    assert result.structured_content["error"]["code"] == "invalid_arguments"
    assert audit_trail(config) == []  # nothing ran


def test_an_unknown_tool_is_a_protocol_error_naming_it(config: ServerConfig) -> None:
    async def call() -> MCPError:
        async with _client(config) as client:
            with pytest.raises(MCPError) as raised:
                await client.call_tool("drop_tenant", {})
            return raised.value

    error = run(call)
    assert error.code == types.INVALID_PARAMS
    assert "no tool is called 'drop_tenant'" in error.message
    assert error.data == {"error": {"code": "unknown_tool", "message": error.message}}


def test_kql_reads_the_views_and_refuses_commands(config: ServerConfig) -> None:
    async def calls() -> tuple[types.CallToolResult, types.CallToolResult]:
        async with _client(config) as client:
            counted = await client.call_tool("kql", {"query": "SigninLogs | count"})
            refused = await client.call_tool("kql", {"query": ".drop table SigninLogs"})
            return counted, refused

    counted, refused = run(calls)
    with Store.open(config.store, read_only=True) as store:
        rows, _, _ = view_extent(store, "SigninLogs")
    assert counted.structured_content["rows"] == [{"Count": rows}]
    assert json.loads(text_of(counted)) == counted.structured_content
    assert refused.is_error and refused.structured_content["error"]["code"] == "kql_query"
    assert "management commands" in text_of(refused)


def test_the_views_are_resources_with_schema_and_a_bounded_sample(config: ServerConfig) -> None:
    async def read() -> tuple[list[types.Resource], types.ReadResourceResult]:
        async with _client(config) as client:
            listed = (await client.list_resources()).resources
            return listed, await client.read_resource("idpilot://logs/SigninLogs")

    listed, read_result = run(read)
    assert [r.name for r in listed] == list(LOG_ANALYTICS_TABLES)
    (contents,) = read_result.contents
    assert isinstance(contents, types.TextResourceContents)
    view = json.loads(contents.text)
    with Store.open(config.store, read_only=True) as store:
        rows, _, last = view_extent(store, "SigninLogs")
    assert view["view"] == "SigninLogs" and view["rows"] == rows
    names = [column["name"] for column in view["columns"]]
    assert {"TimeGenerated", "UserPrincipalName", "ResultType"} <= set(names)
    assert 0 < len(view["sample"]) <= 5
    assert view["sample"][0]["TimeGenerated"].startswith(last.strftime("%Y-%m-%dT%H:%M"))
    assert audit_trail(config)[0]["action"] == "mcp_read"


def test_an_unknown_resource_is_refused(config: ServerConfig) -> None:
    async def read() -> MCPError:
        async with _client(config) as client:
            with pytest.raises(MCPError) as raised:
                await client.read_resource("idpilot://logs/users")
            return raised.value

    error = run(read)
    assert error.code == types.INVALID_PARAMS
    assert error.message.startswith("no resource has that URI; the resources are idpilot://")
