"""Tool calls written as JSON text: what small local models send instead of `tool_calls`.

A call is accepted only when it is well formed: a JSON object naming one of the offered tools
(`name`, or `function.name`) with its arguments as an object (or a JSON string of one) under
`arguments` or `parameters`. Code fences and `<tool_call>` tags around it are ignored; any other
text is not a call.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from idpilot.llm.client import ToolCall, parse_arguments

_ARGUMENT_KEYS = ("arguments", "parameters")
_DECODER = json.JSONDecoder()


def calls_in_text(text: str, offered: Sequence[str]) -> list[ToolCall]:
    """The well-formed calls to offered tools that `text` holds as JSON objects, in order."""
    calls = []
    for value in _objects(text):
        call = _call(value, offered)
        if call is not None:
            calls.append(call.model_copy(update={"id": f"call_text_{len(calls) + 1}"}))
    return calls


def _objects(text: str) -> Iterator[dict[str, Any]]:
    """Every top-level JSON object in the text (one inside another is not yielded twice)."""
    position = text.find("{")
    while position != -1:
        try:
            value, end = _DECODER.raw_decode(text, position)
        except ValueError:
            position = text.find("{", position + 1)
            continue
        if isinstance(value, dict):
            yield value
        position = text.find("{", end)


def _call(value: dict[str, Any], offered: Sequence[str]) -> ToolCall | None:
    """The call the object stands for, when it is a well-formed call to an offered tool."""
    body = value.get("function") if isinstance(value.get("function"), dict) else value
    name = body.get("name")
    if not isinstance(name, str) or name not in offered:
        return None
    present = [key for key in _ARGUMENT_KEYS if key in body]
    if not present:
        return None
    raw = body[present[0]]
    arguments = parse_arguments(raw) if isinstance(raw, str) else raw
    if not isinstance(arguments, dict):
        return None
    return ToolCall(name=name, arguments=arguments)
