"""`idpilot feedback add | export`: what admins think of the answers, from the app state."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import orjson
import typer

from idpilot.cli._local_user import local_user
from idpilot.cli.app import StoreOption, app, console, err_console, store_path, user_errors
from idpilot.copilot.inert import inert_json, inert_text
from idpilot.errors import IdpilotError
from idpilot.state.feedback import (
    Feedback,
    FeedbackCategory,
    FeedbackReport,
    Rating,
    feedback_report,
    give_feedback,
)
from idpilot.state.paths import state_path
from idpilot.store.app_state import open_app_state

feedback_app = typer.Typer(help="Feedback on answers: add, export.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")


def feedback_line(item: Feedback | FeedbackReport) -> str:
    """One feedback as a line of JSON (invisible characters \\u-escaped)."""
    return inert_json(orjson.dumps(item.model_dump(mode="json")).decode())


@feedback_app.command("add")
@user_errors
def add(
    answer_id: Annotated[str, typer.Argument(help="The answer's answer_id.")],
    rating: Annotated[Rating, typer.Argument(help="up or down.")],
    category: Annotated[
        FeedbackCategory | None,
        typer.Option("--category", help="For down: what was wrong with the answer."),
    ] = None,
    comment: Annotated[str | None, typer.Option("--comment", help="What you expected.")] = None,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the feedback as JSON.")] = False,
) -> None:
    """Rate an answer (any answer kept in the app state); your later rating replaces it."""
    with open_app_state(state_path(store_path(store))) as state:
        kept = give_feedback(
            state,
            answer_id=answer_id,
            user=local_user(),
            rating=rating,
            category=category,
            comment=comment,
            now=datetime.now(UTC),
            any_answer=True,  # whoever holds the state file administers it
        )
    if as_json:
        typer.echo(feedback_line(kept))
        return
    said = kept.rating.value + (f" ({kept.category.value})" if kept.category else "")
    console.print(f"kept: {said} on {inert_text(kept.answer_id)}", highlight=False, markup=False)


@feedback_app.command("export")
@user_errors
def export(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file (default: standard output).")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Every feedback as JSON Lines, oldest first, each with its answer's prompt, intent,
    skill, status and cited records: where idpilot is weak."""
    with open_app_state(state_path(store_path(store))) as state:
        reports = list(reversed(feedback_report(state)))
    lines = "".join(feedback_line(report) + "\n" for report in reports)
    if out is None:
        typer.echo(lines, nl=False)
        return
    try:
        out.write_text(lines, encoding="utf-8")
    except OSError as error:
        raise IdpilotError(f"cannot write {out}: {error.strerror or error}") from None
    err_console.print(
        f"{len(reports)} feedback line(s) written to {inert_text(str(out))}",
        highlight=False,
        markup=False,
    )
