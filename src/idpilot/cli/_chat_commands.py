"""The slash commands of `idpilot chat`: /feedback, /promptbook, /new, /history, /help."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import UTC, datetime

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from idpilot.cli._conversation import Conversation, print_step
from idpilot.cli.app import console, err_console
from idpilot.cli.ask import print_answer
from idpilot.copilot.engine import Copilot
from idpilot.copilot.inert import inert_text
from idpilot.copilot.promptbooks import (
    StepRun,
    builtin_promptbooks,
    find_promptbook,
    run_promptbook,
)
from idpilot.errors import IdpilotError
from idpilot.state.feedback import CATEGORIES, FeedbackCategory, Rating, give_feedback
from idpilot.store.app_state import open_app_state

HELP = """\
/feedback up [comment]               rate the last answer up
/feedback down CATEGORY [comment]    rate it down (inaccurate, incomplete, unclear,
                                     offensive or other), saying what was wrong
/promptbook [NAME [name=value ...]]  list the promptbooks, or run one in this session
/history                             this session's questions, with their answer ids
/new                                 begin a new session (follow-ups forget earlier ones)
/help                                this list; an empty line or 'exit' ends the chat"""


class ChatCommandError(IdpilotError):
    """A slash command used wrongly (the message shows how to use it)."""


def _feedback(conversation: Conversation, copilot: Copilot, words: list[str]) -> None:
    answer = conversation.last_answer
    if answer is None:
        raise ChatCommandError("/feedback rates the last answer: ask something first.")
    if not words or words[0].lower() not in {r.value for r in Rating}:
        raise ChatCommandError("/feedback up [comment] or /feedback down CATEGORY [comment].")
    rating = Rating(words[0].lower())
    category = None
    rest = words[1:]
    if rating is Rating.down:
        if not rest or rest[0].lower() not in {c.value for c in FeedbackCategory}:
            raise ChatCommandError(f"/feedback down needs a category first: {CATEGORIES}.")
        category = FeedbackCategory(rest.pop(0).lower())
    with open_app_state(conversation.state_file) as state:
        kept = give_feedback(
            state,
            answer_id=answer.answer_id,
            user=conversation.user,
            rating=rating,
            category=category,
            comment=" ".join(rest) or None,
            now=datetime.now(UTC),
            any_answer=True,
        )
    said = kept.rating.value + (f" ({kept.category.value})" if kept.category else "")
    console.print(f"feedback kept: {said}, thank you", highlight=False, markup=False)


def _promptbook(conversation: Conversation, copilot: Copilot, words: list[str]) -> None:
    if not words:
        for book in builtin_promptbooks():
            takes = " ".join(f"{p.name}=..." for p in book.parameters if p.required)
            console.print(
                f"  {book.name} {takes}".rstrip() + f"  ({book.title})",
                highlight=False,
                markup=False,
            )
        return
    book = find_promptbook(words[0], files=True)
    given = {}
    for word in words[1:]:
        name, equals, value = word.partition("=")
        if not equals:
            raise ChatCommandError(f"/promptbook {book.name}: give parameters as name=value.")
        given[name.strip()] = value
    total = len(book.steps)

    def each(step: StepRun) -> None:
        print_step(step, total)
        print_answer(step.answer)
        conversation.keep(step.answer, title=book.title)

    run = run_promptbook(copilot, book, given, conversation.session, each=each)
    if run.stopped:
        err_console.print(f"stopped: {inert_text(run.stopped)}", highlight=False, markup=False)


def _history(conversation: Conversation, copilot: Copilot, words: list[str]) -> None:
    turns = conversation.kept_turns()
    if not turns:
        console.print("No questions in this session yet.", highlight=False, markup=False)
        return
    table = Table(
        "#", "question", "status", "answer id", title=f"session {conversation.session.id}"
    )
    for turn in turns:
        table.add_row(
            str(turn.turn), Text(inert_text(turn.prompt)), turn.status, turn.answer.answer_id
        )
    console.print(table)


def _new(conversation: Conversation, copilot: Copilot, words: list[str]) -> None:
    conversation.start_over()
    console.print("New session: follow-ups start afresh.", highlight=False, markup=False)


def _help(conversation: Conversation, copilot: Copilot, words: list[str]) -> None:
    console.print(HELP, highlight=False, markup=False)


COMMANDS: dict[str, Callable[[Conversation, Copilot, list[str]], None]] = {
    "/feedback": _feedback,
    "/promptbook": _promptbook,
    "/history": _history,
    "/new": _new,
    "/help": _help,
}


def run_command(line: str, conversation: Conversation, copilot: Copilot) -> None:
    """Run one slash command (its misuse, and any user error, said on stderr)."""
    try:
        words = shlex.split(line)
    except ValueError as error:
        words = []
        message = f"cannot read the command: {error}"
    else:
        message = ""
    command = COMMANDS.get(words[0].lower()) if words else None
    if command is None:
        message = message or f"unknown command {words[0]!r}; /help lists them"
        err_console.print(escape(inert_text(message)), style="red", soft_wrap=True)
        return
    try:
        command(conversation, copilot, words[1:])
    except IdpilotError as error:
        err_console.print(escape(inert_text(str(error))), style="red", soft_wrap=True)
