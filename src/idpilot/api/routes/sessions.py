"""Chat sessions: begin one, list yours, read one's history. Ask within one with
`POST /api/ask` and its `session_id`. A user sees their own sessions; an admin anyone's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from idpilot.api.auth import Caller, access, config_of, route_access
from idpilot.api.errors import ApiError
from idpilot.api.models import SessionRequest
from idpilot.state.roles import Role
from idpilot.state.sessions import (
    ChatSession,
    SessionHistory,
    history,
    session_of,
    sessions,
    start_session,
)

router = APIRouter(tags=["sessions"])
Reader = Annotated[Caller, Depends(access(Role.reader))]
READER = route_access(Role.reader)
MAX_LISTED = 500


@router.post("/api/sessions", status_code=201, openapi_extra=READER)
def new_session(
    request: Request, caller: Reader, body: SessionRequest | None = None
) -> ChatSession:
    """Begin a session (optionally titled); ask in it with `POST /api/ask` and its id."""
    config = config_of(request)
    with config.app_state() as state:
        return start_session(state, caller.user, config.clock(), body.title if body else None)


@router.get("/api/sessions", openapi_extra=READER)
def list_sessions(
    request: Request,
    caller: Reader,
    everyone: Annotated[
        bool, Query(alias="all", description="Every user's sessions (admins only).")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LISTED)] = 50,
) -> list[ChatSession]:
    """Your sessions, the most recently used first (`?all=true`: everyone's, for admins)."""
    if everyone and caller.role is not Role.admin:
        raise ApiError(
            403, "forbidden", "Listing every user's sessions (all=true) needs the admin role."
        )
    with config_of(request).app_state() as state:
        return sessions(state, None if everyone else caller.user, limit)


@router.get("/api/sessions/{session_id}", openapi_extra=READER)
def session_history(request: Request, caller: Reader, session_id: str) -> SessionHistory:
    """A session and its turns in order: each prompt, its Answer (with the plan and steps in
    its trace), the cited and evidence ids, the latency and the tokens."""
    with config_of(request).app_state() as state:
        chat = session_of(state, session_id, caller.user, any_user=caller.role is Role.admin)
        return history(state, chat)
