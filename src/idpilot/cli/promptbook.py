"""`idpilot promptbook list | show | run`: ordered prompts asked in one session, each step able
to use what earlier answers cited; a run is kept in the app state like a chat."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from idpilot.cli._output import print_json
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
from idpilot.copilot.promptbooks import PromptbookError, builtin_promptbooks, find_promptbook

promptbook_app = typer.Typer(
    help="Promptbooks: ordered prompts with parameters (list, show, run).", no_args_is_help=True
)
app.add_typer(promptbook_app, name="promptbook")
NameArgument = Annotated[
    str, typer.Argument(help="A built-in promptbook's name, or a path to a promptbook .yaml.")
]


def parameters_given(pairs: list[str]) -> dict[str, str]:
    """`name=value` pairs as a mapping (PromptbookError for one without `=`)."""
    given: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise PromptbookError(f"--param {inert_text(pair)!r}: write it as name=value.")
        given[name.strip()] = value
    return given


@promptbook_app.command("list")
@user_errors
def list_() -> None:
    """The built-in promptbooks, their parameters and number of steps."""
    table = Table("name", "title", "parameters", "steps")
    for book in builtin_promptbooks():
        takes = ", ".join(p.name + ("" if p.required else f"={p.default}") for p in book.parameters)
        table.add_row(
            Text(book.name), Text(inert_text(book.title)), Text(takes or "-"), str(len(book.steps))
        )
    console.print(table)


@promptbook_app.command("show")
@user_errors
def show(name: NameArgument) -> None:
    """A promptbook's description, parameters and steps (the prompts as written)."""
    book = find_promptbook(name, files=True)
    console.print(Text(f"{book.title} ({book.name})", style="bold"))
    console.print(inert_text(book.description), highlight=False, markup=False)
    if book.parameters:
        console.print(Text("\nParameters", style="bold"))
    for parameter in book.parameters:
        default = "" if parameter.required else f" (default {parameter.default})"
        line = f"{parameter.name}: {parameter.description}{default}"
        console.print("  " + inert_text(line), highlight=False, markup=False)
    console.print(Text("\nSteps", style="bold"))
    for n, (step_id, step) in enumerate(zip(book.step_ids(), book.steps, strict=True), start=1):
        why = f"  ({step.why})" if step.why else ""
        line = f"{n}. [{step_id}] {step.prompt}{why}"
        console.print("  " + inert_text(line), highlight=False, markup=False)


@promptbook_app.command("run")
@user_errors
def run(
    name: NameArgument,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as name=value (repeat for more)."),
    ] = None,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run as JSON.")] = False,
    offline: OfflineOption = False,
) -> None:
    """Ask the promptbook's prompts in order in one session, kept in the app state
    (`idpilot chat --session ID` continues it); exit 1 when a step stopped the run."""
    from idpilot.cli._conversation import Conversation, print_step
    from idpilot.cli.ask import print_answer
    from idpilot.copilot.engine import Copilot
    from idpilot.copilot.promptbooks import StepRun, run_promptbook
    from idpilot.state.paths import state_path

    book = find_promptbook(name, files=True)
    given = parameters_given(param or [])
    conversation = Conversation(state_path(store_path(store)))
    model = None if offline else configured_model()

    def each(step: StepRun) -> None:
        conversation.keep(step.answer, title=book.title)
        if not as_json:
            print_step(step, len(book.steps))
            print_answer(step.answer)

    with open_store(store) as opened:
        done = run_promptbook(
            Copilot(opened, model=model), book, given, conversation.session, each=each
        )
    if as_json:
        print_json(done)
    else:
        console.print(
            f"\nsession {done.session_id}: `idpilot chat --session {done.session_id}` continues it",
            highlight=False,
            markup=False,
        )
    if done.stopped:
        if not as_json:
            err_console.print(f"stopped: {inert_text(done.stopped)}", highlight=False, markup=False)
        raise typer.Exit(1)
