"""`idpilot ingest DIR`: load a snapshot folder into a store."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from idpilot.cli.app import StoreOption, app, console, open_store, user_errors
from idpilot.copilot.inert import inert_text
from idpilot.sources.exports.discover import discover
from idpilot.sources.ingest import IngestReport, ingest_folder

POLL_SECONDS = 0.25


@app.command()
@user_errors
def ingest(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Snapshot folder of Graph JSON files and/or log exports (storage-account "
            "insights-logs-* folders, Log Analytics query results or CSV exports), or one export."
        ),
    ],
    store: StoreOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest a snapshot folder (Graph list responses, arrays or JSON Lines) into the store."""
    total = discover(folder).size if folder.exists() else 0
    with open_store(store, read_only=False) as opened:
        if quiet:
            report = ingest_folder(opened, folder, commit_each_part=True)
        else:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            ) as progress:
                task = progress.add_task("reading", total=total)
                stage = {"name": "reading"}

                def on_stage(name: str) -> None:
                    stage["name"] = f"loading {name}"
                    progress.update(task, description=stage["name"])

                with _QueryProgress(opened.con, progress, task, stage):
                    report = ingest_folder(
                        opened,
                        folder,
                        on_bytes=lambda n: progress.advance(task, n),
                        on_stage=on_stage,
                        commit_each_part=True,
                    )
    print_report(report)


class _QueryProgress:
    """Shows how far DuckDB is through the current file (large files load for a while)."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, progress: Progress, task: TaskID, stage: dict
    ) -> None:
        self._con, self._progress, self._task, self._stage = con, progress, task, stage
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._done.wait(POLL_SECONDS):
            percent = self._con.query_progress()
            if percent >= 0:
                description = f"{self._stage['name']} ({percent:.0f}% of this file)"
                self._progress.update(self._task, description=description)

    def __enter__(self) -> _QueryProgress:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def print_report(report: IngestReport) -> None:
    """The folder read, a table of records read and changed per collection, then warnings.

    Paths, file names and warnings may quote the snapshot's files and values: each is printed
    inert and never read as Rich markup; a path or file name is never folded across lines.
    """
    # A line of its own, never folded: a table's title would break a long path mid-name.
    console.print(Text(f"Ingested {inert_text(str(report.source))}"), soft_wrap=True)
    table = Table(show_lines=False)
    table.add_column("collection")
    table.add_column("records", justify="right")
    table.add_column("added or changed", justify="right")
    for name in sorted(report.records):
        table.add_row(
            Text(inert_text(name)), f"{report.records[name]:,}", f"{report.changed[name]:,}"
        )
    console.print(table)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {escape(inert_text(warning))}", highlight=False)
    for path in report.skipped_files:
        name = escape(inert_text(path.name))
        console.print(
            f"[yellow]skipped:[/] {name} (not a known collection name nor a log export)",
            highlight=False,
            soft_wrap=True,
        )
