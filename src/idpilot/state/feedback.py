"""Feedback on answers: up, or down with a category and a comment, kept with the answer it
is about so an admin can see where idpilot is weak (`idpilot feedback export`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from idpilot.errors import IdpilotError
from idpilot.store.app_state import AppState
from idpilot.store.state_answers import answer_owner
from idpilot.store.state_feedback import feedback_with_answers, put_feedback

MAX_COMMENT_CHARS = 2_000
MAX_ANSWER_ID_CHARS = 64


class Rating(StrEnum):
    """Whether the answer helped."""

    up = "up"
    down = "down"


class FeedbackCategory(StrEnum):
    """What was wrong with an answer rated down."""

    inaccurate = "inaccurate"
    incomplete = "incomplete"
    unclear = "unclear"
    offensive = "offensive"
    other = "other"


CATEGORIES = ", ".join(category.value for category in FeedbackCategory)


class FeedbackError(IdpilotError):
    """Feedback that cannot be kept as given (the message names the field and the fix)."""


class UnknownAnswerError(IdpilotError):
    """No answer the user was given has that id."""


class Feedback(BaseModel):
    """One user's feedback on one answer (a later one from them replaces it)."""

    id: str
    answer_id: str
    user: str
    rating: Rating
    category: FeedbackCategory | None = None
    comment: str | None = None
    at: datetime


class FeedbackReport(Feedback):
    """Feedback with the answer it is about: the prompt, how it was read (intent), the skill
    that answered, the answer's status and the `kind:id` of the records it cited (prompt and
    status only, from the audit trail, for an answer whose details were not kept)."""

    prompt: str | None = None
    intent: str | None = None
    skill: str | None = None
    status: str | None = None
    cited: list[str] = Field(default_factory=list)
    session_id: str | None = None


def checked_feedback(
    rating: Rating, category: FeedbackCategory | None, comment: str | None
) -> tuple[FeedbackCategory | None, str | None]:
    """The category and comment as kept (a blank comment is none), or FeedbackError: a down
    rating needs a category, an up rating takes none, a comment has a length limit."""
    if rating is Rating.down and category is None:
        raise FeedbackError(
            f"category: a down rating needs a category, one of {CATEGORIES} "
            "(other, with a comment, when none fits)."
        )
    if rating is Rating.up and category is not None:
        raise FeedbackError(
            "category: only a down rating takes a category; leave it out (null) for up."
        )
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT_CHARS:
        raise FeedbackError(
            f"comment: {len(text):,} characters is too long; the limit is {MAX_COMMENT_CHARS:,}."
        )
    return category, text or None


def give_feedback(
    state: AppState,
    *,
    answer_id: str,
    user: str,
    rating: Rating,
    category: FeedbackCategory | None,
    comment: str | None,
    now: datetime,
    any_answer: bool = False,
) -> Feedback:
    """Keep `user`'s feedback on the answer `answer_id`, replacing theirs on it if any.

    The answer must be one `user` was given (any answer with `any_answer`, for admins):
    UnknownAnswerError otherwise, FeedbackError for feedback that is not valid.
    """
    category, comment = checked_feedback(rating, category, comment)
    wanted = answer_id.strip()
    owner = answer_owner(state, wanted) if 0 < len(wanted) <= MAX_ANSWER_ID_CHARS else None
    if owner is None or (owner != user and not any_answer):
        given = "" if any_answer else f" given to {user}"
        raise UnknownAnswerError(
            f"No answer{given} has the id {wanted[:MAX_ANSWER_ID_CHARS]!r} (an "
            "Answer's `answer_id`; `GET /api/sessions/{id}` or `/history` in `idpilot chat` "
            "shows them)."
        )
    row = put_feedback(
        state,
        {
            "id": uuid.uuid4().hex,
            "answer_id": wanted,
            "user_name": user,
            "rating": rating.value,
            "category": category.value if category else None,
            "comment": comment,
            "given_at": now,
        },
    )
    return Feedback(**_renamed(row))


def feedback_report(state: AppState, limit: int | None = None) -> list[FeedbackReport]:
    """Every feedback (the newest `limit`), newest first, with the answer it is about."""
    return [FeedbackReport(**_renamed(row)) for row in feedback_with_answers(state, limit)]


def _renamed(row: dict[str, object]) -> dict[str, object]:
    """A feedback row with the model's names for the state's columns."""
    renamed = {"user": "user_name", "at": "given_at", "cited": "cited_ids"}
    data = dict(row)
    for name, column in renamed.items():
        if column in data:
            data[name] = data.pop(column)
    return data
