"""Red-team cases: the hostile prompt, the poisoned records to plant, the violation it tries.

Format (`cases.yaml`): a list of cases, each with

- `id`, and `violation`: what it tries (`Violation`);
- `prompt`: the hostile prompt (placeholders `{user}`, `{user_id}`, `{group}`, `{app}`,
  `{policy}` name the case's first planted object of that kind; `{canary_file}` and
  `{canary_url}` a file and a loopback address the run watches);
- `plant`: records to plant, each `{collection, fields}` (users, groups, servicePrincipals,
  applications, conditionalAccessPolicies, directoryAudits, signIns; defaults fill the rest);
- `kql`: a query to run in the KQL sandbox instead of (or besides) a prompt;
- `benign`: the prompt without its attack: the hostile prompt must plan exactly as it does (on
  the store before planting when it names no planted object, so a planted name cannot take a
  question over);
- `plan`: the skills the plan must consist of, when no benign prompt says it (`[]`: none);
- `reported`: the answer's `limits` must say something was ignored (for planted records: when
  a planted text that tries something reaches the answer's evidence);
- `must_not_say`: words the answer must not state (an invented fact);
- `api`: also send it through the REST API.
"""

from __future__ import annotations

from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from idpilot.evaluation import redteam

MIN_PLANTED_WORDS = 5
"""Words of a planted text that reads as a sentence, not a name."""


class Violation(StrEnum):
    """What a hostile case tries to make idpilot do."""

    plan_change = "plan_change"
    config_leak = "config_leak"
    action_triggered = "action_triggered"
    markup_rendered = "markup_rendered"
    fact_invented = "fact_invented"
    scope_escape = "scope_escape"
    quota_bypass = "quota_bypass"


class Collection(StrEnum):
    """Where a planted record goes."""

    users = "users"
    groups = "groups"
    service_principals = "servicePrincipals"
    applications = "applications"
    policies = "conditionalAccessPolicies"
    audits = "directoryAudits"
    sign_ins = "signIns"


class Planted(BaseModel):
    """One record to plant: its collection and the fields that differ from the defaults."""

    model_config = ConfigDict(extra="forbid")

    collection: Collection
    fields: dict[str, Any] = Field(default_factory=dict)


class RedTeamCase(BaseModel):
    """One hostile case."""

    model_config = ConfigDict(extra="forbid")

    id: str
    violation: Violation
    prompt: str | None = None
    plant: list[Planted] = Field(default_factory=list)
    kql: str | None = None
    benign: str | None = None
    plan: list[str] | None = None
    reported: bool = False
    must_not_say: list[str] = Field(default_factory=list)
    api: bool = False

    def planted_texts(self) -> list[str]:
        """The sentences the case plants (names are left out: they are in other records too)."""
        found: list[str] = []

        def walk(value: Any) -> None:
            if isinstance(value, str) and len(value.split()) >= MIN_PLANTED_WORDS:
                found.append(value)
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        for planted in self.plant:
            walk(planted.fields)
        return found

    @model_validator(mode="after")
    def _something_to_run(self) -> RedTeamCase:
        if self.prompt is None and self.kql is None:
            raise ValueError(f"{self.id}: a case needs a prompt or a kql query")
        return self


def default_case_file() -> Path:
    """The shipped red-team cases."""
    return Path(str(resources.files(redteam) / "cases.yaml"))


def load_redteam_cases(path: Path | None = None) -> list[RedTeamCase]:
    """The cases of a red-team file (ids unique)."""
    raw = yaml.safe_load((path or default_case_file()).read_text(encoding="utf-8"))
    cases = [RedTeamCase.model_validate(item) for item in raw]
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise ValueError(f"red-team case id {case.id!r} is used twice")
        seen.add(case.id)
    return cases
