"""A composed report as a file: markdown, HTML (charts inline as SVG) or PDF (WeasyPrint).

The body is the `report` skill's cited markdown; the evidence appendix lists every cited
record with its fields, so each number can be checked against the record it came from.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from idpilot.copilot.answer import Answer, published_fields
from idpilot.copilot.composer import escape_markdown
from idpilot.copilot.inert import inert_json
from idpilot.reports.charts import draw
from idpilot.reports.markdown_html import inline, to_html
from idpilot.reports.model import FIGURE_KIND, ChartSpec, ReportFormat

_STYLE = """
body { font-family: sans-serif; font-size: 10pt; margin: 1.5em; color: #222; }
h2 { border-bottom: 2px solid #2e86c1; } h3 { color: #2e86c1; margin-top: 1.2em; }
img.chart { width: 100%; max-width: 42em; display: block; margin: 0.5em 0; }
pre { background: #f4f4f4; padding: 0.5em; white-space: pre-wrap; font-size: 8pt; }
.appendix { list-style: none; padding-left: 0; }
.appendix li { font-size: 8pt; margin-bottom: 0.3em; word-break: break-all; }
a.cite { text-decoration: none; color: #2e86c1; font-size: 80%; }
@page { size: A4; margin: 1.5cm; }
"""
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def appendix_lines(answer: Answer) -> list[str]:
    """The evidence appendix: each cited record's number, kind, id, label and fields (inert
    JSON), then the records the cited figures were computed from, numbered on."""
    records = {(r.kind, r.id): r for r in answer.evidence}
    listed = [(c.kind, c.id) for c in answer.citations]
    seen = set(listed)
    index = 0
    while index < len(listed):
        record = records[listed[index]]
        index += 1
        if record.kind != FIGURE_KIND:
            continue
        for reference in record.fields.get("from", []):
            key = tuple(reference.split(":", 1))
            if key in records and key not in seen:
                seen.add(key)
                listed.append(key)
    lines = []
    for n, key in enumerate(listed, start=1):
        record = records[key]
        fields = inert_json(json.dumps(published_fields(record), default=str, sort_keys=True))
        lines.append(
            f"[{n}] {escape_markdown(record.kind)} {escape_markdown(record.id)}: "
            f"{escape_markdown(record.label)}; fields: `{fields.replace('`', chr(39))}`"
        )
    return lines


def charts_of(answer: Answer) -> list[ChartSpec]:
    """The charts of a report Answer: each is a cited figure record's `chart` field."""
    cited = {(c.kind, c.id) for c in answer.citations}
    return [
        ChartSpec.model_validate({**record.fields["chart"], "ref": f"{record.kind}:{record.id}"})
        for record in answer.evidence
        if record.kind == FIGURE_KIND
        and "chart" in record.fields
        and (record.kind, record.id) in cited
    ]


def render(answer: Answer, fmt: ReportFormat, out: Path) -> list[Path]:
    """Write the report to `out` in `fmt`; the files written (charts beside a markdown file)."""
    charts = charts_of(answer)
    if fmt is ReportFormat.md:
        return _markdown(answer, charts, out)
    document = _html(answer, charts, "svg" if fmt is ReportFormat.html else "png")
    if fmt is ReportFormat.html:
        out.write_text(document, encoding="utf-8")
        return [out]
    from weasyprint import HTML

    HTML(string=document).write_pdf(out)
    return [out]


def _markdown(answer: Answer, charts: list[ChartSpec], out: Path) -> list[Path]:
    written = [out]
    parts = [answer.answer.rstrip(), ""]
    for chart in charts:
        image = out.with_name(f"{out.stem}-{chart.id}.svg")
        image.write_bytes(draw(chart, "svg"))
        written.append(image)
        parts.append(f"![{escape_markdown(chart.title)}]({image.name})")
        parts.append("")
    parts += ["### Evidence appendix", ""]
    parts += [f"- {line}" for line in appendix_lines(answer)]
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return written


def _html(answer: Answer, charts: list[ChartSpec], image_format: str) -> str:
    mime = "image/svg+xml" if image_format == "svg" else "image/png"
    images = "".join(
        f'<img class="chart" alt="{html.escape(chart.title)}" '
        f'src="data:{mime};base64,{base64.b64encode(draw(chart, image_format)).decode()}">'
        for chart in charts
    )
    body = to_html(answer.answer)
    body = body.replace("<h3>Charts</h3>", f"<h3>Charts</h3>{images}", 1)
    appendix = "".join(
        f'<li id="ev-{n}">{inline(line)}</li>'
        for n, line in enumerate(appendix_lines(answer), start=1)
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f"<title>idpilot report</title><style>{_STYLE}</style></head><body>{body}"
        f'<h3>Evidence appendix</h3><ul class="appendix">{appendix}</ul></body></html>'
    )
