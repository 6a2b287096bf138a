"""Feedback on answers kept in the app state: validated, one per user and answer, reported
with the answer it is about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from idpilot.copilot.answer import Answer, AnswerStatus, Citation
from idpilot.copilot.trace import SkillCall, Trace
from idpilot.model.records import Record
from idpilot.state import AuditEvent, record_event
from idpilot.state.feedback import (
    MAX_COMMENT_CHARS,
    FeedbackCategory,
    FeedbackError,
    Rating,
    UnknownAnswerError,
    feedback_report,
    give_feedback,
)
from idpilot.state.sessions import record_answer
from idpilot.store.app_state import AppState, open_app_state

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


def _answer(prompt: str = "Tell me about Ana") -> Answer:
    return Answer(
        prompt=prompt,
        status=AnswerStatus.ok,
        answer="Ana works in Sales [1].",
        citations=[Citation(n=1, kind="user", id="u-ana", label="Ana")],
        evidence=[Record(kind="user", id="u-ana", label="Ana")],
        skills=[SkillCall(name="user_profile", params={"user": "u-ana"})],
        session_id="",
        trace=Trace(intent="user_profile"),
    )


@pytest.fixture
def state(tmp_path: Path):  # type: ignore[no-untyped-def]
    with open_app_state(tmp_path / "state.duckdb") as opened:
        yield opened


def _give(state: AppState, answer_id: str, rating: Rating, **given: object):  # type: ignore[no-untyped-def]
    return give_feedback(
        state,
        answer_id=answer_id,
        user=str(given.pop("user", "ana")),
        rating=rating,
        category=given.pop("category", None),  # type: ignore[arg-type]
        comment=given.pop("comment", None),  # type: ignore[arg-type]
        now=given.pop("now", NOW),  # type: ignore[arg-type]
        any_answer=bool(given.pop("any_answer", False)),
    )


def test_feedback_is_reported_with_the_answer_it_is_about(state: AppState) -> None:
    answer = _answer()
    record_answer(state, answer, "ana", NOW)
    kept = _give(
        state, answer.answer_id, Rating.down, category=FeedbackCategory.incomplete,
        comment="  It left out her groups.  ",
    )  # fmt: skip
    assert kept.comment == "It left out her groups."
    [report] = feedback_report(state)
    assert (report.rating, report.category, report.user) == (
        Rating.down,
        FeedbackCategory.incomplete,
        "ana",
    )
    assert (report.prompt, report.intent, report.skill, report.status) == (
        "Tell me about Ana",
        "user_profile",
        "user_profile",
        "ok",
    )
    assert report.cited == ["user:u-ana"]


def test_a_down_rating_needs_a_category_and_an_up_rating_takes_none(state: AppState) -> None:
    answer = _answer()
    record_answer(state, answer, "ana", NOW)
    with pytest.raises(FeedbackError, match=r"category: a down rating needs a category, one of"):
        _give(state, answer.answer_id, Rating.down)
    with pytest.raises(FeedbackError, match="only a down rating takes a category"):
        _give(state, answer.answer_id, Rating.up, category=FeedbackCategory.other)
    with pytest.raises(FeedbackError, match=f"limit is {MAX_COMMENT_CHARS:,}"):
        _give(
            state, answer.answer_id, Rating.down, category=FeedbackCategory.other,
            comment="x" * (MAX_COMMENT_CHARS + 1),
        )  # fmt: skip
    assert feedback_report(state) == []


def test_only_answers_the_user_was_given_can_be_rated(state: AppState) -> None:
    answer = _answer()
    record_answer(state, answer, "ana", NOW)
    with pytest.raises(UnknownAnswerError, match="No answer given to bob"):
        _give(state, answer.answer_id, Rating.up, user="bob")
    with pytest.raises(UnknownAnswerError):
        _give(state, "no-such-answer", Rating.up)
    assert _give(state, answer.answer_id, Rating.up, user="root", any_answer=True).user == "root"


def test_a_later_rating_replaces_the_users_earlier_one(state: AppState) -> None:
    answer = _answer()
    record_answer(state, answer, "ana", NOW)
    first = _give(state, answer.answer_id, Rating.up)
    later = _give(
        state, answer.answer_id, Rating.down, category=FeedbackCategory.inaccurate,
        now=NOW + timedelta(minutes=1),
    )  # fmt: skip
    [report] = feedback_report(state)
    assert later.id == first.id == report.id
    assert (report.rating, report.at) == (Rating.down, NOW + timedelta(minutes=1))


def test_an_answer_known_only_to_the_audit_trail_is_reported_from_it(state: AppState) -> None:
    record_event(
        state,
        AuditEvent(at=NOW, user="ana", action="ask", prompt="who is bob?", answer_id="a1",
                   status="notFound"),
    )  # fmt: skip
    _give(state, "a1", Rating.down, category=FeedbackCategory.other, comment="bob exists")
    [report] = feedback_report(state)
    assert (report.prompt, report.status, report.intent, report.cited) == (
        "who is bob?",
        "notFound",
        None,
        [],
    )
