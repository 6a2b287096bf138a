"""Skill `report`: a stakeholder report (posture, incident, sign-ins, risk or Conditional
Access) in the audience's tone, composed from the other skills' results and cited."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel

from idpilot.model.windows import TimeWindow
from idpilot.reports.model import Audience, ReportFacts, ReportKind
from idpilot.security.detections.base import DetectionType
from idpilot.skills.base import SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import resolve_reference, user_record
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

NAME = "report"
DEFAULT_WINDOW = timedelta(days=7)
"""The window of an incident, sign-in or risk report when none is asked for: the last week."""


class ReportInput(BaseModel):
    """The report's subject and audience, and the window and user it narrows to."""

    report_kind: ReportKind = slot(
        Slot.stated, "What the report is about: posture, incident, signins, risk or ca.",
        default=ReportKind.posture,
    )  # fmt: skip
    audience: Audience = slot(
        Slot.stated, "Who reads it: ciso, auditor, helpdesk or engineer.", default=Audience.ciso
    )
    window: TimeWindow | None = slot(
        Slot.time_window, "The window (default: the last 7 days of the snapshot).", default=None
    )
    user: str | None = slot(Slot.user, "Only this user's findings and sign-ins.", default=None)
    detections: list[DetectionType] | None = slot(
        Slot.stated, "An incident report about these detections only.", default=None
    )


def report(store: Store, params: ReportInput) -> SkillResult:
    """Write a report for a stakeholder (CISO, auditor, helpdesk, engineer), every number cited."""
    from idpilot.reports.build import build_report
    from idpilot.reports.content._base import ReportInputs
    from idpilot.store.directory import user_by_id

    window = params.window
    if window is None:
        end = store.captured_at() + timedelta(seconds=1)
        window = TimeWindow(start=end - DEFAULT_WINDOW, end=end, phrase="last 7 days")
    inputs = ReportInputs(store=store, window=window, detections=params.detections or [])
    result = SkillResult(skill=NAME)
    if params.user:
        resolution = resolve_reference(store, params.user, "user")
        if resolution.match is None:
            return resolution.unresolved(NAME, "user")
        user = user_by_id(store, resolution.match.id) or {"id": resolution.match.id}
        inputs.user_id = resolution.match.id
        inputs.user_label = user.get("userPrincipalName") or resolution.match.label
        result.add_evidence(user_record(user))
    facts, evidence = build_report(inputs, params.report_kind, params.audience)
    for record in evidence:
        result.add_evidence(record)
    result.facts = facts
    result.followups = [
        f"Write this report for the {other.value}"
        for other in Audience
        if other is not params.audience
    ][:2]
    return result


def register(registry: SkillRegistry) -> None:
    """Register `report`."""
    registry.add(
        define_skill(
            report,
            name=NAME,
            facts=ReportFacts,
            keywords={
                "report": 2.5,
                "summary for": 2.0,
                "executive summary": 3.5,
                "ciso": 3.0,
                "auditor": 3.0,
                "for management": 3.0,
                "one-page": 3.0,
            },
        )
    )
