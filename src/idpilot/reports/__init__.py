"""Reports for stakeholders: composed from skill results, cited, drawn and rendered."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from idpilot.reports.model import Audience, ReportFormat, ReportKind

if TYPE_CHECKING:
    from idpilot.copilot.answer import Answer
    from idpilot.store import Store

__all__ = ["Audience", "ReportFormat", "ReportKind", "report_answer", "write_report"]


def report_answer(store: Store, params: dict[str, Any], prompt: str | None = None) -> Answer:
    """The `report` skill's cited, grounded Answer (what every format is rendered from);
    `prompt` says what was asked (by default, the request in words, the user named)."""
    from idpilot.copilot.engine import Copilot

    if prompt is None:
        kind = params.get("report_kind", ReportKind.posture)
        audience = params.get("audience", Audience.ciso)
        prompt = f"{kind} report for the {audience}"
        if params.get("user"):
            prompt += f" about {params['user']}"
    return Copilot(store).answer_skill("report", params, prompt)


def write_report(store: Store, params: dict[str, Any], fmt: ReportFormat, out: Path) -> Answer:
    """Compose the report and write it to `out` (nothing is written when the report cannot
    be made: an unknown user); the Answer it was rendered from."""
    from idpilot.reports.document import render

    answer = report_answer(store, params)
    if answer.status == "ok":
        render(answer, fmt, out)
    return answer
