"""`idpilot kql --remote la|adx`: the query sent unchanged to Log Analytics or Azure Data Explorer,
its rows printed exactly as a local result's, with the workspace or database named."""

from __future__ import annotations

from rich.text import Text

from idpilot.cli.app import console, err_console
from idpilot.copilot.inert import inert_text
from idpilot.kql.remote.result import RemoteResult


def print_remote_notes(remote: RemoteResult, *, to_stderr: bool) -> None:
    """Where the rows came from, any note, and a warning when they are partial."""
    out = err_console if to_stderr else console
    out.print(Text(f"ran remotely, unchanged, in {inert_text(remote.source)}"), style="dim")
    for note in remote.notes:
        out.print(Text(inert_text(note)), style="dim")
    if remote.partial:
        err_console.print(
            Text(f"partial result, rows are missing: {inert_text(remote.partial)}"),
            style="yellow",
        )
