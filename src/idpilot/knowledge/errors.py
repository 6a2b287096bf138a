"""Errors raised while loading idpilot's knowledge files; each names the file and line."""

from __future__ import annotations

from pathlib import Path


class KnowledgeError(Exception):
    """Base class for problems with a knowledge file that a person can fix."""


class KnowledgeFileError(KnowledgeError):
    """A knowledge file is malformed: carries the file, the 1-based line and the field at fault."""

    def __init__(
        self, path: Path | str, line: int | None, message: str, field: str | None = None
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.field = field
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        what = f" (field '{field}')" if field else ""
        super().__init__(f"{where}: {message}{what}")
