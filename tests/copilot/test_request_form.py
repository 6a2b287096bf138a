"""The planning form: flat for the model, complete for a grammar, near-misses read for certain."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from idpilot.copilot.request_draft import draft_model, form_guide, request_output
from idpilot.copilot.request_form import NO_FACET, form_schema, normalised_arguments
from idpilot.skills import default_registry

BASE = {"scope": "tenant", "intent": "user_details"}


def _draft(arguments: dict[str, Any]) -> Any:
    return draft_model(default_registry()).model_validate(normalised_arguments(arguments))


def test_the_tool_form_asks_for_little_and_the_complete_form_for_every_key() -> None:
    tool = form_schema(["user_details", "help"])
    complete = form_schema(["user_details", "help"], ["roles"], complete=True)
    assert tool["required"] == ["scope", "intent"] and "enum" not in tool["properties"]["facet"]
    assert complete["required"] == list(complete["properties"])
    assert complete["properties"]["facet"]["enum"] == ["roles", NO_FACET]
    part = complete["properties"]["parts"]["items"]
    assert part["required"] == ["question", "intent", "facet"]
    assert set(tool["properties"]) == set(complete["properties"])


def test_a_complete_reply_with_empty_keys_is_a_valid_draft() -> None:
    schema = request_output(default_registry()).schema["properties"]["arguments"]
    empty: dict[str, Any] = {"array": [], "string": ""}
    reply = {key: empty.get(node["type"], "") for key, node in schema["properties"].items()}
    reply.update(BASE, facet=NO_FACET, form="other", users=["Bob Stone"])
    draft = _draft(reply)
    assert draft.facet is None and draft.time_phrase is None and draft.parts == []
    assert draft.names.users == ["Bob Stone"] and draft.names.groups == []


@pytest.mark.parametrize(
    ("arguments", "users"),
    [
        ({"users": ["Bob Stone"]}, ["Bob Stone"]),
        ({"users": "Bob Stone"}, ["Bob Stone"]),
        ({"users": [{"name": "Bob Stone"}]}, ["Bob Stone"]),
        ({"user": [{"displayName": "Bob Stone"}]}, ["Bob Stone"]),
        ({"names": {"users": [{"name": "Bob Stone"}]}}, ["Bob Stone"]),
        ({"names": {"user": "Bob Stone"}}, ["Bob Stone"]),
        ({"names": [{"name": "Bob Stone", "kind": "user"}]}, ["Bob Stone"]),
        ({"names": [{"name": "Bob Stone", "type": "users"}]}, ["Bob Stone"]),
        ({"users": None}, []),
        ({"users": "none"}, []),
    ],
)
def test_names_in_near_miss_shapes_are_read_as_strings(
    arguments: dict[str, Any], users: list[str]
) -> None:
    assert _draft({**BASE, **arguments}).names.users == users


@pytest.mark.parametrize(
    "arguments",
    [
        {"users": [{"first": "Bob", "last": "Stone"}]},  # two strings: which is the name?
        {"users": [{"id": 7}]},
        {"names": [{"name": "Bob Stone"}]},  # no kind: user, group or app?
        {"names": ["Bob Stone"]},
        {"names": "Bob Stone"},
        {"names": {"people": ["Bob Stone"]}},  # not a kind
        {"users": 42},
    ],
)
def test_shapes_whose_meaning_is_not_certain_stay_invalid(arguments: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        _draft({**BASE, **arguments})


def test_places_go_where_they_are_read_and_empty_words_mean_none() -> None:
    draft = _draft(
        {
            **BASE,
            "country": "France",
            "conditions": ["without MFA", "none", ""],
            "users": ["None"],
            "facet": "None",
            "time_phrase": "",
            "parts": [{"question": "who is Bob", "intent": "user_details", "facet": ""}],
        }
    )
    assert draft.names.countries == ["France"] and draft.conditions == ["without MFA"]
    assert draft.names.users == []
    assert draft.facet is None and draft.time_phrase is None
    assert draft.parts[0].facet is None


def test_normalising_never_changes_a_value() -> None:
    arguments = {**BASE, "users": [" bob STONE "], "time_phrase": "yesterday"}
    normal = normalised_arguments(arguments)
    assert normal["names"] == {"users": [" bob STONE "]} and normal["time_phrase"] == "yesterday"
    assert arguments["users"] == [" bob STONE "]  # the model's arguments are left as they were


def test_a_small_context_model_is_told_the_form_and_the_intents() -> None:
    guide = form_guide(default_registry())
    assert '{"name": "fill_request", "arguments": {...}}' in guide
    assert "- users: list:" in guide and "- role_holders:" in guide
