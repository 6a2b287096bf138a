"""A CLI conversation kept in the app state: `idpilot chat` and `idpilot promptbook run` keep
every answer in a session (begun at its first answer) so feedback can name it and a later
`idpilot chat --session ID` can continue it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from idpilot.cli._local_user import local_user
from idpilot.cli.app import console, err_console
from idpilot.copilot.answer import Answer
from idpilot.copilot.inert import inert_text
from idpilot.copilot.promptbooks import StepRun
from idpilot.copilot.session import Session
from idpilot.errors import StoreError
from idpilot.state.sessions import (
    TurnRecord,
    history,
    record_answer,
    resume,
    session_of,
    start_session,
)
from idpilot.store.app_state import open_app_state

TITLE_CHARS = 80
"""Characters of the first prompt a session is titled with."""


@dataclass
class Conversation:
    """The session of a CLI conversation and where the app state keeps it."""

    state_file: Path
    user: str = field(default_factory=local_user)
    session: Session = field(default_factory=Session)
    stored: bool = False
    """Whether the app state has the session yet (it is begun at the first answer)."""
    last_answer: Answer | None = None

    @classmethod
    def resumed(cls, state_file: Path, session_id: str) -> Conversation:
        """The kept session `session_id`, continued (whoever holds the state file may)."""
        user = local_user()
        with open_app_state(state_file) as state:
            chat = session_of(state, session_id, user, any_user=True)
            turns = history(state, chat).history
            session = resume(state, chat)
        last = turns[-1].answer if turns else None
        return cls(state_file, user, session, stored=True, last_answer=last)

    def keep(self, answer: Answer, title: str | None = None) -> None:
        """Keep an answer of this conversation as its session's next turn (a warning, not a
        failure, when the app state cannot be written: the answer was given)."""
        self.last_answer = answer
        try:
            with open_app_state(self.state_file) as state:
                now = datetime.now(UTC)
                if not self.stored:
                    named = title or answer.prompt[:TITLE_CHARS]
                    start_session(state, self.user, now, named, session_id=self.session.id)
                    self.stored = True
                record_answer(
                    state,
                    answer,
                    self.user,
                    now,
                    session_id=self.session.id,
                    memory=self.session.last_turn(),
                )
        except StoreError as error:
            err_console.print(
                f"not kept in {inert_text(str(self.state_file))}: {inert_text(str(error))}",
                style="yellow",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )

    def kept_turns(self) -> list[TurnRecord]:
        """The session's turns as the app state keeps them (none before the first answer)."""
        if not self.stored:
            return []
        with open_app_state(self.state_file) as state:
            return history(
                state, session_of(state, self.session.id, self.user, any_user=True)
            ).history

    def start_over(self) -> None:
        """Begin a new session: follow-ups no longer point back at earlier answers."""
        self.session = Session()
        self.stored = False
        self.last_answer = None


def print_step(step: StepRun, total: int) -> None:
    """A promptbook step's header: its number and the prompt asked (inert, no markup)."""
    console.print(
        f"\nStep {step.n}/{total} · {inert_text(step.prompt)}",
        style="bold",
        highlight=False,
        markup=False,
    )
