"""Every report kind renders for every audience, as markdown and as HTML, grounded and cited."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from idpilot.reports import Audience, ReportFormat, ReportKind
from idpilot.reports.document import charts_of, render
from idpilot.reports.markdown_html import inline, to_html

TONE = {
    Audience.ciso: "Executive summary",
    Audience.auditor: "control",
    Audience.helpdesk: "steps",
    Audience.engineer: "by id",
}


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("kind", list(ReportKind))
def test_renders_as_markdown_and_html(
    reports: dict, kind: ReportKind, audience: Audience, tmp_path: Path
) -> None:
    answer = reports[(kind, audience)]
    assert answer.status == "ok"
    assert answer.trace.grounding.verdict == "grounded"
    assert TONE[audience] in answer.answer
    charts = charts_of(answer)
    assert charts, "every report kind draws a chart"
    written = render(answer, ReportFormat.md, tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text()
    assert "### Evidence appendix" in text
    assert len(written) == 1 + len(charts)
    assert all(p.read_bytes().startswith(b"<?xml") for p in written[1:])
    render(answer, ReportFormat.html, tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text()
    assert page.count('<img class="chart"') == len(charts)
    assert "<script" not in page
    for citation in answer.citations:
        assert f'id="ev-{citation.n}"' in page


def test_engineer_reports_carry_queries(reports: dict) -> None:
    for kind in (ReportKind.incident, ReportKind.signins, ReportKind.risk):
        assert "```kql" in reports[(kind, Audience.engineer)].answer
    assert "```kql" not in reports[(ReportKind.incident, Audience.ciso)].answer


def test_helpdesk_gets_numbered_steps(reports: dict) -> None:
    text = reports[(ReportKind.posture, Audience.helpdesk)].answer
    assert re.search(r"^   1\. ", text, re.MULTILINE)


def test_auditor_sees_control_ids(reports: dict) -> None:
    assert re.search(r"MS\.AAD\.\d", reports[(ReportKind.posture, Audience.auditor)].answer)


def test_tenant_text_is_escaped_in_html() -> None:
    hostile = r"\<script\>alert(1)\</script\> **bold** [3] \[4\]"
    html = inline(hostile)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a class="cite" href="#ev-3">[3]</a>' in html
    assert "#ev-4" not in html
    assert "<strong>bold</strong>" in html
    assert "<pre><code>a &lt;b&gt;</code></pre>" in to_html("```kql\na <b>\n```")


def test_an_unknown_user_is_said(demo_tenant: Any) -> None:
    from idpilot.reports import report_answer

    answer = report_answer(
        demo_tenant.store, {"report_kind": "incident", "user": "nobody-such@example.org"}
    )
    assert answer.status == "notFound"
