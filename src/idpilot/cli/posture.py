"""`idpilot posture`: every CISA SCuBA, EIDSCA and CIS check the snapshot decides, for people
and for CI (`--json`, `--fail-on`)."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from typing import Annotated

import orjson
import typer
from rich.table import Table
from rich.text import Text

from idpilot.cli.app import StoreOption, app, console, open_store, user_errors
from idpilot.copilot.inert import inert_json, inert_text

EXIT_FAILING_CHECKS = 1
"""`--fail-on` found a failing check at or above the severity (what CI gates on)."""


class FailOn(StrEnum):
    """The lowest severity of a failing check that makes the command exit non-zero."""

    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"


@app.command("posture")
@user_errors
def posture_command(
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"checks": [...]} for CI and other tools.')
    ] = False,
    as_html: Annotated[bool, typer.Option("--html", help="Print one HTML page.")] = False,
    as_md: Annotated[bool, typer.Option("--md", help="Print a Markdown report.")] = False,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a check of this severity or worse fails (critical < high < "
            "medium < low).",
            show_default=False,
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Judge the tenant against CISA SCuBA's Entra ID baseline, every EIDSCA check and the CIS
    controls the data decides: verdict, controls, what is missing, affected objects, fix."""
    from idpilot.posture.baseline import baseline_json, baseline_results, failing_at_or_above
    from idpilot.posture.data import load_posture_data
    from idpilot.security.severity import Severity

    if sum((as_json, as_html, as_md)) > 1:
        raise typer.BadParameter("choose one of --json, --html and --md")
    with open_store(store, require_records=False) as opened:
        results = baseline_results(load_posture_data(opened))
    if as_json:
        payload = orjson.dumps(baseline_json(results), option=orjson.OPT_INDENT_2).decode()
        typer.echo(inert_json(payload))
    elif as_html or as_md:
        from idpilot.cli._posture_render import render_html, render_markdown

        typer.echo(render_html(results) if as_html else render_markdown(results))
    else:
        _print_summary(results)
    if fail_on is not None and failing_at_or_above(results, Severity(fail_on.value)):
        raise typer.Exit(EXIT_FAILING_CHECKS)


def _print_summary(results: list) -> None:
    """Counts by verdict and the failing checks, worst first (tenant text printed inert)."""
    from idpilot.posture.base import CheckStatus
    from idpilot.posture.baseline import VERDICTS

    counted = Counter(VERDICTS[r.status] for r in results)
    console.print(
        Text(", ".join(f"{n} {verdict}" for verdict, n in sorted(counted.items()))),
        highlight=False,
    )
    failed = sorted(
        (r for r in results if r.status is CheckStatus.failed), key=lambda r: r.severity.rank
    )
    table = Table("severity", "check", "title", "controls", "affected")
    for result in failed:
        table.add_row(
            result.severity.value,
            Text(result.id),
            Text(inert_text(result.title)),
            Text(", ".join(result.controls)),
            Text(str(result.affected_count)),
        )
    console.print(table)
