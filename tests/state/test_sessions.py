"""Sessions kept in the app state: turns numbered in order, what a follow-up needs restored,
another user's session not said to exist."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from idpilot.copilot.answer import Answer
from idpilot.copilot.session import Turn
from idpilot.copilot.trace import SkillCall
from idpilot.state.sessions import (
    UnknownSessionError,
    history,
    record_answer,
    resume,
    session_of,
    sessions,
    start_session,
)
from idpilot.store.app_state import AppState, open_app_state
from idpilot.store.lookup import EntityMatch, MatchQuality

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
BOB = EntityMatch(kind="user", id="u-bob", label="Bob", phrase="", quality=MatchQuality.id)


@pytest.fixture
def state(tmp_path: Path) -> Iterator[AppState]:
    with open_app_state(tmp_path / "state.duckdb") as opened:
        yield opened


def _turn(prompt: str, **more: object) -> Turn:
    return Turn(prompt=prompt, skill="user_details", params={"user": "u-bob"},
                subjects=[BOB], status="ok", **more)  # type: ignore[arg-type]  # fmt: skip


def test_turns_are_kept_in_order_and_resumed_for_follow_ups(state: AppState) -> None:
    chat = start_session(state, "ana", NOW, "  Bob  ")
    assert chat.title == "Bob"
    prompts = ["who is Bob?", "what groups is he in?"]
    numbers = []
    for n, prompt in enumerate(prompts):
        answer = Answer(prompt=prompt, answer="…", session_id=chat.id,
                        skills=[SkillCall(name="user_details")])  # fmt: skip
        memory = _turn(prompt, ips=["203.0.113.9"], error_codes=[50126])
        at = NOW + timedelta(minutes=n)
        numbers.append(record_answer(state, answer, "ana", at, session_id=chat.id, memory=memory))
    assert numbers == [1, 2]
    session = resume(state, session_of(state, chat.id, "ana"))
    assert session.id == chat.id
    assert [t.prompt for t in session.turns] == prompts
    assert session.turns[-1] == _turn(prompts[-1], ips=["203.0.113.9"], error_codes=[50126])
    assert session.referent("is he risky?", "user") is not None
    kept = history(state, session_of(state, chat.id, "ana"))
    assert [t.prompt for t in kept.history] == prompts and kept.turns == 2
    assert kept.history[0].skill == "user_details"


def test_an_answer_outside_a_session_has_no_turn(state: AppState) -> None:
    answer = Answer(prompt="who is risky?", answer="…", session_id="")
    assert record_answer(state, answer, "ana", NOW) is None


def test_another_users_session_is_unknown_unless_any_user(state: AppState) -> None:
    chat = start_session(state, "ana", NOW)
    with pytest.raises(UnknownSessionError, match="No session of bob"):
        session_of(state, chat.id, "bob")
    with pytest.raises(UnknownSessionError):
        session_of(state, "x" * 1_000, "ana")
    assert session_of(state, chat.id, "root", any_user=True).user == "ana"


def test_sessions_are_listed_most_recently_used_first(state: AppState) -> None:
    older = start_session(state, "ana", NOW)
    newer = start_session(state, "ana", NOW + timedelta(hours=1))
    start_session(state, "bob", NOW)
    answer = Answer(prompt="p", answer="…", session_id=older.id)
    record_answer(state, answer, "ana", NOW + timedelta(hours=2), session_id=older.id,
                  memory=_turn("p"))  # fmt: skip
    assert [s.id for s in sessions(state, "ana", 10)] == [older.id, newer.id]
    assert len(sessions(state, None, 10)) == 3
