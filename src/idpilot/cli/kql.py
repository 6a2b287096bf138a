"""`idpilot kql 'QUERY'`: run a Sentinel / Log Analytics query against the local store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from idpilot.cli.app import StoreOption, app, console, err_console, open_store, user_errors
from idpilot.copilot.inert import inert_text
from idpilot.kql.adapter import KqlResult, run_kql
from idpilot.kql.output import table_text, to_csv, to_json

# A terminal table longer than this is unreadable; --limit, --json or --csv show more.
TABLE_ROWS = 200
# Narrower than this per column, a cell shows a letter or two a line: say how to see it.
MIN_COLUMN_CHARS = 8


@app.command()
@user_errors
def kql(
    query: Annotated[str, typer.Argument(help="KQL query, e.g. 'SigninLogs | take 10'.")],
    store: StoreOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Rows as a JSON list of objects.")
    ] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Rows as CSV with a header.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, help="Return at most N rows.")
    ] = None,
    show_sql: Annotated[
        bool, typer.Option("--show-sql", help="Print the DuckDB SQL the query ran as (stderr).")
    ] = False,
) -> None:
    """Run a KQL query over the Log Analytics tables (now() and ago() are the snapshot time).

    Tables: SigninLogs, AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs,
    AuditLogs, AADRiskyUsers, AADUserRiskEvents, AADRiskyServicePrincipals.
    """
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")
    shown = limit if limit is not None or as_json or as_csv else TABLE_ROWS
    with open_store(store) as opened:
        result = run_kql(opened, query, limit=shown)
    if show_sql:
        err_console.print(result.sql, highlight=False, markup=False, soft_wrap=True)
    if as_json:
        typer.echo(to_json(result))
    elif as_csv:
        typer.echo(to_csv(result), nl=False)
    else:
        print_table(result, explicit_limit=limit is not None)


def print_table(result: KqlResult, *, explicit_limit: bool) -> None:
    """The rows as a Rich table, with a count underneath.

    Headers and cells are Text (never read as Rich markup) and inert (no control, bidi or
    zero-width character reaches the terminal).
    """
    if result.rows:
        table = Table(show_lines=False)
        for name in result.columns:
            table.add_column(Text(inert_text(name)), overflow="fold")
        for row in result.rows:
            table.add_row(*(Text(table_text(value)) for value in row))
        console.print(table)
    noun = "row" if result.row_count == 1 else "rows"
    note = f"{result.row_count:,} {noun}"
    if result.truncated:
        hint = "" if explicit_limit else "; use --limit N, --json or --csv for more"
        note += f" (more were cut off{hint})"
    console.print(note, highlight=False)
    if result.rows and len(result.columns) * MIN_COLUMN_CHARS > console.width:
        console.print(
            f"{len(result.columns)} columns do not fit in {console.width} terminal columns: "
            "choose some with `| project A, B`, or use --json or --csv.",
            highlight=False,
            markup=False,
        )
