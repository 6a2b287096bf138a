"""`idpilot sync`: read a tenant from Microsoft Graph into a snapshot folder (and a store)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table
from rich.text import Text

from idpilot.cli.app import StoreOption, app, console, open_store, user_errors
from idpilot.copilot.inert import inert_text
from idpilot.errors import IdpilotError
from idpilot.settings import get_int, get_seconds, get_setting
from idpilot.sync.auth import AuthMode, graph_scope, token_source
from idpilot.sync.checkpoint import Phase
from idpilot.sync.endpoints import required_permissions
from idpilot.sync.options import SyncOptions
from idpilot.sync.plan import planned_requests
from idpilot.sync.windows import parse_span

if TYPE_CHECKING:
    from idpilot.sync.graph_client import GraphClient
    from idpilot.sync.runner import PageRead, SyncReport


@app.command()
@user_errors
def sync(
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant id or primary domain.")],
    out: Annotated[Path, typer.Option("--out", help="Snapshot folder to write (and resume).")],
    store: StoreOption = None,
    auth: Annotated[AuthMode, typer.Option("--auth", help="How to sign in.")] = AuthMode.secret,
    since: Annotated[
        str, typer.Option("--since", help="How far back the first sync reads logs (7d, 12h).")
    ] = "7d",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the requests and permissions; send nothing.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Sync every collection from Microsoft Graph into a snapshot folder, resumably.

    Users and groups by delta query, sign-ins and audits by time window, the rest listed; a
    killed sync resumes where it stopped. Collections Graph refuses (403) are named with the
    permission or licence they need, and answers later say what they could not see. With
    --store, the folder is then ingested into that store.
    """
    try:  # httpx comes with the sync extra
        from idpilot.sync.graph_client import ClientOptions, GraphClient
    except ImportError as missing:
        raise IdpilotError(f"idpilot sync needs pip install 'idpilot[sync]' ({missing})") from None
    base = get_setting("graph_url")
    options = SyncOptions(
        out=out,
        tenant=tenant,
        base_url=base,
        since=parse_span(since),
        overlap=timedelta(seconds=get_seconds("sync_overlap_seconds")),
    )
    if dry_run:
        _print_plan(options)
        return
    source = token_source(
        auth,
        tenant,
        get_setting("graph_client_id"),
        secret=get_setting("graph_client_secret"),
        certificate=get_setting("graph_certificate"),
        scope=graph_scope(base),
    )
    client_options = ClientOptions(
        concurrency=get_int("sync_concurrency"),
        requests_per_10s=get_int("sync_requests_per_10s"),
    )
    report = asyncio.run(_run(options, GraphClient(base, source, client_options), quiet))
    _print_report(report)
    if store is not None:  # ingest the folder too, in one transaction
        from idpilot.cli.ingest import print_report
        from idpilot.sources.ingest import VersionOrigin, ingest_folder

        origin = VersionOrigin("sync", f"Graph sync of {tenant} into {out}")
        with open_store(store, read_only=False) as opened:  # a store version `diff` compares
            print_report(ingest_folder(opened, out, origin=origin, commit_each_part=True))


async def _run(options: SyncOptions, client: GraphClient, quiet: bool) -> SyncReport:
    from idpilot.sync.runner import Sync

    try:
        if quiet:
            return await Sync(options, client).run()
        with Progress(
            TextColumn("{task.description:<34}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[state]}"),
            console=console,
        ) as progress:
            tasks: dict[str, TaskID] = {}

            def on_progress(event: PageRead) -> None:
                name = event.collection.value
                if name not in tasks:
                    tasks[name] = progress.add_task(name, total=None, state="")
                finished = event.phase in (Phase.done, Phase.unavailable)
                progress.update(
                    tasks[name],
                    completed=event.records,
                    total=event.records if finished else None,
                    state="refused" if event.phase is Phase.unavailable else event.phase.value,
                )

            return await Sync(options, client, on_progress=on_progress).run()
    finally:
        await client.close()


def _print_plan(options: SyncOptions) -> None:
    """The requests a sync would send (one per collection, with what it needs), then every
    permission to grant."""
    console.print(Text(f"idpilot sync {inert_text(options.tenant)}: requests (nothing sent)"))
    for planned in planned_requests(options, datetime.now(UTC)):
        needs = planned.permission + (f" + {planned.licence} licence" if planned.licence else "")
        console.print(Text(f"{planned.collection}: {planned.method} {inert_text(planned.url)}"))
        console.print(Text(f"    needs {needs}; {planned.note}"), style="dim")
    permissions = ", ".join(required_permissions())
    console.print(Text(f"Application permissions to grant (admin consent): {permissions}"))


def _print_report(report: SyncReport) -> None:
    """Records per collection, what Graph refused and why, and what was asked of it."""
    table = Table(title="Synced")
    table.add_column("collection")
    table.add_column("records", justify="right")
    for name in sorted(report.counts):
        table.add_row(name, f"{report.counts[name]:,}")
    console.print(table)
    for name, why in sorted(report.unavailable.items()):
        console.print(Text(f"not readable: {name}: {inert_text(why.reason())}"), style="yellow")
    log = report.requests
    console.print(
        f"{log.requests:,} requests, {log.throttled:,} throttled, {log.retries:,} retried, "
        f"{report.paused_seconds:,.0f} s paused by Graph"
    )
