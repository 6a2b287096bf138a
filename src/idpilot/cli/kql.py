"""`idpilot kql 'QUERY'`: run a Sentinel / Log Analytics query against the local store, or, with
`--remote`, unchanged in a Log Analytics workspace or an Azure Data Explorer database."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from idpilot.cli.app import StoreOption, app, console, err_console, open_store, user_errors
from idpilot.copilot.inert import inert_text
from idpilot.errors import IdpilotError
from idpilot.kql.adapter import KqlResult, run_kql
from idpilot.kql.output import table_text, to_csv, to_json
from idpilot.kql.remote.services import RemoteService
from idpilot.sync.auth import AuthMode

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
    remote: Annotated[
        RemoteService | None,
        typer.Option(
            "--remote",
            help="Run the query unchanged in Log Analytics (la) or Azure Data Explorer (adx).",
        ),
    ] = None,
    workspace: Annotated[
        str | None, typer.Option("--workspace", help="--remote la: the workspace ID.")
    ] = None,
    cluster: Annotated[
        str | None, typer.Option("--cluster", help="--remote adx: the cluster URL.")
    ] = None,
    database: Annotated[
        str | None, typer.Option("--database", help="--remote adx: the database.")
    ] = None,
    timespan: Annotated[
        str | None,
        typer.Option("--timespan", help="--remote la: the time range (7d, PT12H, start/end)."),
    ] = None,
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="--remote: the tenant to sign in to.")
    ] = None,
    auth: Annotated[
        AuthMode, typer.Option("--auth", help="--remote: how to sign in (as idpilot sync).")
    ] = AuthMode.secret,
) -> None:
    """Run a KQL query over the Log Analytics tables (now() and ago() are the snapshot time).

    Tables: SigninLogs, AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs,
    AuditLogs, AADRiskyUsers, AADUserRiskEvents, AADRiskyServicePrincipals. With --remote, the
    query runs unchanged where the logs are (now() is the service's), and no store is read.
    """
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")
    shown = limit if limit is not None or as_json or as_csv else TABLE_ROWS
    remote_only = {
        "--workspace": workspace,
        "--cluster": cluster,
        "--database": database,
        "--timespan": timespan,
        "--tenant": tenant,
    }
    if remote is None and (given := [name for name, value in remote_only.items() if value]):
        raise typer.BadParameter(f"{', '.join(given)} needs --remote la or --remote adx")
    if remote is not None:
        if show_sql:
            raise typer.BadParameter("--show-sql: a remote query is sent as written, not as SQL")
        try:  # httpx comes with the sync extra
            from idpilot.cli._remote_kql import print_remote_notes
            from idpilot.kql.remote.run import RemoteTarget, run_remote
        except ImportError as missing:
            raise IdpilotError(
                f"idpilot kql --remote needs pip install 'idpilot[sync]' ({missing})"
            ) from None

        target = RemoteTarget(remote, workspace, cluster, database, timespan, tenant, auth)
        ran = run_remote(target, query, shown)
        _print_result(ran.result, as_json, as_csv, explicit_limit=limit is not None)
        print_remote_notes(ran, to_stderr=as_json or as_csv)
        return
    with open_store(store) as opened:
        result = run_kql(opened, query, limit=shown)
    if show_sql:
        err_console.print(result.sql, highlight=False, markup=False, soft_wrap=True)
    _print_result(result, as_json, as_csv, explicit_limit=limit is not None)


def _print_result(result: KqlResult, as_json: bool, as_csv: bool, *, explicit_limit: bool) -> None:
    """The rows as JSON, CSV or a table (the same for a local and a remote result)."""
    if as_json:
        typer.echo(to_json(result))
    elif as_csv:
        typer.echo(to_csv(result), nl=False)
    else:
        print_table(result, explicit_limit=explicit_limit)


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
