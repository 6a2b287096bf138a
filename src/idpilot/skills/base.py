"""The Skill contract: a typed function over the store that returns facts, evidence, next steps.

A skill never prints and never writes prose; the composer phrases its result. Its input is a
pydantic model whose fields, tagged with slots, are what the planner fills from a Request.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny

from idpilot.model.records import Record
from idpilot.store import Store


class NextStep(BaseModel):
    """A concrete action the admin can take, with the evidence that motivates it."""

    action: str
    why: str = ""
    evidence_ids: list[str] = Field(default_factory=list)


class ResultStatus(StrEnum):
    """How a skill's run ended."""

    ok = "ok"
    not_found = "notFound"  # the named entity does not exist in the tenant
    ambiguous = "ambiguous"  # several entities match; the admin must choose
    empty = "empty"  # the entity exists but there is nothing to report


class SkillFacts(BaseModel):
    """The base of a skill's facts model: what its template reads, by attribute.

    Each built-in skill declares its own subclass (`define_skill(..., facts=...)`); an unknown
    field is an error, so a fact a template reads cannot be misspelt where it is set.
    """

    model_config = ConfigDict(extra="forbid")

    def handed_over_text(self) -> str:
        """Text made only from what the caller handed over (a decoded script): the answer may
        name what it holds, as it may name what the prompt holds, though no record carries it."""
        return ""


class UnresolvedFacts(SkillFacts):
    """The facts of a notFound or ambiguous result: what kind of object the name was for."""

    kind: str
    """`user`, `group`, `application`, `role`... as the status templates say it."""


class SkillResult(BaseModel):
    """What a skill found: typed facts, the evidence behind them, and what to do next."""

    skill: str
    status: ResultStatus = ResultStatus.ok
    facts: dict[str, Any] | SerializeAsAny[BaseModel] = Field(
        default_factory=dict, union_mode="left_to_right"
    )
    """The skill's facts model (a plugin's skill may still return a plain dict)."""
    evidence: list[Record] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)
    followups: list[str] = Field(default_factory=list)
    candidates: list[Record] = Field(default_factory=list)
    """The objects an ambiguous or unknown name could mean, offered back to choose from."""
    query: str | None = None  # the name or text the status refers to
    kql: str | None = None

    def add_evidence(self, record: Record) -> Record:
        """Add a record once (by kind and id) and return it."""
        for existing in self.evidence:
            if existing.kind == record.kind and existing.id == record.id:
                return existing
        self.evidence.append(record)
        return record


class Slot(StrEnum):
    """What an input field expects, so the offline planner knows how to fill it."""

    user = "user"
    group = "group"
    application = "application"
    role = "role"
    policy = "policy"
    time_window = "timeWindow"
    ip_address = "ipAddress"
    correlation_id = "correlationId"
    error_code = "errorCode"
    free_text = "freeText"
    """The prompt itself. Deprecated: no built-in skill reads the prompt (kept for plugins)."""
    stated = "stated"
    """A typed value the prompt states (a list filter, a capability), by the field's name."""
    question = "question"
    """The admin's question as asked, for a skill that searches reference text with it (the
    documentation) or hands it to a model that writes a query checked and run read-only
    (`kql_write` with a model); never read for tenant values, which come from the typed slots."""
    script = "script"
    """The text of a script, command line or blob the caller hands over (never the prompt)."""


def slot(kind: Slot, description: str, *, only_sure: bool = False, **kwargs: Any) -> Any:
    """A pydantic Field tagged with the slot kind the planner fills it from. `only_sure`: an
    optional narrowing ("is BladeScan risky?") the planner fills only with an object the prompt
    names surely, never with a word some objects' names share ("any risky service
    principals?" names no app)."""
    extra: dict[str, Any] = {"slot": kind.value}
    if only_sure:
        extra["only_sure"] = True
    return Field(description=description, json_schema_extra=extra, **kwargs)


SkillFunction = Callable[[Store, Any], SkillResult]
ModelSkillFunction = Callable[[Store, Any, Any], SkillResult]
"""A skill's variant that also takes the configured chat model (`idpilot.llm.ChatModel`)."""


