"""Read Microsoft's published AADSTS table (CSV) into typed rows."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from idpilot.knowledge.errors import KnowledgeFileError

# Sentence end: . ! or ? followed by space and a capital, quote or bracket; not after "e.g."/"i.e.".
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)[.!?](?=\s+[A-Z\"'(\[{])")
# A `CamelCaseName - ` label inside a description, e.g. "IdsLocked - The account is locked".
_NAME_LABEL = re.compile(r"(?<![\w-])([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9_]*)+)\s+-\s")

COLUMNS = ("code", "error", "name", "message_plain", "description_raw")


class PublishedRow(BaseModel):
    """One row of Microsoft's table, as published."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: int
    error: str
    name: str
    message_plain: str
    description_raw: str

    @property
    def first_sentence(self) -> str:
        """The published message cut at its first sentence end."""
        return first_sentence(self.message_plain)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every `Name - ` label in the description, the row's own name first."""
        found = [self.name] if self.name else []
        for label in _NAME_LABEL.findall(self.description_raw):
            if label not in found:
                found.append(label)
        return tuple(found)


def first_sentence(text: str) -> str:
    """The first sentence of `text`, whitespace-trimmed and otherwise unchanged."""
    text = text.strip()
    match = _SENTENCE_END.search(text)
    return text[: match.end()] if match else text


def read_published_rows(path: Path) -> list[PublishedRow]:
    """Read the CSV; a missing column, bad code or duplicate code names the file and line."""
    rows: list[PublishedRow] = []
    seen: dict[int, int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise KnowledgeFileError(path, 1, f"expected columns {', '.join(COLUMNS)}")
        for record in reader:
            line = reader.line_num
            try:
                row = PublishedRow.model_validate(record)
            except ValidationError as exc:
                first = exc.errors()[0]
                field = ".".join(str(part) for part in first["loc"])
                raise KnowledgeFileError(path, line, first["msg"], field) from exc
            if row.code in seen:
                raise KnowledgeFileError(
                    path, line, f"code {row.code} already on line {seen[row.code]}", "code"
                )
            seen[row.code] = line
            rows.append(row)
    return rows
