"""`idpilot report KIND --audience A --format F --out FILE`: a cited report for a stakeholder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from idpilot.cli.app import StoreOption, app, err_console, open_store, user_errors
from idpilot.copilot.inert import inert_text
from idpilot.reports.model import Audience, ReportFormat, ReportKind


@app.command()
@user_errors
def report(
    kind: Annotated[ReportKind, typer.Argument(help="posture, incident, signins, risk or ca.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    audience: Annotated[
        Audience, typer.Option("--audience", help="ciso, auditor, helpdesk or engineer.")
    ] = Audience.ciso,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="md, html or pdf (PDF through WeasyPrint).")
    ] = ReportFormat.html,
    user: Annotated[
        str | None, typer.Option("--user", help="Only this user's findings and sign-ins.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="The window: 'last 7 days', 'yesterday' or a date."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write a report in the audience's tone, with charts and an evidence appendix."""
    from idpilot.copilot.time_phrases import parse_time_window
    from idpilot.reports import write_report

    with open_store(store) as opened:
        params: dict = {"report_kind": kind.value, "audience": audience.value, "user": user}
        if since:
            anchor = opened.captured_at()
            window = parse_time_window(since, anchor) or parse_time_window(f"since {since}", anchor)
            if window is None:
                raise typer.BadParameter(f"cannot read {inert_text(since)!r} as a time window")
            params["window"] = window.model_dump(mode="json")
        answer = write_report(opened, params, fmt, out)
    if answer.status != "ok":
        err_console.print(inert_text(answer.answer), highlight=False, markup=False)
        raise typer.Exit(2)
    err_console.print(f"wrote {inert_text(str(out))}", highlight=False, markup=False)
