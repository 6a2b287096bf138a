"""`idpilot chat`: a conversation, where follow-ups can say "he" or "that group", kept in the
app state, with /feedback, /promptbook, /history and /new."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.text import Text

from idpilot.cli.app import (
    OfflineOption,
    StoreOption,
    app,
    configured_model,
    console,
    err_console,
    open_store,
    store_path,
    user_errors,
)
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
    offline: OfflineOption = False,
    session_id: Annotated[
        str | None,
        typer.Option("--session", help="Continue a kept session (its id: /history shows it)."),
    ] = None,
) -> None:
    """Ask question after question in one session, kept in the app state; /help lists the
    commands (/feedback, /promptbook, /history, /new); an empty line or 'exit' ends it."""
    from idpilot.cli._capacity import charged_ask
    from idpilot.cli._chat_commands import run_command
    from idpilot.cli._conversation import Conversation
    from idpilot.cli.ask import print_answer
    from idpilot.copilot.engine import Copilot
    from idpilot.state.paths import state_path

    state_file = state_path(store_path(store))
    model = None if offline else configured_model()
    with open_store(store) as opened:
        if session_id is None:
            conversation = Conversation(state_file)
        else:
            conversation = Conversation.resumed(state_file, session_id)
            turns = len(conversation.session.turns)
            console.print(f"Continuing session {conversation.session.id} ({turns} turns).")
        copilot = Copilot(opened, model=model)
        console.print(
            "Ask about your tenant; follow-ups may say 'he', 'she' or 'that group'. "
            "/help lists the commands."
        )
        while True:
            try:
                prompt = console.input(Text(chat_prompt(conversation.session), style="bold"))
            except (EOFError, KeyboardInterrupt):
                break
            if not prompt.strip() or prompt.strip().lower() in _QUIT:
                break
            opened.refresh()  # answer from the newest complete version an ingest published
            if prompt.strip().startswith("/"):
                run_command(prompt.strip(), conversation, copilot)
                continue
            try:
                answer = charged_ask(copilot, prompt, store_path(store), conversation.session)
            except (PromptError, QuotaExceededError) as error:
                message = escape(inert_text(str(error)))
                err_console.print(f"[bold red]refused:[/] {message}", soft_wrap=True)
                continue
            print_answer(answer)
            conversation.keep(answer)
    if conversation.stored:
        kept = conversation.session.id
        console.print(f"session {kept} kept: `idpilot chat --session {kept}` continues it.")
    raise typer.Exit(0)
