"""Identity-attack tooling and techniques a script can show, with MITRE ATT&CK ids.

The curated list lives in `data/identity_attack_techniques.yaml` (versioned, with sources):
each entry's case-insensitive patterns are matched line by line against a decoded script.
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError, field_validator

from idpilot.knowledge.errors import KnowledgeFileError

DATA_FILE = "identity_attack_techniques.yaml"


class AttackTechnique(BaseModel):
    """One tool or technique: how to recognise it, its ATT&CK ids, what to do."""

    id: str
    name: str
    kind: Literal["tool", "technique"]
    severity: Literal["high", "medium", "low"]
    attack_step: bool = False
    """Fetching or sending data: with another identity change, the script is malicious."""
    attack: list[str]
    patterns: list[str]
    what_to_do: str
    sources: list[str]

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns

    @cached_property
    def compiled(self) -> list[re.Pattern[str]]:
        """The patterns, compiled case-insensitive."""
        return [re.compile(pattern, re.IGNORECASE) for pattern in self.patterns]


class AttackCatalog(BaseModel):
    """The versioned list and the names of the ATT&CK techniques it cites."""

    schema_version: int
    version: int
    attack_names: dict[str, str]
    techniques: list[AttackTechnique]

    def attack_name(self, technique_id: str) -> str:
        """The ATT&CK name of a technique id (the id itself when unknown)."""
        return self.attack_names.get(technique_id, technique_id)


def load_attack_catalog(path: Path) -> AttackCatalog:
    """Read and validate the list; a malformed file raises KnowledgeFileError naming it."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise KnowledgeFileError(path, None, f"cannot read the list: {error}") from None
    try:
        catalog = AttackCatalog.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise KnowledgeFileError(path, None, first["msg"], field) from None
    unnamed = {t for entry in catalog.techniques for t in entry.attack} - set(catalog.attack_names)
    if unnamed:
        raise KnowledgeFileError(path, None, f"ATT&CK ids without a name: {sorted(unnamed)}")
    return catalog


@cache
def attack_catalog() -> AttackCatalog:
    """The list shipped with idpilot, loaded once per process."""
    path = Path(str(resources.files("idpilot.knowledge").joinpath("data", DATA_FILE)))
    return load_attack_catalog(path)
