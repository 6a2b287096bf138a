"""What a model fills when it plans: the model-fillable parts of a Request, as one tool.

The draft is a pydantic model built per skill registry: `intent` is an enum of the intents
idpilot knows (built-in ones whose skill is installed, not-yet ones, `help`, `out_of_scope`,
and one per plugin skill), `facet` an enum of the facets the exemplar bank knows (which facets
belong to which intent is said in the tool's description and checked when the request comes
back). Names, the time phrase, conditions and the parts' questions are the admin's own words,
copied: idpilot resolves, parses and reads them itself. The tool the model sees is the draft's
flat wire form (`request_form`), which a 1.5B model fills validly.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from idpilot.copilot.request_form import form_keys, form_schema
from idpilot.copilot.understanding.capabilities import NOT_YET
from idpilot.copilot.understanding.classifier import load_bank
from idpilot.copilot.understanding.intents import FACET_SKILLS, INTENTS, Availability
from idpilot.copilot.understanding.request import Scope
from idpilot.copilot.understanding.slots import QuestionForm
from idpilot.llm.structured import OutputSchema
from idpilot.skills import SkillRegistry

TOOL_NAME = "fill_request"
TOOL_DESCRIPTION = (
    "Record what the administrator asks: scope, intent and facet, the form of the question, "
    "and, copied word for word from the prompt, the names, the time phrase, the conditions "
    "and, for a prompt asking several different questions, each question."
)
_ABOUT_IDPILOT = {
    "help": "what idpilot itself can do or answer",
    "out_of_scope": "anything that is not about identity and access in this tenant",
}


class Names(BaseModel):
    """The names the admin mentioned, by kind, each copied exactly as written."""

    model_config = ConfigDict(extra="forbid")

    users: list[str] = Field(
        default_factory=list, description="People or accounts: names, first names, UPNs, mails."
    )
    groups: list[str] = Field(default_factory=list, description="Groups.")
    apps: list[str] = Field(default_factory=list, description="Applications, service principals.")
    roles: list[str] = Field(default_factory=list, description="Directory roles, as written.")
    policies: list[str] = Field(default_factory=list, description="Conditional Access policies.")
    locations: list[str] = Field(
        default_factory=list, description="Named locations or networks ('the office', 'HQ')."
    )
    countries: list[str] = Field(default_factory=list, description="Countries or regions.")
    cities: list[str] = Field(default_factory=list, description="Cities.")
    departments: list[str] = Field(default_factory=list, description="Departments.")
    ips: list[str] = Field(default_factory=list, description="IP addresses.")
    error_codes: list[str] = Field(
        default_factory=list, description="Sign-in error codes ('50126', 'AADSTS53003')."
    )
    request_ids: list[str] = Field(
        default_factory=list, description="Correlation or request ids (GUIDs)."
    )
    platforms: list[str] = Field(
        default_factory=list, description="Device platforms (Windows, iOS, Android, macOS...)."
    )

    def objects(self) -> dict[str, list[str]]:
        """Names of directory objects, by Graph kind."""
        return {
            "user": self.users,
            "group": self.groups,
            "servicePrincipal": self.apps,
            "unifiedRoleDefinition": self.roles,
            "conditionalAccessPolicy": self.policies,
        }

    def places_and_platforms(self) -> list[str]:
        """Names that state where or how (read like conditions, by the same readers)."""
        return [*self.locations, *self.countries, *self.cities, *self.departments, *self.platforms]


class PartDraft(BaseModel):
    """One question of a prompt that asks several."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="The words of the prompt that ask it, copied.")
    intent: str
    facet: str | None = None


class RequestDraft(BaseModel):
    """The model's reading of a prompt, before idpilot checks and resolves it."""

    model_config = ConfigDict(extra="forbid")

    scope: Scope = Field(
        description="tenant: identity and access in this tenant; capabilities: what idpilot "
        "can do; out: anything else."
    )
    intent: str
    facet: str | None = None
    form: QuestionForm = Field(default=QuestionForm.other, description="The form of the question.")
    names: Names = Field(default_factory=Names)
    time_phrase: str | None = Field(
        default=None, description="The words that say when ('yesterday morning'), copied."
    )
    conditions: list[str] = Field(
        default_factory=list,
        description="Restrictions the prompt states, copied ('without MFA', 'guests only', "
        "'on a compliant laptop'); not names, not the time phrase.",
    )
    parts: list[PartDraft] = Field(
        default_factory=list,
        description="Only when the prompt asks two or more different questions: one each.",
    )


