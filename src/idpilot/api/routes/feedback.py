"""Feedback on answers: `POST /api/feedback` (any reader, on an answer they were given),
`GET /api/feedback` (admins: every feedback with the answer it is about)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from idpilot.api.auth import Caller, access, config_of, route_access
from idpilot.api.context import audit
from idpilot.api.models import FeedbackRequest
from idpilot.state.feedback import Feedback, FeedbackReport, feedback_report, give_feedback
from idpilot.state.roles import Role

router = APIRouter(tags=["feedback"])
Reader = Annotated[Caller, Depends(access(Role.reader))]
Admin = Annotated[Caller, Depends(access(Role.admin))]
MAX_LISTED = 1_000


@router.post("/api/feedback", status_code=201, openapi_extra=route_access(Role.reader))
def add_feedback(request: Request, caller: Reader, body: FeedbackRequest) -> Feedback:
    """Rate an answer you were given: up, or down with a category (inaccurate, incomplete,
    unclear, offensive, other) and a comment; a later rating of the same answer replaces it."""
    config = config_of(request)
    with config.app_state() as state:
        kept = give_feedback(
            state,
            answer_id=body.answer_id,
            user=caller.user,
            rating=body.rating,
            category=body.category,
            comment=body.comment,
            now=config.clock(),
            any_answer=caller.role is Role.admin,
        )
    audit(config, caller, "feedback", answer_id=kept.answer_id, status=kept.rating.value)
    return kept


@router.get("/api/feedback", openapi_extra=route_access(Role.admin))
def list_feedback(
    request: Request,
    caller: Admin,
    limit: Annotated[int, Query(ge=1, le=MAX_LISTED)] = 100,
) -> list[FeedbackReport]:
    """The newest feedback, each with its answer's prompt, intent, skill, status and cited
    records: where idpilot is weak."""
    with config_of(request).app_state() as state:
        return feedback_report(state, limit)
