"""The baseline posture as Markdown or as one self-contained HTML page.

Tenant text (names, values) is made inert and escaped for each format: a display name cannot
add markup, links or terminal sequences.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from typing import Any

from idpilot.copilot.composer import escape_markdown
from idpilot.copilot.inert import inert_text
from idpilot.posture.base import CheckResult
from idpilot.posture.baseline import VERDICTS

_VERDICT_ORDER = ("fail", "unknown", "pass", "notApplicable")
_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}"
    "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;"
    "vertical-align:top;text-align:left}.fail{color:#a40000}.pass{color:#1a6b1a}"
    ".unknown{color:#7a5c00}code{white-space:pre-wrap}"
)


def _counts(results: list[CheckResult]) -> str:
    counted = Counter(VERDICTS[r.status] for r in results)
    return ", ".join(f"{counted.get(v, 0)} {v}" for v in _VERDICT_ORDER)


def _details(result: CheckResult) -> list[str]:
    """What a reader needs beside the verdict, as plain (not yet escaped) lines."""
    lines = []
    if result.summary:
        lines.append(result.summary)
    if result.missing:
        lines.append("missing: " + ", ".join(result.missing))
    for item in result.affected:
        lines.append(f"{item.kind} {item.label}" + (f": {item.detail}" if item.detail else ""))
    if result.affected_count > len(result.affected):
        lines.append(f"... and {result.affected_count - len(result.affected)} more")
    return lines


def render_markdown(results: list[CheckResult]) -> str:
    """A Markdown report: counts, then one section per check (failed and undecided first)."""
    ordered = sorted(results, key=lambda r: _VERDICT_ORDER.index(VERDICTS[r.status]))
    out = ["# Posture against CISA SCuBA, EIDSCA and CIS", "", _counts(results), ""]
    for result in ordered:
        controls = ", ".join(result.controls) or "no baseline control"
        out.append(
            f"## {VERDICTS[result.status]}: {escape_markdown(result.id)} "
            f"{escape_markdown(result.title)}"
        )
        out.append("")
        out.append(f"- severity: {result.severity.value}; controls: {escape_markdown(controls)}")
        out += [f"- {escape_markdown(line)}" for line in _details(result)]
        if VERDICTS[result.status] == "fail":
            out.append(f"- fix: {escape_markdown(result.fix)}")
            if result.proposal is not None:
                out += ["", "```json", _proposal(result.proposal), "```"]
        out.append("")
    return "\n".join(out)


def _proposal(proposal: dict[str, Any]) -> str:
    return inert_text(json.dumps(proposal)).replace("`", "'")


def render_html(results: list[CheckResult]) -> str:
    """One HTML page with no script: counts and a table of every check."""
    ordered = sorted(results, key=lambda r: _VERDICT_ORDER.index(VERDICTS[r.status]))

    def text(value: str) -> str:
        return html.escape(inert_text(value))

    rows = []
    for result in ordered:
        verdict = VERDICTS[result.status]
        details = "<br>".join(text(line) for line in _details(result))
        fix = text(result.fix) if verdict == "fail" else ""
        if verdict == "fail" and result.proposal is not None:
            fix += f"<br><code>{text(json.dumps(result.proposal))}</code>"
        rows.append(
            f'<tr><td class="{verdict}">{verdict}</td><td>{text(result.id)}</td>'
            f"<td>{text(result.title)}</td><td>{text(', '.join(result.controls))}</td>"
            f"<td>{result.severity.value}</td><td>{details}</td><td>{fix}</td></tr>"
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>idpilot posture</title>"
        f"<style>{_STYLE}</style></head><body>"
        "<h1>Posture against CISA SCuBA, EIDSCA and CIS</h1>"
        f"<p>{text(_counts(results))}</p><table><thead><tr><th>verdict</th><th>check</th>"
        "<th>title</th><th>controls</th><th>severity</th><th>findings</th><th>fix</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></body></html>"
    )
