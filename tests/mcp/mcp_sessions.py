"""Helpers for the MCP tests: run a client coroutine, read the audit trail, read results."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
import mcp_types as types

from idpilot.api.config import ServerConfig
from idpilot.copilot.answer import Answer
from idpilot.store.app_state import open_app_state

T = TypeVar("T")


def run(work: Callable[[], Awaitable[T]]) -> T:
    """Run an async client session to its end from a plain test."""
    return anyio.run(work)


def audit_trail(config: ServerConfig) -> list[dict[str, Any]]:
    """The audit events the server wrote, newest first."""
    with open_app_state(config.state) as state:
        return state.audit_events(100)


def answer_of(result: types.CallToolResult) -> Answer:
    """The Answer a tool result carries as structured content (the text block must agree)."""
    assert not result.is_error, result.content
    answer = Answer.model_validate(result.structured_content)
    texts = [block.text for block in result.content if isinstance(block, types.TextContent)]
    assert Answer.model_validate_json(texts[1]).answer_id == answer.answer_id
    return answer


def text_of(result: types.CallToolResult) -> str:
    """The first text block of a result (what a model or a person reads)."""
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text
