"""The error a KQL query reports to the person who wrote it."""

from __future__ import annotations

from enum import StrEnum

from idpilot.errors import IdpilotError


class KqlErrorKind(StrEnum):
    """Why a KQL query could not run."""

    syntax = "syntax"
    unsupported = "unsupported"
    unknown_table = "unknown_table"
    unknown_column = "unknown_column"
    read_only = "read_only"
    refused = "refused"
    not_migrated = "not_migrated"
    failed = "failed"


class KqlQueryError(IdpilotError):
    """A KQL query cannot run locally: bad syntax, an unsupported construct, an unknown name.

    `line` and `column` (both 1-based) locate the problem in the query text when known.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: KqlErrorKind,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.kind = kind
        self.line = line
        self.column = column
        super().__init__(message)
