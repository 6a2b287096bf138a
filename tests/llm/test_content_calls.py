"""Calls written as JSON text: accepted when well formed and naming an offered tool."""

from __future__ import annotations

import pytest

from idpilot.llm import ModelTurn, ToolCall
from idpilot.llm.content_calls import calls_in_text

OFFERED = ["fill_request", "user_details"]


@pytest.mark.parametrize(
    ("text", "calls"),
    [
        ('{"name": "user_details", "arguments": {"user": "Bob"}}',
         [("user_details", {"user": "Bob"})]),
        ('```json\n{"name": "user_details", "parameters": {"user": "Bob"}}\n```',
         [("user_details", {"user": "Bob"})]),
        ('<tool_call>\n{"name": "fill_request", '
         '"arguments": "{\\"scope\\": \\"tenant\\"}"}\n</tool_call>',
         [("fill_request", {"scope": "tenant"})]),
        ('{"type": "function", "function": {"name": "user_details", "arguments": {}}}',
         [("user_details", {})]),
        ('I will call {"name": "user_details", "arguments": {"user": "A"}} then '
         '{"name": "fill_request", "arguments": {}}',
         [("user_details", {"user": "A"}), ("fill_request", {})]),
        ('{"name": "delete_user", "arguments": {"user": "Bob"}}', []),
        ('{"name": "user_details"}', []),
        ('{"name": "user_details", "arguments": ["Bob"]}', []),
        ('{"name": "user_details", "arguments": "not json"}', []),
        ('{"name": "user_details", "arguments": {"user": "Bob"}', []),
        ("Bob Stone is a Global Administrator.", []),
        ('{"user": "Bob"}', []),
    ],
    ids=["plain", "fenced-parameters", "qwen-tags-string-arguments", "openai-shape", "two",
         "not-offered", "no-arguments", "arguments-not-object", "arguments-not-json",
         "unclosed", "prose", "no-name"],
)  # fmt: skip
def test_calls_in_text(text: str, calls: list[tuple[str, dict[str, object]]]) -> None:
    found = calls_in_text(text, OFFERED)
    assert [(c.name, c.arguments) for c in found] == calls
    assert all(c.id for c in found)


def test_real_tool_calls_win_over_text() -> None:
    turn = ModelTurn(
        text='{"name": "fill_request", "arguments": {}}',
        tool_calls=[ToolCall(id="c", name="user_details", arguments={})],
    )
    assert [c.name for c in turn.calls(OFFERED)] == ["user_details"]
