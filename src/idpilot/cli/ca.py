"""`idpilot ca replay`: re-evaluate recorded sign-ins against the store's CA policies."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.table import Column, Table
from rich.text import Text

from idpilot.ca_analysis.replay import ReplayReport, replay
from idpilot.cli._output import print_json
from idpilot.cli.app import StoreOption, app, console, open_store, user_errors
from idpilot.copilot.inert import inert_text

if TYPE_CHECKING:
    from idpilot.ca_drafting import ProvedPolicy
    from idpilot.store import Store

ca_app = typer.Typer(
    help="Conditional Access: replay recorded sign-ins; draft or check a policy (never sent).",
    no_args_is_help=True,
)
app.add_typer(ca_app, name="ca")

SHOWN_DIFFERENCES = 50
SINCE = "'--since'"
_RELATIVE = re.compile(r"^(\d+)\s*([dhw])$")
_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "w": timedelta(weeks=1)}


def parse_since(value: str | None, anchor: datetime) -> datetime | None:
    """An ISO date/time, or `7d` / `24h` / `2w` before the snapshot time."""
    if not value:
        return None
    text = value.strip().lower()
    if match := _RELATIVE.match(text):
        try:
            return anchor - int(match.group(1)) * _UNITS[match.group(2)]
        except OverflowError as error:
            raise typer.BadParameter(
                f"{inert_text(value)!r} reaches before the year 1: use a shorter span",
                param_hint=SINCE,
            ) from error
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise typer.BadParameter(
            f"{inert_text(value)!r} is not a time: use an ISO date (2024-05-01), a date-time, "
            "or 7d / 24h",
            param_hint=SINCE,
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
        print_json(report, agreement=report.agreement)
        return
    print_report(report)


def print_report(report: ReplayReport) -> None:
    """The replay as a summary line, a per-policy table and the disagreements.

    Policy names, conditions and ids come from the tenant: each is printed inert (control, bidi
    and zero-width characters as `{U+XXXX}`) and never read as Rich markup.
    """
    if report.sign_ins == 0:
        console.print(no_sign_ins_message(report), highlight=False, markup=False)
        return
    share = "n/a" if report.agreement is None else f"{report.agreement:.2%}"
    console.print(
        f"Replayed {report.sign_ins} sign-ins ({report.classes} distinct contexts) in "
        f"{report.elapsed_seconds:.2f} s: {report.agreed} agree, {report.disagreed} disagree, "
        f"{report.undecidable} undecidable, {report.not_evaluated} not evaluated (primary "
        f"authentication failed before Conditional Access); agreement {share}",
        highlight=False,
    )
    policy = Column("policy", overflow="fold")
    table = Table(policy, "agree/decided", "disagree", "undecidable", "not recorded")
    for tally in report.policies:
        table.add_row(
            Text(inert_text(tally.display_name or tally.policy_id)),
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
            _print_line(
                f"- {item.display_name} ({item.policy_id}): recorded {item.recorded}, "
                f"engine {item.computed}; {item.sign_in_count} sign-in(s), e.g. "
                f"{', '.join(item.sign_in_ids[:3])}"
            )
            for check in item.differing:
                _print_line(f"{check.condition}: {check.text()}", indent=4)
            if item.missing_facts:
                _print_line(f"missing facts: {', '.join(item.missing_facts)}", indent=4)
        if len(items) > SHOWN_DIFFERENCES:
            console.print(f"  ... and {len(items) - SHOWN_DIFFERENCES} more (use --json)")


def no_sign_ins_message(report: ReplayReport) -> str:
    """What to say when no sign-in could be replayed (none recorded CA results, or none since)."""
    since = f" at or after {report.since.isoformat()}" if report.since else ""
    return (
        f"Nothing to replay: no sign-in{since} in this store recorded Conditional Access "
        "results (appliedConditionalAccessPolicies). Ingest sign-in logs exported with them "
        "(Microsoft Graph auditLogs/signIns), or widen --since."
    )


def _print_line(text: str, *, indent: int = 0) -> None:
    """One line of tenant text: inert, without markup or highlighting."""
    console.print(" " * indent + inert_text(text), highlight=False, markup=False)


@ca_app.command("draft")
@user_errors
def draft_command(
    description: Annotated[str, typer.Argument(help="The policy in words.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the draft, its proof and the proposal as JSON.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Draft a policy from a description (report-only) and prove it; nothing is created."""
    from idpilot.ca_drafting import draft_policy

    with open_store(store) as opened:
        proved = draft_policy(opened, description)
        _print_proved(opened, proved, as_json)


@ca_app.command("check")
@user_errors
def check_command(
    file: Annotated[str, typer.Argument(help="A policy's Graph JSON file, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the proof as JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """Does a pasted policy conflict with anything? Its impact, exclusions and overlaps."""
    from idpilot.ca_drafting import NotAPolicyError, check_policy

    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise NotAPolicyError(f"{file}: cannot read it ({error})") from None
    try:
        policy = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise NotAPolicyError(f"{file}: not JSON ({error})") from None
    with open_store(store) as opened:
        proved = check_policy(opened, policy)
        _print_proved(opened, proved, as_json)


def _print_proved(store: Store, proved: ProvedPolicy, as_json: bool) -> None:
    """The proof as JSON, or composed like an answer (the policy_draft skill's template)."""
    if as_json:
        print_json(proved)
        return
    from idpilot.ca_drafting.report_lines import proof_lines

    for line in proof_lines(proved):
        _print_line(line)
