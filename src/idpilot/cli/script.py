"""`idpilot script FILE|-`: analyse a suspicious script statically, and find its indicators in
the tenant. Nothing in the script is run; the network is not used.

The script's text and the tenant's names are shown inert (`idpilot.copilot.inert`); input that
is too large, binary or a decoding bomb is refused with a message (exit status 2).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown

from idpilot.cli._output import print_json, print_sources
from idpilot.cli.app import StoreOption, app, console, open_store, store_path, user_errors
from idpilot.copilot.inert import inert_markdown, inert_text
from idpilot.errors import IdpilotError
from idpilot.script_analysis.source import MAX_INPUT_BYTES


def _read(source: str) -> tuple[bytes, str]:
    """The bytes of FILE (or stdin for `-`) and the name to show, at most one byte over the
    limit (the analyser then says how large it is)."""
    if source == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), "stdin"
    path = Path(source)
    if not path.is_file():
        raise IdpilotError(f"{source}: no such file")
    with path.open("rb") as handle:
        return handle.read(MAX_INPUT_BYTES + 1), path.name


@app.command()
@user_errors
def script(
    source: Annotated[str, typer.Argument(help="The script file, or - for standard input.")],
    store: StoreOption = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="File name for stdin (its extension names the language)."),
    ] = None,
    no_tenant: Annotated[
        bool, typer.Option("--no-tenant", help="Do not look the indicators up in the store.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the skill result.")] = False,
) -> None:
    """Decode, parse and judge a script (PowerShell, bash, cmd, JavaScript, VBScript) without
    running it: layers peeled, indicators, identity-attack techniques with ATT&CK ids, a
    verdict, and where the indicators appear in the tenant's sign-ins, apps and audit log."""
    from idpilot.copilot.composer import CitationBook, compose
    from idpilot.script_analysis import analyse_bytes
    from idpilot.skills.builtin.script_analysis import script_result

    data, shown = _read(source)
    analysis = analyse_bytes(data, name=name or shown)
    if no_tenant or not store_path(store).exists():
        result = script_result(analysis, None)
    else:
        with open_store(store) as opened:
            result = script_result(analysis, opened)
    if as_json:
        print_json(result)
        return
    book = CitationBook(result.evidence)
    console.print(Markdown(inert_markdown(compose(result, book))))
    print_sources(book.citations())
    if result.next_steps:
        console.print("\n[bold]What to do[/]")
    for step in result.next_steps:
        console.print(f"  - {inert_text(step.action)}", highlight=False, markup=False)
