"""The planning tool's wire form: a flat JSON schema a small model can fill, and its near-misses.

The model fills one flat object: `scope`, `intent` and `facet` as enums, `form`, one list of
strings per kind of name (`users`, `groups`, `apps`...), `time_phrase`, `conditions`, and
`parts` for a compound prompt. No `$defs`, no titles, no nested objects except the parts. The
tool's parameters leave `facet` a plain string (the facets of each intent are listed once, in
the tool's description, which is cheaper in tokens); the schema the reply is held to, where
the endpoint takes one, has the facets as an enum too and every key required.

`normalised_arguments` turns what came back into `RequestDraft`'s shape and repairs, without
asking the model again, only mistakes whose meaning is certain: a name given as an object
(`{"name": "Bob Stone"}`) or as a lone string, a kind in the singular (`user`), names nested
under `names` or listed as `{"name": ..., "kind": ...}`, an empty or `"none"` facet, time
phrase, name or condition (dropped), nulls for empty lists. Anything else is left for the
validation to refuse (and the model to repair once).
"""

from __future__ import annotations

from typing import Any

from idpilot.copilot.understanding.request import Scope
from idpilot.copilot.understanding.slots import QuestionForm

NAME_KINDS: dict[str, str] = {
    "users": "People or accounts (names, UPNs, mails).",
    "groups": "Groups.",
    "apps": "Applications or service principals.",
    "roles": "Directory roles.",
    "policies": "Conditional Access policies.",
    "ips": "IP addresses.",
    "error_codes": "Sign-in error codes.",
    "request_ids": "Correlation or request ids (GUIDs).",
}
"""The kinds of name the form asks for, each a list of the admin's words. Places, departments
and platforms are read like conditions (`Names.places_and_platforms`), so the form asks for
them there; `Names`' own fields for them are still accepted."""
PLACE_KINDS = ("locations", "countries", "cities", "departments", "platforms")
NO_FACET = "none"
"""The facet a complete form gives when the intent has none."""

_KIND_ALIASES = {
    "user": "users",
    "person": "users",
    "account": "users",
    "group": "groups",
    "app": "apps",
    "application": "apps",
    "applications": "apps",
    "service_principal": "apps",
    "serviceprincipal": "apps",
    "role": "roles",
    "policy": "policies",
    "location": "locations",
    "country": "countries",
    "city": "cities",
    "department": "departments",
    "ip": "ips",
    "ip_address": "ips",
    "ip_addresses": "ips",
    "error_code": "error_codes",
    "request_id": "request_ids",
    "correlation_id": "request_ids",
    "platform": "platforms",
}
_NAME_KEYS = ("name", "value", "text", "displayName")
"""Keys under which a model may put the one string an object stands for."""
_KIND_KEYS = ("kind", "type")
_EMPTY_WORDS = frozenset({"", "none", "null", "n/a"})


def form_schema(
    intents: list[str], facets: list[str] | None = None, *, complete: bool = False
) -> dict[str, Any]:
    """The flat JSON schema of the planning form for these intents.

    The tool's form (`complete` false) needs only scope and intent, and leaves `facet` a
    string. The complete form, which a reply is held to, has `facet` an enum of `facets` (and
    `none`) and every property required in a fixed order: a grammar with one way forward at
    each key costs little per token, where one that lets any optional key come next made each
    token of a 1.5B model on a CPU about twenty times slower.
    """
    words = {"type": "array", "items": {"type": "string"}}
    facet: dict[str, Any] = {"type": "string"}
    if complete:
        facet["enum"] = [*(facets or []), NO_FACET]
    else:
        facet["description"] = "One of the intent's facets, if any."
    part = _object(
        {
            "question": {"type": "string", "description": "The words that ask it, copied."},
            "intent": {"type": "string", "enum": intents},
            "facet": facet,
        },
        ["question", "intent"],
        complete,
    )
    return _object(
        {
            "scope": {"type": "string", "enum": [scope.value for scope in Scope]},
            "intent": {"type": "string", "enum": intents},
            "facet": facet,
            "form": {"type": "string", "enum": [form.value for form in QuestionForm]},
            **{kind: {**words, "description": about} for kind, about in NAME_KINDS.items()},
            "time_phrase": {"type": "string", "description": "The words that say when, copied."},
            "conditions": {
                **words,
                "description": "Restrictions, places, departments and platforms stated "
                "('without MFA', 'guests only', 'from France', 'on iOS'), copied.",
            },
            "parts": {
                "type": "array",
                "items": part,
                "description": "Only for two or more different questions: one each.",
            },
        },
        ["scope", "intent"],
        complete,
    )


