"""`idpilot ask PROMPT`: one grounded answer, as markdown or as the Answer JSON."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from idpilot.cli._output import print_sources, shown_text
from idpilot.cli._startup import collector_paused
from idpilot.cli.app import (
    OfflineOption,
    StoreOption,
    app,
    configured_model,
    console,
    open_store,
    store_path,
    user_errors,
)
from idpilot.copilot.answer import Answer
from idpilot.copilot.inert import inert_markdown, inert_text


@app.command()
@user_errors
def ask(
    prompt: Annotated[str, typer.Argument(help="Your question, in plain language.")],
    store: StoreOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the Answer object as JSON.")
    ] = False,
    offline: OfflineOption = False,
) -> None:
    """Ask a question about the tenant; every fact cites the records it came from."""
    with collector_paused():  # one answer: loading the engine allocates much and frees little
        from idpilot.cli._capacity import charged_ask
        from idpilot.copilot.engine import Copilot

        model = None if offline else configured_model()
        with open_store(store) as opened:
            answer = charged_ask(Copilot(opened, model=model), prompt, store_path(store))
        if as_json:
            typer.echo(answer.to_json())
        else:
            print_answer(answer)


def print_answer(answer: Answer) -> None:
    """The answer as rendered markdown, then its sources, next steps and follow-ups.

    Every line that carries tenant text is inert (no control or bidi character reaches the
    terminal) and printed without Rich markup.
    """
    from rich.markdown import Markdown  # only terminal output needs the markdown renderer

    console.print(Markdown(inert_markdown(answer.answer)))
    print_sources(answer.citations)
    if answer.next_steps:
        console.print("\n[bold]Next steps[/]")
        for step in answer.next_steps:
            console.print(f"  - {shown_text(step)}", highlight=False, markup=False)
    if answer.followups:
        console.print("\n[bold]You could also ask[/]")
        for followup in answer.followups:
            console.print(f"  - {shown_text(followup)}", highlight=False, markup=False)
    if answer.limits:
        console.print(f"\n[yellow]Note:[/] {escape(inert_text(answer.limits))}", highlight=False)
    console.print(f"\n[dim]{answer.elapsed_ms:.0f} ms{escape(model_use(answer))}[/]")


def model_use(answer: Answer) -> str:
    """What the model did for the answer (calls, tokens, further steps), or nothing offline."""
    trace = answer.trace
    if trace.model is None:
        return ""
    further = sum(1 for step in trace.steps if step.origin.value == "model")
    calls = len(trace.model_calls)
    return (
        f" · {inert_text(trace.model)}: {calls} call{'s' * (calls != 1)}, "
        f"{trace.total_tokens:,} tokens, {further} further step{'s' * (further != 1)}"
    )
