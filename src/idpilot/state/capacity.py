"""Capacity per user, shared by the CLI and the API: admit a prompt, then settle its answer.

`admit` charges the prompt's own units before any work, atomically against the daily limit,
and raises `QuotaExceededError` (saying when capacity returns, in UTC) without charging when
they would pass it. `settle` adds what the answer then cost beyond that (its skills and model
tokens, `costs.answer_units`): the work is done, so it is counted even past the limit, and
the next prompt is refused until the next UTC day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from idpilot.state.costs import PROMPT_UNITS, answer_units
from idpilot.state.quota import charge
from idpilot.store.app_state import AppState, open_app_state

if TYPE_CHECKING:
    from idpilot.copilot.trace import Trace


def admit(state: AppState, user: str, limit: int, now: datetime) -> int:
    """Charge a prompt's own units, or raise QuotaExceededError (charging nothing); the day's
    use after it."""
    return charge(state, user, PROMPT_UNITS, limit, now)


def settle(state: AppState, user: str, trace: Trace, now: datetime) -> int:
    """Add what an admitted answer cost beyond its prompt units; the units added."""
    extra = answer_units(trace) - PROMPT_UNITS
    if extra > 0:
        state.add_units(user, now.astimezone(UTC).date(), extra)
    return extra


class Answered(Protocol):
    """What settling needs of an answer: its trace."""

    @property
    def trace(self) -> Trace:
        """How the answer was made (its skills and tokens)."""
        ...


A = TypeVar("A", bound=Answered)


def answer_within_capacity(
    state: Path, user: str, limit: int, answer: Callable[[], A], clock: Callable[[], datetime]
) -> A:
    """Admit a prompt against `user`'s units in the app state at `state`, answer it, settle
    what the answer cost; QuotaExceededError (nothing charged) when over the limit."""
    with open_app_state(state) as opened:
        admit(opened, user, limit, clock())
    answered = answer()
    with open_app_state(state) as opened:
        settle(opened, user, answered.trace, clock())
    return answered
