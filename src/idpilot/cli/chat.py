"""`idpilot chat`: a conversation, where follow-ups can say "he" or "that group"."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.text import Text

from idpilot.cli.app import (
    StoreOption,
    app,
    configured_model,
    console,
    err_console,
    open_store,
    store_path,
    user_errors,
)
from idpilot.cli.ask import print_answer
from idpilot.copilot.inert import inert_text
from idpilot.copilot.session import Session
from idpilot.errors import PromptError
from idpilot.state.quota import QuotaExceededError

_QUIT = {"exit", "quit", ":q"}
# A subject's name in the prompt is cut to this many characters.
MAX_SUBJECT_CHARS = 40


def chat_prompt(session: Session) -> str:
    """The prompt line: `idpilot>`, or `idpilot (Bob Stone)>` once a turn was about someone.

    The subject is what "he", "she" or "that group" would point at; its name is tenant text,
    so it is made inert and shown without Rich markup.
    """
    turn = session.last_turn()
    if turn is None or not turn.subjects:
        return "idpilot> "
    name = inert_text(turn.subjects[0].label)
    if len(name) > MAX_SUBJECT_CHARS:
        name = name[: MAX_SUBJECT_CHARS - 1] + "…"
    return f"idpilot ({name})> "


@app.command()
@user_errors
def chat(
    store: StoreOption = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Plan without the configured LLM, if any.")
    ] = False,
) -> None:
    """Ask question after question in one session; an empty line or 'exit' ends it."""
    from idpilot.cli._capacity import charged_ask
    from idpilot.copilot.engine import Copilot

    session = Session()
    model = None if offline else configured_model()
    with open_store(store) as opened:
        copilot = Copilot(opened, model=model)
        console.print("Ask about your tenant; follow-ups may say 'he', 'she' or 'that group'.")
        while True:
            try:
                prompt = console.input(Text(chat_prompt(session), style="bold"))
            except (EOFError, KeyboardInterrupt):
                break
            if not prompt.strip() or prompt.strip().lower() in _QUIT:
                break
            opened.refresh()  # answer from the newest complete version an ingest published
            try:
                print_answer(charged_ask(copilot, prompt, store_path(store), session))
            except (PromptError, QuotaExceededError) as error:
                message = escape(inert_text(str(error)))
                err_console.print(f"[bold red]refused:[/] {message}", soft_wrap=True)
    raise typer.Exit(0)