def known_intents(registry: SkillRegistry) -> dict[str, str]:
    """Every intent a request may name, with what it asks (plugin skills are intents too)."""
    described: dict[str, str] = {}
    for spec in INTENTS.values():
        if spec.availability is Availability.skill:
            if spec.answered_by in registry:
                described[spec.name] = registry.get(spec.answered_by or spec.name).description
        elif spec.availability is Availability.not_yet:
            described[spec.name] = f"not yet possible: {NOT_YET[spec.name]}"
        else:
            described[spec.name] = _ABOUT_IDPILOT[spec.name]
    answered = {spec.answered_by for spec in INTENTS.values()} | set(FACET_SKILLS.values())
    for skill in registry.all():  # a built-in whose intent is not yet routed keeps "not yet"
        if skill.name not in answered and skill.name not in INTENTS:
            described[skill.name] = skill.description
    return described


@cache
def facets_by_intent() -> dict[str, tuple[str, ...]]:
    """The facets the exemplar bank knows, by intent (an intent may have none)."""
    found: dict[str, set[str]] = {}
    for exemplar in load_bank():
        if exemplar.facet:
            found.setdefault(exemplar.intent, set()).add(exemplar.facet)
    return {intent: tuple(sorted(facets)) for intent, facets in found.items()}


def draft_model(registry: SkillRegistry) -> type[RequestDraft]:
    """The RequestDraft with `intent` and `facet` typed as enums of what this registry knows."""
    return _draft_model(tuple(known_intents(registry).items()))


@cache
def _draft_model(described: tuple[tuple[str, str], ...]) -> type[RequestDraft]:
    """Built once per set of intents (a pydantic model and its schema take milliseconds)."""
    intents = dict(described)
    facets = facets_by_intent()
    lines = []
    for name, description in intents.items():
        own = facets.get(name, ())
        lines.append(f"{name}: {description}" + (f" (facets: {', '.join(own)})" if own else ""))
    intent_type: Any = Literal[tuple(intents)]
    names = sorted({f for intent in intents for f in facets.get(intent, ())})
    facet_type: Any = Literal[tuple(names)] | None
    intent_field = Field(description="What is asked, one of:\n" + "\n".join(lines))
    facet_field = Field(default=None, description="Which aspect, one of the intent's facets.")
    part = create_model(
        "Part",
        __base__=PartDraft,
        intent=(intent_type, Field(description="What it asks: an intent, as for the request.")),
        facet=(facet_type, facet_field),
    )
    model: type[RequestDraft] = create_model(
        "Request",
        __base__=RequestDraft,
        intent=(intent_type, intent_field),
        facet=(facet_type, facet_field),
        parts=(list[part], RequestDraft.model_fields["parts"]),  # type: ignore[valid-type]
    )
    return model


def request_tool(registry: SkillRegistry) -> dict[str, Any]:
    """The one tool a planning model is offered, in OpenAI's tool-calling schema: the flat
    form, with each intent and its facets said once in the description."""
    return {
        "type": "function",
        "function": {
            "name": TOOL_NAME,
            "description": TOOL_DESCRIPTION + " Intents:\n" + intent_lines(registry),
            "parameters": form_schema(list(known_intents(registry))),
        },
    }


def form_guide(registry: SkillRegistry) -> str:
    """The form as a small-context model is told it instead of a tool schema: the JSON to
    write, each key in a line, and the intents."""
    keys = "\n".join(f"- {key}: {about}" for key, about in form_keys().items())
    return (
        f'Reply with one JSON object: {{"name": "{TOOL_NAME}", "arguments": {{...}}}}, the '
        "arguments having these keys (every name, phrase and condition copied from the "
        "question; an empty list or string when it states none):\n"
        f"{keys}\nIntents:\n{intent_lines(registry)}"
    )


def intent_lines(registry: SkillRegistry) -> str:
    """Each intent the registry knows, with what it asks and its facets, one a line."""
    return _intent_lines(tuple(known_intents(registry).items()))


@cache
def _intent_lines(described: tuple[tuple[str, str], ...]) -> str:
    facets = facets_by_intent()
    lines = []
    for name, description in described:
        own = facets.get(name, ())
        lines.append(f"- {name}: {description}" + (f" Facets: {', '.join(own)}." if own else ""))
    return "\n".join(lines)


def request_output(registry: SkillRegistry) -> OutputSchema:
    """The schema a planning reply is held to where the endpoint takes one: a call of the
    tool, written as JSON, whose facet is an enum of the known facets."""
    intents = list(known_intents(registry))
    facets = sorted({f for intent in intents for f in facets_by_intent().get(intent, ())})
    return OutputSchema(
        name=TOOL_NAME,
        schema={
            "type": "object",
            "properties": {
                "name": {"type": "string", "enum": [TOOL_NAME]},
                "arguments": form_schema(intents, facets, complete=True),
            },
            "required": ["name", "arguments"],
            "additionalProperties": False,
        },
    )
