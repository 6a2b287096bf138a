"""What a stakeholder report is made of: its kind, audience, issues, measures, figures, charts.

A report's content is built from skill results (`reports.content`), composed by the `report`
skill's template into cited markdown, and rendered by `reports.document` as markdown, HTML or
PDF. Every number a report prints is a value of a cited record: a figure the report computed
is itself an evidence record (`FIGURE_KIND`) naming the records it was computed from.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from idpilot.skills.base import SkillFacts

FIGURE_KIND = "reportFigure"
"""The evidence kind of a number the report computed from other records (a count, a score)."""


class ReportKind(StrEnum):
    """What the report is about, and so which skills it is composed from."""

    posture = "posture"
    incident = "incident"
    signins = "signins"
    risk = "risk"
    ca = "ca"


class Audience(StrEnum):
    """Who reads it, and so its tone: business terms, controls, steps, or queries and ids."""

    ciso = "ciso"
    auditor = "auditor"
    helpdesk = "helpdesk"
    engineer = "engineer"


class ReportFormat(StrEnum):
    """The file a report is written as."""

    md = "md"
    html = "html"
    pdf = "pdf"


class ObjectRef(SkillFacts):
    """A tenant object an issue names: kind, id and how it is shown."""

    kind: str
    id: str
    label: str


class ReportItem(SkillFacts):
    """An open issue or a protective measure, with the records that show it."""

    title: str
    severity: str = ""
    impact: str = ""
    """What it means for the business, in plain words (the CISO's line)."""
    detail: str = ""
    controls: list[str] = Field(default_factory=list)
    """Baseline control ids it implements or breaks (the auditor's column)."""
    steps: list[str] = Field(default_factory=list)
    """What to do, in order (the helpdesk's list)."""
    objects: list[ObjectRef] = Field(default_factory=list)
    """The objects it names, cited (the engineer's ids)."""
    figure: str | None = None
    """The `kind:id` of the figure record holding `count`, when the item counts something."""
    count: int | None = None
    count_noun: str = ""
    refs: list[str] = Field(default_factory=list)
    """Evidence `kind:id`s that show the item (cited next to it)."""


class Figure(SkillFacts):
    """A number the report states, the figure record that holds it, and its words."""

    ref: str
    """`reportFigure:<id>`."""
    field: str
    value: float | int
    words: str


class FigureSource(SkillFacts):
    """A figure record and the records it was computed from (each cited in the report)."""

    ref: str
    label: str
    sources: list[str] = Field(default_factory=list)
    query: bool = False
    """Whether a KQL query that reproduces it is among its fields."""


class ChartSpec(SkillFacts):
    """A chart the renderer draws: its data is a cited figure record's."""

    id: str
    title: str
    style: str
    """`bar` (categories), `barh` (long category names) or `line` (a series over days)."""
    labels: list[str]
    series: dict[str, list[float]]
    ref: str
    """The figure record whose fields the chart's values are."""
    caption: str


class Query(SkillFacts):
    """A KQL query an engineer can run to reproduce a figure or a finding."""

    title: str
    kql: str
    ref: str | None = None


class ReportFacts(SkillFacts):
    """The `report` skill's facts: everything its template and the renderer read."""

    kind: ReportKind
    audience: Audience
    title: str
    tenant: str
    captured: str
    window_start: str | None = None
    window_end: str | None = None
    subject: ObjectRef | None = None
    environment: list[Figure] = Field(default_factory=list)
    headline: list[Figure] = Field(default_factory=list)
    issues: list[ReportItem] = Field(default_factory=list)
    measures: list[ReportItem] = Field(default_factory=list)
    charts: list[ChartSpec] = Field(default_factory=list)
    queries: list[Query] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    """The skills the report was composed from."""
    figures: list[FigureSource] = Field(default_factory=list)
    """Every figure record, with what it was computed from."""
