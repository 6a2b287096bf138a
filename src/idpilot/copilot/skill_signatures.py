"""Skills as one-line signatures, for a model whose context cannot hold their tool schemas.

Every skill's full tool schema together is about 11,000 tokens; a 1.5B model served with a
4,096-token context gets instead one line per skill, `name(input: type, option?: type): what
it does`, about 1,000 tokens in all, and writes its call as a JSON object the reply's schema
holds it to. The call is validated against the skill's input model as any other.
"""

from __future__ import annotations

from typing import Any

from idpilot.skills import Skill, SkillRegistry

MAX_LISTED = 6
"""Values of an enum, or keys of an object, listed in a signature (more are shown as `...`)."""


def skill_signatures(registry: SkillRegistry) -> str:
    """Every skill of the registry as `name(input: type, option?: type): description` lines."""
    return "\n".join(f"- {signature(skill)}" for skill in registry.all())


def signature(skill: Skill) -> str:
    """One skill's signature: its inputs (optional ones marked `?`) and its description."""
    schema = skill.input_model.model_json_schema()
    definitions = schema.get("$defs", {})
    required = set(schema.get("required", []))
    inputs = ", ".join(
        f"{name}{'' if name in required else '?'}: {_type(node, definitions)}"
        for name, node in schema.get("properties", {}).items()
    )
    return f"{skill.name}({inputs}): {skill.description}"


def _type(node: dict[str, Any], definitions: dict[str, Any]) -> str:
    """A JSON schema node as a short type (`string`, `a|b|c`, `list of string`, `{start, end}`)."""
    if "$ref" in node:
        return _type(definitions.get(node["$ref"].rsplit("/", 1)[-1], {}), definitions)
    if "anyOf" in node:
        kinds = [_type(part, definitions) for part in node["anyOf"] if part.get("type") != "null"]
        return " or ".join(dict.fromkeys(kinds)) or "null"
    if "enum" in node:
        values = [str(value) for value in node["enum"]]
        more = ["..."] if len(values) > MAX_LISTED else []
        return "|".join(values[:MAX_LISTED] + more)
    if node.get("type") == "array":
        return f"list of {_type(node.get('items', {}), definitions)}"
    if node.get("type") == "object" and node.get("properties"):
        keys = list(node["properties"])
        more = ["..."] if len(keys) > MAX_LISTED else []
        return "{" + ", ".join(keys[:MAX_LISTED] + more) + "}"
    return str(node.get("type", "any"))
