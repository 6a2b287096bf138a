"""The error a remote KQL query reports: what went wrong, and what to do about it."""

from __future__ import annotations

from enum import StrEnum

from idpilot.errors import IdpilotError


class RemoteErrorKind(StrEnum):
    """Why a remote query gave no result."""

    not_configured = "not_configured"
    unauthorized = "unauthorized"
    forbidden = "forbidden"
    bad_query = "bad_query"
    not_found = "not_found"
    throttled = "throttled"
    unreachable = "unreachable"
    timeout = "timeout"
    failed = "failed"


class RemoteQueryError(IdpilotError):
    """A remote KQL query failed; the message names the service, what it said, and the fix."""

    def __init__(self, message: str, *, kind: RemoteErrorKind, status: int | None = None) -> None:
        self.kind = kind
        self.status = status
        super().__init__(message)