@dataclass(frozen=True)
class Skill:
    """A registered skill: its name, one-line description, input model and function."""

    name: str
    description: str
    input_model: type[BaseModel]
    function: SkillFunction
    keywords: dict[str, float] = field(default_factory=dict)
    """Words and phrases that suggest this skill to the offline planner, with weights."""
    describes: str | None = None
    """The Graph kind this skill describes when a prompt is little more than a name."""
    template_package: str = ""
    """The package whose `templates/` folder holds `<name>.md.j2` (the skill's own package)."""
    examples: tuple[str, ...] = ()
    """Prompts this skill answers, in admins' words ({user}, {group}... for names): a plugin's
    exemplars for the intent classifier (built-in skills have theirs in the shipped bank)."""
    facts_model: type[BaseModel] | None = None
    """The model of the facts an ok or empty result holds (`UnresolvedFacts` when a name is
    not found or ambiguous); None for a plugin skill whose facts are a plain dict."""
    reads: tuple[str, ...] = ()
    """The snapshot collections its answer depends on (`Collection` values): when a sync could
    not read one (a 403), the answer says so instead of reporting nothing."""
    with_model: ModelSkillFunction | None = None
    """How the skill runs when a model is configured (None: the same as without one)."""
    remote_logs: bool = False
    """It reads its log rows through `idpilot.logs`: with IDPILOT_LOGS_REMOTE set they come
    from the workspace or cluster, and the answer's limits say so."""

    def run(self, store: Store, params: BaseModel | dict[str, Any]) -> SkillResult:
        """Validate `params` against the input model and run the skill."""
        model = (
            params
            if isinstance(params, self.input_model)
            else self.input_model.model_validate(params)
        )
        return self.function(store, model)

    def run_with_model(
        self, store: Store, params: BaseModel | dict[str, Any], model: Any
    ) -> SkillResult:
        """Run the skill's model variant when it has one, else the skill itself."""
        if self.with_model is None:
            return self.run(store, params)
        checked = (
            params
            if isinstance(params, self.input_model)
            else self.input_model.model_validate(params)
        )
        return self.with_model(store, checked, model)

    def alternatives(self) -> tuple[str, ...]:
        """Input fields of which exactly one is given (a user or a role), in order of preference.

        Declared by the input model as `slot_alternatives: ClassVar[tuple[str, ...]]`; a planner
        fills the first one the prompt names and, when it names none, asks for the first.
        """
        return tuple(getattr(self.input_model, "slot_alternatives", ()))

    def only_sure_slots(self) -> set[str]:
        """The fields the planner fills only with objects the prompt names surely."""
        return {
            name
            for name, info in self.input_model.model_fields.items()
            if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("only_sure")
        }

    def slots(self) -> dict[str, Slot]:
        """Input field name -> slot kind, for the fields tagged with a slot."""
        found = {}
        for name, info in self.input_model.model_fields.items():
            extra = info.json_schema_extra
            if isinstance(extra, dict) and "slot" in extra:
                found[name] = Slot(str(extra["slot"]))
        return found


def _package_of(function: SkillFunction) -> str:
    """The package a skill's function lives in (its own, when defined in a package's
    `__init__`)."""
    module = inspect.getmodule(function)
    return (module.__package__ if module else None) or function.__module__.rpartition(".")[0]


def define_skill(
    function: SkillFunction,
    *,
    name: str | None = None,
    keywords: dict[str, float] | None = None,
    describes: str | None = None,
    examples: tuple[str, ...] = (),
    facts: type[BaseModel] | None = None,
    reads: tuple[str, ...] = (),
    with_model: ModelSkillFunction | None = None,
    remote_logs: bool = False,
) -> Skill:
    """Build a Skill from a typed function: input model from its signature, text from its doc."""
    hints = get_type_hints(function)
    parameters = list(inspect.signature(function).parameters)
    if len(parameters) != 2:
        raise TypeError(f"{function.__name__} must take (store, params)")
    input_model = hints[parameters[1]]
    doc = inspect.getdoc(function) or ""
    return Skill(
        name=name or function.__name__,
        description=doc.splitlines()[0] if doc else function.__name__,
        input_model=input_model,
        function=function,
        keywords=keywords or {},
        describes=describes,
        examples=examples,
        facts_model=facts,
        reads=tuple(reads),
        remote_logs=remote_logs,
        template_package=_package_of(function),
        with_model=with_model,
    )
