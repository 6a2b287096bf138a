"""Schema-constrained output: which `response_format` an endpoint takes, and how to send one.

Endpoints differ. llama-cpp-python's server takes `{"type": "json_object", "schema": S}` and
refuses `json_schema`; OpenAI, Azure OpenAI (and llama.cpp's own llama-server, vLLM, Ollama)
take `{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}`, where strict mode
wants every property required and no extra ones. An unknown OpenAI-compatible server gets
none: a refused request is worse than an unconstrained one, and idpilot validates every reply.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlparse

from idpilot.errors import IdpilotError

OPENAI_HOST_SUFFIX = "openai.com"
"""Hosts of OpenAI's own API (api.openai.com), which take strict `json_schema`."""


class OutputMode(StrEnum):
    """How an endpoint takes a JSON schema for the reply (`auto` picks by provider)."""

    auto = "auto"
    none = "none"
    json_object = "json_object"
    json_schema = "json_schema"


@dataclass(frozen=True)
class OutputSchema:
    """The JSON schema a reply should follow, and its name (OpenAI's `json_schema.name`)."""

    name: str
    schema: dict[str, Any] = field(hash=False)


def output_mode_for(provider: str, base_url: str, configured: str) -> OutputMode:
    """The output mode to use: the configured one, or for `auto` the provider's known one."""
    try:
        mode = OutputMode(configured.strip().lower() or OutputMode.auto)
    except ValueError:
        known = ", ".join(mode.value for mode in OutputMode)
        raise IdpilotError(
            f"IDPILOT_LLM_RESPONSE_FORMAT={configured!r} is not one of: {known}"
        ) from None
    if mode is not OutputMode.auto:
        return mode
    if provider == "azure":
        return OutputMode.json_schema
    host = (urlparse(base_url).hostname or "").lower()
    if host == OPENAI_HOST_SUFFIX or host.endswith("." + OPENAI_HOST_SUFFIX):
        return OutputMode.json_schema
    return OutputMode.none


def response_format(mode: OutputMode, output: OutputSchema | None) -> dict[str, Any] | None:
    """The `response_format` to send for `output` in `mode` (None: send none)."""
    if output is None or mode in (OutputMode.none, OutputMode.auto):
        return None
    if mode is OutputMode.json_object:
        return {"type": "json_object", "schema": output.schema}
    strict = strict_schema(output.schema)
    return {
        "type": "json_schema",
        "json_schema": {
            "name": output.name,
            "schema": strict if strict is not None else output.schema,
            "strict": strict is not None,
        },
    }


def strict_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The schema as OpenAI's strict mode wants it (every property required, optional ones
    nullable, no extra properties), or None when it cannot be (an object of any keys)."""
    converted = copy.deepcopy(schema)
    return converted if _make_strict(converted) else None


def _make_strict(node: dict[str, Any]) -> bool:
    """Rewrite `node` in place for strict mode; False when some object lists no properties."""
    for key in ("anyOf", "allOf", "oneOf"):
        if not all(_make_strict(part) for part in node.get(key, [])):
            return False
    if isinstance(node.get("items"), dict) and not _make_strict(node["items"]):
        return False
    if node.get("type") != "object" and "properties" not in node:
        return True
    properties: dict[str, Any] = node.get("properties", {})
    if not properties:
        return False
    required = set(node.get("required", []))
    for name, child in properties.items():
        if not _make_strict(child):
            return False
        if name not in required:
            properties[name] = _nullable(child)
    node["required"] = list(properties)
    node["additionalProperties"] = False
    node.pop("default", None)
    return True


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    """The node, also accepting null (an optional property in strict mode)."""
    node = {key: value for key, value in node.items() if key != "default"}
    kind = node.get("type")
    if isinstance(kind, str):
        node["type"] = [kind, "null"]
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
        return node
    return {"anyOf": [node, {"type": "null"}]}
