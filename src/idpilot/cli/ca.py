"""`idpilot ca replay`: re-evaluate recorded sign-ins against the store's CA policies."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

import orjson
import typer
from rich.table import Table

from idpilot.cli.app import StoreOption, app, console, open_store, user_errors
from idpilot.skills.ca.replay import ReplayReport, replay

ca_app = typer.Typer(help="Conditional Access: replay recorded sign-ins against the policies.")
app.add_typer(ca_app, name="ca")

SHOWN_DIFFERENCES = 50
_RELATIVE = re.compile(r"^(\d+)\s*([dhw])$")
_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "w": timedelta(weeks=1)}


def parse_since(value: str | None, anchor: datetime) -> datetime | None:
    """An ISO date/time, or `7d` / `24h` / `2w` before the snapshot time."""
    if not value:
        return None
    text = value.strip().lower()
    if match := _RELATIVE.match(text):
        return anchor - int(match.group(1)) * _UNITS[match.group(2)]
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise typer.BadParameter(
            f"{value!r} is not a time: use an ISO date (2024-05-01), a date-time, or 7d / 24h"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@ca_app.command("replay")
@user_errors
def replay_command(
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only sign-ins at or after: ISO date/time, or 7d / 24h."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """Re-evaluate every sign-in that recorded CA results; report agreement per policy."""
    with open_store(store) as opened:
        report = replay(opened, since=parse_since(since, opened.captured_at()))
    if as_json:
        payload = report.model_dump(mode="json")
        payload["agreement"] = report.agreement
        typer.echo(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode())
        return
    print_report(report)


def print_report(report: ReplayReport) -> None:
    """The replay as a summary line, a per-policy table and the disagreements."""
    share = "n/a" if report.agreement is None else f"{report.agreement:.2%}"
    console.print(
        f"Replayed {report.sign_ins} sign-ins ({report.classes} distinct contexts) in "
        f"{report.elapsed_seconds:.2f} s: {report.agreed} agree, {report.disagreed} disagree, "
        f"{report.undecidable} undecidable, {report.not_evaluated} not evaluated (primary "
        f"authentication failed before Conditional Access); agreement {share}",
        highlight=False,
    )
    table = Table("policy", "agree/decided", "disagree", "undecidable", "not recorded")
    for tally in report.policies:
        table.add_row(
            tally.display_name or tally.policy_id,
            f"{tally.agree}/{tally.decided}",
            str(tally.disagree),
            str(tally.undecidable),
            str(tally.not_recorded + tally.unknown_policy),
        )
    console.print(table)
    for title, items in (
        ("Disagreements", report.disagreements),
        ("Undecidable", report.undecided),
    ):
        if not items:
            continue
        console.print(f"\n[bold]{title}[/] ({len(items)} contexts)")
        for item in items[:SHOWN_DIFFERENCES]:
            console.print(
                f"- {item.display_name} ({item.policy_id}): recorded {item.recorded}, "
                f"engine {item.computed}; {item.sign_in_count} sign-in(s), e.g. "
                f"{', '.join(item.sign_in_ids[:3])}",
                highlight=False,
                markup=False,
            )
            for check in item.differing:
                console.print(
                    f"    {check.condition}: {check.text()}", highlight=False, markup=False
                )
            if item.missing_facts:
                console.print(
                    f"    missing facts: {', '.join(item.missing_facts)}",
                    highlight=False,
                    markup=False,
                )
        if len(items) > SHOWN_DIFFERENCES:
            console.print(f"  ... and {len(items) - SHOWN_DIFFERENCES} more (use --json)")
