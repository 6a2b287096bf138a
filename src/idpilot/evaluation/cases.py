"""Evaluation cases (YAML, see cases/FORMAT.md) and their placeholders."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from idpilot.errors import IdpilotError
from idpilot.store import Store
from idpilot.store.queries.evaluation import author_query_value

_PLACEHOLDER = re.compile(r"\{((?:persona|scenario)\.[\w.]+)\}")
_SQL_PLACEHOLDER = re.compile(r"\{sql:([^}]+)\}")


class EvalCaseError(IdpilotError):
    """A case file is malformed or names a placeholder the answer key lacks."""


class EvalCase(BaseModel):
    """One prompt and what a correct answer must show."""

    model_config = ConfigDict(extra="forbid")

    id: str
    prompt: str
    after: list[str] = Field(default_factory=list)
    """Prompts asked first in the same session (for follow-up phrasing)."""
    skill: str | None = None
    status: str = "ok"
    cite: list[str] = Field(default_factory=list)
    cite_scenario: str | None = None
    cite_scenario_any: str | None = None
    contains: list[str] = Field(default_factory=list)
    contains_sql: list[str] = Field(default_factory=list)
    not_contains: list[str] = Field(default_factory=list)
    pending: str | None = None
    """A capability idpilot does not have yet (kql, policy_draft, ...): reported "not yet"."""
    source: str = ""


def default_case_files() -> list[Path]:
    """The case files shipped with idpilot."""
    folder = resources.files("idpilot.evaluation") / "cases"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_cases(paths: list[Path]) -> list[EvalCase]:
    """Every case of the files, checked for shape and unique ids."""
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for path in paths:
        try:
            items = yaml.safe_load(path.read_text()) or []
        except yaml.YAMLError as error:
            raise EvalCaseError(f"{path}: invalid YAML: {error}") from None
        if not isinstance(items, list):
            raise EvalCaseError(f"{path}: expected a list of cases")
        for index, item in enumerate(items, start=1):
            try:
                case = EvalCase.model_validate({**item, "source": path.name})
            except (ValidationError, TypeError) as error:
                raise EvalCaseError(f"{path}: case {index}: {error}") from None
            if case.id in seen:
                raise EvalCaseError(f"{path}: case id {case.id!r} is used twice")
            seen.add(case.id)
            cases.append(case)
    return cases


def _lookup(key: dict[str, Any], dotted: str) -> Any:
    kind, _, rest = dotted.partition(".")
    if kind == "persona":
        value: Any = key.get("personas", {})
    else:
        by_id = {s["id"]: s for s in key.get("scenarios", [])}
        value = by_id
    for part in rest.split("."):
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict) or part not in value:
            raise EvalCaseError(f"answer key has no {dotted}")
        value = value[part]
    if isinstance(value, list):
        value = value[0] if value else ""
    return value


def fill(text: str, answer_key: dict[str, Any], store: Store | None = None) -> str:
    """Replace {persona...}, {scenario...} and {sql:SELECT ...} placeholders.

    A SQL placeholder takes the first column of the first row of its query over the store.
    """
    text = _PLACEHOLDER.sub(lambda m: str(_lookup(answer_key, m.group(1))), text)
    if store is not None:
        text = _SQL_PLACEHOLDER.sub(lambda m: _sql_value(store, m.group(1)), text)
    return text


def _sql_value(store: Store, sql: str) -> str:
    value = author_query_value(store, sql)
    if value is None:
        raise EvalCaseError(f"placeholder query returned nothing: {sql}")
    return str(value)


def resolve_case(
    case: EvalCase, answer_key: dict[str, Any], store: Store | None = None
) -> EvalCase:
    """The case with every placeholder filled."""
    data = case.model_dump()
    data["prompt"] = fill(data["prompt"], answer_key, store)
    for name in ("after", "cite", "contains", "contains_sql", "not_contains"):
        data[name] = [fill(item, answer_key, store) for item in data[name]]
    return EvalCase.model_validate(data)
