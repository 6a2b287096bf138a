"""What every report kind's builder returns, and the helpers they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.reports.figures import FigureBook
from idpilot.reports.model import ChartSpec, Figure, ObjectRef, Query, ReportItem
from idpilot.skills.base import SkillResult
from idpilot.store import Store

MAX_OBJECTS_PER_ITEM = 5
"""Objects an issue names one by one; the figure record counts and lists them all."""


@dataclass
class ReportInputs:
    """What a report is asked for: the store, a window, a user (resolved id and label)."""

    store: Store
    window: TimeWindow
    user_id: str | None = None
    user_label: str | None = None
    detections: list[str] = field(default_factory=list)
    """An incident report about these detections only (`DetectionType` values)."""


@dataclass
class Content:
    """One report kind's part: figures, issues, measures, charts, queries and the evidence."""

    figures: FigureBook = field(default_factory=FigureBook)
    headline: list[Figure] = field(default_factory=list)
    environment: list[Figure] = field(default_factory=list)
    issues: list[ReportItem] = field(default_factory=list)
    measures: list[ReportItem] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)
    evidence: list[Record] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def take(self, result: SkillResult) -> SkillResult:
        """Keep a skill result's evidence (each record once) and name the skill as a source."""
        seen = {(r.kind, r.id) for r in self.evidence}
        self.evidence.extend(r for r in result.evidence if (r.kind, r.id) not in seen)
        if result.skill not in self.sources:
            self.sources.append(result.skill)
        return result

    def has(self, kind: str, record_id: str) -> bool:
        """True when the evidence holds this record."""
        return any(r.kind == kind and r.id == record_id for r in self.evidence)


def objects_in(content: Content, items: list[dict]) -> list[ObjectRef]:
    """The items (dicts with kind or a default, id, label) that are in the evidence, as refs."""
    refs = []
    for item in items:
        kind = item.get("kind", "user")
        if content.has(kind, item["id"]):
            refs.append(ObjectRef(kind=kind, id=item["id"], label=item.get("label", "")))
    return refs


def day_text(moment: datetime) -> str:
    """A moment as the report prints it (UTC, to the minute)."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def kql_string(value: str) -> str:
    """A value as a KQL string literal (quotes and backslashes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def kql_between(window: TimeWindow) -> str:
    """The KQL condition on `TimeGenerated` for the window."""
    start = window.start.strftime("%Y-%m-%dT%H:%M:%SZ")
    end = window.end.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"TimeGenerated between (datetime({start}) .. datetime({end}))"
