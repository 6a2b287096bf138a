"""Errors meant for the person at the keyboard: each says what is wrong and where."""

from __future__ import annotations

from pathlib import Path


class IdpilotError(Exception):
    """Base of every error idpilot reports to a user (not for programmer errors)."""


class SnapshotError(IdpilotError):
    """A snapshot file cannot be ingested; names the file, line, column and field."""

    def __init__(
        self,
        message: str,
        *,
        path: Path,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.reason = message
        where = str(path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        detail = f" (field '{field}')" if field else ""
        super().__init__(f"{where}: {message}{detail}")


class StoreError(IdpilotError):
    """The store cannot be opened or is not an idpilot store."""


class PromptError(IdpilotError):
    """A prompt was refused (too long, out of scope, over quota)."""


class SettingError(IdpilotError):
    """A setting has a value of the wrong kind, or names a file that is not there."""


class StoreBusyError(StoreError):
    """Another program holds the store longer than idpilot is willing to wait."""


class EmptyStoreError(StoreError):
    """The store holds no records yet; it must be filled before it can answer."""
