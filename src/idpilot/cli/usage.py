"""`idpilot usage`: capacity units used (CLI and API) per user and UTC day, from the app state."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import orjson
import typer
from rich.table import Table
from rich.text import Text

from idpilot.cli.app import StoreOption, app, console, store_path, user_errors
from idpilot.copilot.inert import inert_json, inert_text
from idpilot.settings import get_int
from idpilot.state.paths import state_path
from idpilot.store.app_state import open_app_state


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{inert_text(value)!r} is not a date (2026-12-01)") from None


@app.command()
@user_errors
def usage(
    since: Annotated[
        str | None, typer.Option("--since", help="From this UTC day (YYYY-MM-DD).", callback=_day)
    ] = None,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
) -> None:
    """Capacity units used (CLI and API) per user and UTC day, newest first, against the quota."""
    with open_app_state(state_path(store_path(store))) as state:
        rows = state.usage(since)  # type: ignore[arg-type]
    if as_json:
        data = [
            {"user": r["user_name"], "day": r["day"].isoformat(), "units": r["units"]} for r in rows
        ]
        typer.echo(inert_json(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()))
        return
    quota = get_int("quota_units_per_day")
    table = Table("day", "user", "units")
    for r in rows:
        table.add_row(
            Text(r["day"].isoformat()),
            Text(inert_text(r["user_name"])),
            Text(f"{r['units']} / {quota}"),
        )
    console.print(table)
