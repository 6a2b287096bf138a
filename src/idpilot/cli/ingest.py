"""`idpilot ingest DIR`: load a snapshot folder into a store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from idpilot.cli.app import StoreOption, app, console, open_store, user_errors
from idpilot.sources.ingest import IngestReport, ingest_folder
from idpilot.sources.snapshot_files import list_snapshot


@app.command()
@user_errors
def ingest(
    folder: Annotated[Path, typer.Argument(help="Snapshot folder of Graph JSON files.")],
    store: StoreOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest a snapshot folder (Graph list responses, arrays or JSON Lines) into the store."""
    files, _ = list_snapshot(folder)
    total = sum(f.size for f in files)
    with open_store(store, read_only=False) as opened:
        if quiet:
            report = ingest_folder(opened, folder)
        else:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            ) as progress:
                task = progress.add_task("checking JSON", total=total)
                report = ingest_folder(
                    opened,
                    folder,
                    on_bytes=lambda n: progress.advance(task, n),
                    on_stage=lambda name: progress.update(task, description=f"loading {name}"),
                )
    print_report(report)


def print_report(report: IngestReport) -> None:
    """A table of records read and changed per collection, then warnings."""
    table = Table(title=f"Ingested {report.source}", show_lines=False)
    table.add_column("collection")
    table.add_column("records", justify="right")
    table.add_column("added or changed", justify="right")
    for name in sorted(report.records):
        table.add_row(name, f"{report.records[name]:,}", f"{report.changed[name]:,}")
    console.print(table)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    for path in report.skipped_files:
        console.print(f"[yellow]skipped:[/] {path.name} (not a known collection name)")
