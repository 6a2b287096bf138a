"""Schema-constrained output: strict schemas, the wire form per mode, the mode per provider."""

from __future__ import annotations

import pytest

from idpilot.errors import IdpilotError
from idpilot.llm.structured import (
    OutputMode,
    OutputSchema,
    output_mode_for,
    response_format,
    strict_schema,
)

FORM = {
    "type": "object",
    "properties": {
        "intent": {"type": "string", "enum": ["user_details", "help"]},
        "facet": {"type": "string", "enum": ["roles"], "default": "roles"},
        "users": {"type": "array", "items": {"type": "string"}},
        "parts": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"question": {"type": "string"}, "when": {"type": "string"}},
                "required": ["question"],
            },
        },
    },
    "required": ["intent"],
}


def test_strict_mode_requires_every_key_and_lets_optional_ones_be_null() -> None:
    strict = strict_schema(FORM)
    assert strict is not None
    assert strict["required"] == ["intent", "facet", "users", "parts"]
    assert strict["additionalProperties"] is False
    props = strict["properties"]
    assert props["intent"] == FORM["properties"]["intent"]  # required: unchanged
    assert props["facet"] == {"type": ["string", "null"], "enum": ["roles", None]}
    assert props["users"]["type"] == ["array", "null"]
    part = props["parts"]["items"]
    assert part["required"] == ["question", "when"] and part["additionalProperties"] is False
    assert part["properties"]["when"]["type"] == ["string", "null"]
    assert "additionalProperties" not in FORM  # the original is left as it was


def test_an_object_of_any_keys_cannot_be_strict() -> None:
    call = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "arguments": {"type": "object"}},
    }
    assert strict_schema(call) is None


def test_each_mode_sends_its_own_response_format() -> None:
    output = OutputSchema(name="fill_request", schema=FORM)
    assert response_format(OutputMode.none, output) is None
    assert response_format(OutputMode.auto, output) is None
    assert response_format(OutputMode.json_object, None) is None
    assert response_format(OutputMode.json_object, output) == {
        "type": "json_object",
        "schema": FORM,
    }
    sent = response_format(OutputMode.json_schema, output)
    assert sent is not None and sent["type"] == "json_schema"
    assert sent["json_schema"] == {
        "name": "fill_request",
        "schema": strict_schema(FORM),
        "strict": True,
    }


@pytest.mark.parametrize(
    ("provider", "url", "configured", "mode"),
    [
        ("openai", "http://127.0.0.1:8080/v1", "auto", OutputMode.none),
        ("openai", "http://localhost:11434/v1", "", OutputMode.none),
        ("openai", "https://api.openai.com/v1", "auto", OutputMode.json_schema),
        ("openai", "https://notopenai.com.example/v1", "auto", OutputMode.none),
        ("azure", "https://contoso.openai.azure.com", "auto", OutputMode.json_schema),
        ("openai", "http://127.0.0.1:8080/v1", "json_object", OutputMode.json_object),
        ("azure", "https://contoso.openai.azure.com", "NONE", OutputMode.none),
    ],
)
def test_the_mode_is_the_configured_one_or_the_providers(
    provider: str, url: str, configured: str, mode: OutputMode
) -> None:
    assert output_mode_for(provider, url, configured) is mode


def test_an_unknown_mode_names_the_known_ones() -> None:
    with pytest.raises(IdpilotError, match="auto, none, json_object, json_schema"):
        output_mode_for("openai", "http://127.0.0.1/v1", "gbnf")
