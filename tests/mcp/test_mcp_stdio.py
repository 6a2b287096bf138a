"""`idpilot mcp --transport stdio` as a real subprocess, driven by the SDK's stdio client."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import mcp_types as types
import pytest
from mcp import Client, StdioServerParameters

import idpilot
from idpilot.api.config import ServerConfig
from idpilot.state.paths import state_path
from tests.mcp.mcp_sessions import answer_of, audit_trail, run

SRC = Path(idpilot.__file__).parents[1]
CLI = "from idpilot.cli import main; main()"


def _parameters(store: Path, *options: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-c", CLI, "mcp", "--store", str(store), *options],
        env={"PYTHONPATH": str(SRC), "IDPILOT_LLM_BASE_URL": ""},
    )


@pytest.mark.slow
def test_a_client_lists_asks_and_reads_over_stdio(mcp_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "stdio.duckdb"
    store.write_bytes(mcp_store.read_bytes())

    async def session() -> tuple[list[str], types.CallToolResult, str]:
        async with Client(_parameters(store, "--transport", "stdio", "--offline")) as client:
            tools = [tool.name for tool in (await client.list_tools()).tools]
            asked = await client.call_tool("ask", {"prompt": "Which users are risky?"})
            read = await client.read_resource("idpilot://logs/AuditLogs")
            (contents,) = read.contents
            assert isinstance(contents, types.TextResourceContents)
            return tools, asked, contents.text

    tools, asked, resource = run(session)
    assert "ask" in tools and "user_details" in tools
    answer = answer_of(asked)
    assert answer.status == "ok" and answer.citations
    assert json.loads(resource)["view"] == "AuditLogs"
    config = ServerConfig(store=store, state=state_path(store))
    assert [(e["action"], e["user_name"]) for e in audit_trail(config)] == [
        ("mcp_read", "local"),
        ("mcp_ask", "local"),
    ]