def form_keys() -> dict[str, str]:
    """Each key of the form with what it holds, in the form's order (for a prompt)."""
    return {
        "scope": "tenant, capabilities (what idpilot can do) or out (anything else).",
        "intent": "what is asked, one of the intents below.",
        "facet": f"one of the intent's facets, or {NO_FACET}.",
        "form": ", ".join(form.value for form in QuestionForm) + ".",
        **{kind: f"list: {about}" for kind, about in NAME_KINDS.items()},
        "time_phrase": "the question's own words that say when, or empty if it says none.",
        "conditions": "list: restrictions, places, departments, platforms the question states.",
        "parts": "list of {question, intent, facet}: only for two or more different questions.",
    }


def _object(properties: dict[str, Any], required: list[str], complete: bool) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if complete else required,
        "additionalProperties": False,
    }


def normalised_arguments(arguments: dict[str, Any]) -> dict[str, Any]:
    """The model's arguments in `RequestDraft`'s shape, with certain near-misses repaired."""
    fields = dict(arguments)
    names = _names(fields.pop("names", None), fields)
    if names is not None:
        fields["names"] = names
    for key in ("facet", "time_phrase", "form"):
        if key in fields and _empty(fields[key]):
            del fields[key]
    if "conditions" in fields:
        fields["conditions"] = _strings(fields["conditions"])
    if fields.get("parts") is None:
        fields.pop("parts", None)
    elif isinstance(fields["parts"], list):
        fields["parts"] = [_part(part) for part in fields["parts"]]
    return fields


def _names(nested: Any, fields: dict[str, Any]) -> Any:
    """The names by kind, from a `names` object or list and from flat kinds; an unreadable
    `names` value is returned as it was (validation refuses it)."""
    by_kind: dict[str, Any] = {}
    if isinstance(nested, dict):
        for kind, value in nested.items():
            _add(by_kind, _kind(kind), value)
    elif isinstance(nested, list):
        for item in nested:
            kind = _item_kind(item)
            if kind is None:
                return nested
            _add(by_kind, kind, [item])
    elif nested is not None:
        return nested
    for key in list(fields):
        if (kind := _kind(key)) in NAME_KINDS or kind in PLACE_KINDS:
            _add(by_kind, kind, fields.pop(key))
    if nested is None and not by_kind:
        return None
    return by_kind


def _add(by_kind: dict[str, Any], kind: str, value: Any) -> None:
    """Add a kind's names; a value that is no list of names is kept as it is (refused later)."""
    names, held = _strings(value), by_kind.get(kind, [])
    if isinstance(names, list) and isinstance(held, list):
        by_kind[kind] = [*held, *names]
    else:
        by_kind[kind] = names


def _kind(key: str) -> str:
    """A kind of name as `Names` spells it (`user` -> `users`); other keys unchanged."""
    return _KIND_ALIASES.get(key.strip().lower().replace(" ", "_"), key)


def _item_kind(item: Any) -> str | None:
    """The kind an item of a `names` list states (`{"name": ..., "kind": "user"}`), if any."""
    if not isinstance(item, dict):
        return None
    for key in _KIND_KEYS:
        if isinstance(item.get(key), str):
            kind = _kind(item[key])
            if kind in NAME_KINDS or kind in PLACE_KINDS:
                return kind
    return None


def _strings(value: Any) -> Any:
    """A list of strings from a string, null, or a list whose items may be one-string
    objects; anything else is returned as it was."""
    if value is None:
        return []
    if isinstance(value, str):
        return [] if _empty(value) else [value]
    if not isinstance(value, list):
        return value
    return [string for string in map(_string, value) if not _empty(string)]


def _string(item: Any) -> Any:
    """The string an item stands for: itself, or the name an object gives; else unchanged."""
    if isinstance(item, dict):
        found = [item[key] for key in _NAME_KEYS if isinstance(item.get(key), str)]
        if len(found) == 1:
            return found[0]
    return item


def _part(part: Any) -> Any:
    if isinstance(part, dict) and "facet" in part and _empty(part["facet"]):
        return {key: value for key, value in part.items() if key != "facet"}
    return part


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _EMPTY_WORDS)
