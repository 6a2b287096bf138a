"""`idpilot diff --since 7d | --from V --to V`: what changed in the directory between versions.

Every ingest is a version of the store; this lists the users, groups (members and owners),
role assignments, applications and service principals (credentials), Conditional Access
policies and other directory objects created, changed (each property before and after) or
deleted between two of them, whether or not an audit event still shows the change. Names come
from the tenant: the text is inert and the JSON \\u-escapes invisible characters.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

import orjson
import typer
from rich.text import Text

from idpilot.cli.app import StoreOption, app, console, open_store, user_errors
from idpilot.copilot.inert import inert_json, inert_text
from idpilot.history.changes import ChangeKind, ObjectChange
from idpilot.history.compare import TenantDiff, tenant_diff

_PERIOD = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.I)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
_MARKS = {ChangeKind.created: "+", ChangeKind.changed: "~", ChangeKind.deleted: "-"}


def period(value: str | None) -> timedelta | None:
    """`--since` as a duration: a number of hours, days or weeks (`12h`, `7d`, `2w`)."""
    if value is None:
        return None
    match = _PERIOD.match(value)
    if match is None:
        raise typer.BadParameter(
            f"{inert_text(value)!r} is not a duration: give hours, days or weeks (12h, 7d, 2w)"
        )
    return timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})


@app.command()
@user_errors
def diff(
    since: Annotated[
        str | None,
        typer.Option(help="Compare with the version this long before the newest (7d, 12h, 2w)."),
    ] = None,
    from_version: Annotated[
        int | None, typer.Option("--from", help="The older version (default: see --since).")
    ] = None,
    to_version: Annotated[
        int | None, typer.Option("--to", help="The newer version (default: the newest).")
    ] = None,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the difference as JSON.")] = False,
) -> None:
    """List directory objects created, changed or deleted between two versions of the store."""
    with open_store(store) as opened:
        result = tenant_diff(opened, since=period(since), before=from_version, after=to_version)
    if as_json:
        typer.echo(inert_json(orjson.dumps(result.model_dump(mode="json")).decode()))
        return
    print_diff(result)


def print_diff(result: TenantDiff) -> None:
    """The versions compared, then each change, grouped by collection; tenant text inert."""
    before, after = result.before, result.after
    console.print(
        Text(
            f"Version {before.version} ({before.as_of:%Y-%m-%d %H:%M} UTC, "
            f"{inert_text(before.source)}) -> version {after.version} "
            f"({after.as_of:%Y-%m-%d %H:%M} UTC, {inert_text(after.source)})"
        )
    )
    if result.starts_later:
        console.print(
            Text(f"The history starts at version {before.version}: nothing older to compare.")
        )
    counts = ", ".join(f"{result.count(k)} {k.value}" for k in ChangeKind)
    console.print(Text(f"{len(result.changes)} objects differ: {counts}"))
    shown = None
    for change in result.changes:
        if change.collection != shown:
            shown = change.collection
            console.print(Text(f"\n{shown}", style="bold"))
        for line in change_lines(change):
            console.print(Text(line))


def change_lines(change: ObjectChange) -> list[str]:
    """The lines that say one change (inert text)."""
    audit = "" if change.audited else "  [no audit event in the store]"
    head = f"{_MARKS[change.change]} {inert_text(change.label)} ({change.id}){audit}"
    lines = [head]
    for element in change.elements:
        sign = "added to" if element.added else "removed from"
        lines.append(f"    {inert_text(element.label)} ({element.id}) {sign} {element.path}")
    for prop in change.properties:
        lines.append(
            f"    {prop.path}: {inert_text(str(prop.before))} -> {inert_text(str(prop.after))}"
        )
    return lines
