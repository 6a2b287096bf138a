"""`idpilot chat`: a conversation, where follow-ups can say "he" or "that group"."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.prompt import Prompt

from idpilot.cli.app import StoreOption, app, console, err_console, open_store, user_errors
from idpilot.cli.ask import print_answer
from idpilot.copilot.engine import Copilot
from idpilot.copilot.session import Session
from idpilot.errors import PromptError
from idpilot.llm.client import model_from_settings

_QUIT = {"exit", "quit", ":q"}


@app.command()
@user_errors
def chat(
    store: StoreOption = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Plan without the configured LLM, if any.")
    ] = False,
) -> None:
    """Ask question after question in one session; an empty line or 'exit' ends it."""
    session = Session()
    model = None if offline else model_from_settings()
    with open_store(store) as opened:
        copilot = Copilot(opened, model=model)
        console.print("Ask about your tenant; follow-ups may say 'he', 'she' or 'that group'.")
        while True:
            try:
                prompt = Prompt.ask("[bold]idpilot[/]", console=console, default="")
            except (EOFError, KeyboardInterrupt):
                break
            if not prompt.strip() or prompt.strip().lower() in _QUIT:
                break
            opened.refresh()  # answer from the newest complete version an ingest published
            try:
                print_answer(copilot.ask(prompt, session))
            except PromptError as error:
                err_console.print(f"[bold red]refused:[/] {escape(str(error))}", soft_wrap=True)
    raise typer.Exit(0)
