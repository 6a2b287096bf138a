"""Sign-in error codes that fail primary authentication, so Conditional Access never runs.

Microsoft documents that Conditional Access policies are enforced after first-factor
authentication is completed. A sign-in that fails before that (wrong password, locked or
disabled account, expired password...) records every enabled policy as `notApplied`, every
report-only one as `reportOnlyNotApplied`, every disabled one as `notEnabled`, and
`conditionalAccessStatus` `notApplied`. The list of codes and its sources live in
`data/primary_authentication_failures.yaml` (versioned).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from idpilot.knowledge._yaml_lines import SAFE_LOADER
from idpilot.knowledge.errors import KnowledgeFileError

DATA_FILE = "primary_authentication_failures.yaml"


class PrimaryAuthenticationFailure(BaseModel):
    """One error code that fails first-factor authentication."""

    code: int
    name: str  # the published AADSTS name, empty when Microsoft's table gives none
    why: str  # idpilot's short wording of what failed


class PrimaryAuthenticationFailures(BaseModel):
    """The versioned list of codes that stop a sign-in before Conditional Access runs."""

    schema_version: int
    version: int
    codes: list[PrimaryAuthenticationFailure]

    @property
    def code_set(self) -> frozenset[int]:
        """The codes, as a set."""
        return frozenset(entry.code for entry in self.codes)

    def get(self, code: int | None) -> PrimaryAuthenticationFailure | None:
        """The entry of `code`, or None when that code does not fail primary authentication."""
        for entry in self.codes:
            if entry.code == code:
                return entry
        return None


def load_primary_authentication_failures(path: Path) -> PrimaryAuthenticationFailures:
    """Read and validate the list; a malformed file raises KnowledgeFileError naming it."""
    try:
        raw: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise KnowledgeFileError(path, None, f"cannot read the list: {error}") from None
    try:
        return PrimaryAuthenticationFailures.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise KnowledgeFileError(path, None, first["msg"], field) from None


@cache
def primary_authentication_failures() -> PrimaryAuthenticationFailures:
    """The list shipped with idpilot, loaded once per process."""
    path = Path(str(resources.files("idpilot.knowledge").joinpath("data", DATA_FILE)))
    return load_primary_authentication_failures(path)


@cache
def primary_authentication_failure_codes() -> frozenset[int]:
    """Codes that fail primary authentication (Conditional Access is not evaluated)."""
    return primary_authentication_failures().code_set


PASSED_PASSWORD_CATEGORIES = ("mfa", "conditionalAccess", "interrupt")
"""Curated error categories whose codes come after the first factor: an MFA challenge or
failure, a Conditional Access block or device requirement, a post-password interrupt."""


@cache
def passed_primary_authentication_codes() -> frozenset[int]:
    """Codes a sign-in ends with only once the password (first factor) was accepted: 0 and
    the curated MFA, Conditional Access and interrupt codes (e.g. 50074, 50076, 53003, 50158)."""
    from idpilot.knowledge.sign_in_errors import SUCCESS_CODE, default_catalog

    failing = primary_authentication_failure_codes()
    codes = {
        entry.code
        for entry in default_catalog().curated
        if entry.curated is not None
        and entry.curated.category.value in PASSED_PASSWORD_CATEGORIES
        and entry.code not in failing
    }
    return frozenset(codes | {SUCCESS_CODE})


def passed_primary_authentication(code: object) -> bool:
    """True when a sign-in ending with `code` got past the password (first factor)."""
    if not isinstance(code, int) or isinstance(code, bool):
        return False
    return code in passed_primary_authentication_codes()


def fails_primary_authentication(code: object) -> bool:
    """True when a sign-in with error `code` failed before Conditional Access ran."""
    if not isinstance(code, int) or isinstance(code, bool):
        return False
    return code in primary_authentication_failure_codes()
