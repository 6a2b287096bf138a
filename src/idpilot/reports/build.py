"""A report's facts and evidence, built from the skills its kind is composed from."""

from __future__ import annotations

from collections.abc import Callable

from idpilot.model.records import Record
from idpilot.reports.content import activity, ca, posture, risk
from idpilot.reports.content._base import Content, ReportInputs, day_text
from idpilot.reports.model import Audience, FigureSource, ObjectRef, ReportFacts, ReportKind

_BUILDERS: dict[ReportKind, Callable[[ReportInputs, Content], None]] = {
    ReportKind.posture: posture.build,
    ReportKind.incident: activity.build_incident,
    ReportKind.signins: activity.build_signins,
    ReportKind.risk: risk.build,
    ReportKind.ca: ca.build,
}
_TITLES = {
    ReportKind.posture: "Identity security posture",
    ReportKind.incident: "Identity incident report",
    ReportKind.signins: "Sign-in activity report",
    ReportKind.risk: "Identity risk report",
    ReportKind.ca: "Conditional Access design review",
}
_WINDOWED = {ReportKind.incident, ReportKind.signins, ReportKind.risk}
_WITH_CA_MEASURES = {ReportKind.incident, ReportKind.signins, ReportKind.risk}


def build_report(
    inputs: ReportInputs, kind: ReportKind, audience: Audience
) -> tuple[ReportFacts, list[Record]]:
    """The report's facts and its evidence: the skills' records, then the figure records."""
    from idpilot.store.queries.report_series import organization

    content = Content()
    _BUILDERS[kind](inputs, content)
    if kind in _WITH_CA_MEASURES:
        ca.add_measures(inputs, content)
    for chart in content.charts:
        record = next(r for r in content.figures.records if f"{r.kind}:{r.id}" == chart.ref)
        record.fields["chart"] = chart.model_dump(exclude={"ref"})
    tenant = organization(inputs.store)
    subject = None
    if inputs.user_id and inputs.user_label:
        subject = ObjectRef(kind="user", id=inputs.user_id, label=inputs.user_label)
    facts = ReportFacts(
        kind=kind,
        audience=audience,
        title=_TITLES[kind],
        tenant=(tenant or {}).get("displayName") or "the tenant",
        captured=day_text(inputs.store.captured_at()),
        window_start=day_text(inputs.window.start) if kind in _WINDOWED else None,
        window_end=day_text(inputs.window.end) if kind in _WINDOWED else None,
        subject=subject,
        environment=content.environment,
        headline=content.headline,
        issues=content.issues,
        measures=content.measures,
        charts=content.charts,
        queries=content.queries,
        sources=content.sources,
        figures=[
            FigureSource(
                ref=f"{r.kind}:{r.id}",
                label=r.label,
                sources=r.fields["from"],
                query="kql" in r.fields,
            )
            for r in content.figures.records
        ],
    )
    return facts, [*content.evidence, *content.figures.records]
