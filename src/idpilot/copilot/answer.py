"""The Answer object of DESIGN.md: what `idpilot ask --json` prints and the API returns.

Text fields meant for a reader (`answer`, citation labels, `next_steps`, `followups`) are
markdown with tenant text escaped and made inert; `evidence` carries the records' data exactly.
"""

from __future__ import annotations

import re
import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_serializer, field_validator

from idpilot.copilot.inert import inert_json
from idpilot.copilot.trace import SkillCall, Trace
from idpilot.model.records import Record

# A citation marker the composer wrote: "[3]" not preceded by a markdown escape (tenant text
# that only looks like one is escaped, "\[3\]").
_MARKER = re.compile(r"(?<!\\)\[(\d+)\]")


def citation_markers(markdown: str) -> list[int]:
    """The citation numbers an answer's markdown uses, in order (escaped look-alikes excluded)."""
    return [int(number) for number in _MARKER.findall(markdown)]


class Citation(BaseModel):
    """A numbered reference from the answer text to one evidence record."""

    n: int
    kind: str
    id: str
    label: str
    url: str | None = None
    """The published page a `doc` citation points at (None for tenant records)."""


class AnswerStatus(StrEnum):
    """How the copilot handled the prompt (an addition to DESIGN.md's Answer, for clients)."""

    ok = "ok"
    ambiguous = "ambiguous"  # a name matches several objects: the answer asks which
    not_found = "notFound"  # a named object is not in the tenant
    missing = "missing"  # the question lacks something the skill needs (a user, a group)
    out_of_scope = "outOfScope"  # not a question about the tenant
    empty = "empty"  # the object exists but there is nothing to report


class Answer(BaseModel):
    """A grounded answer: markdown with [n] markers, citations, evidence, next steps."""

    prompt: str
    status: AnswerStatus = AnswerStatus.ok
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    evidence: list[Record] = Field(default_factory=list)
    """The records the facts came from, published as `{kind, id, fields}` with the label
    inside `fields` (see `published_fields`)."""
    skills: list[SkillCall] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    followups: list[str] = Field(default_factory=list)
    kql: str | None = None
    limits: str | None = None
    session_id: str
    elapsed_ms: float = 0.0
    trace: Trace = Field(default_factory=Trace)
    """How the answer was made: plan, steps, model calls and tokens, grounding verdict."""
    answer_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    """This answer's own id (the audit trail and, later, feedback refer to it)."""

    @field_serializer("evidence")
    def _publish_evidence(self, evidence: list[Record]) -> list[dict[str, Any]]:
        return [published(record) for record in evidence]

    @field_validator("evidence", mode="before")
    @classmethod
    def _read_published_evidence(cls, value: Any) -> Any:
        """Published evidence (the label inside `fields`) read back as records."""
        if not isinstance(value, list):
            return value
        return [_published_record(item) if isinstance(item, dict) else item for item in value]

    def to_json(self, indent: int | None = 2) -> str:
        """The Answer as JSON, with control, bidi and invisible characters \\u-escaped."""
        return inert_json(self.model_dump_json(indent=indent))


def published(record: Record) -> dict[str, Any]:
    """An evidence record as an Answer publishes it: `{kind, id, fields}`."""
    return {"kind": record.kind, "id": record.id, "fields": published_fields(record)}


def published_fields(record: Record) -> dict[str, Any]:
    """A record's fields as an Answer publishes them: its label first, then its own fields."""
    return {"label": record.label, **record.fields}


def as_published(record: Record) -> Record:
    """The record as an Answer publishes it and reads it back: the label its fields give it
    (a citation label may differ), and no detail line (the published shape has none)."""
    if "label" not in record.fields and not record.detail:
        return record
    fields = published_fields(record)
    return Record(kind=record.kind, id=record.id, label=str(fields.pop("label")), fields=fields)


def _published_record(item: dict[str, Any]) -> dict[str, Any]:
    """The record a published evidence item (`{kind, id, fields}`) stands for."""
    if "label" in item:
        return item
    fields = dict(item.get("fields") or {})
    label = fields.pop("label", "")
    return {**item, "label": label, "fields": fields}
