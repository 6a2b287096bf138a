"""Conversations kept in the app state: every answer given (the API's and `idpilot chat`'s),
and chat sessions whose follow-ups ("he", "and yesterday?") work across requests."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from idpilot.copilot.answer import Answer
from idpilot.copilot.session import MAX_TURNS_KEPT, Session, Turn, remembered_turn, turn_document
from idpilot.errors import IdpilotError
from idpilot.state.audit import MAX_PROMPT_KEPT
from idpilot.store.app_state import AppState
from idpilot.store.state_answers import (
    add_answer,
    add_session,
    session_answers,
    session_memory,
    session_row,
    session_rows,
)

MAX_TITLE_CHARS = 200
MAX_SESSION_ID_CHARS = 64


class UnknownSessionError(IdpilotError):
    """No session of the user has that id."""


class ChatSession(BaseModel):
    """A conversation: whose it is, when it began, how many turns it has had."""

    id: str
    user: str
    created_at: datetime
    title: str | None = None
    turns: int = 0
    last_asked_at: datetime | None = None


class TurnRecord(BaseModel):
    """One answered prompt of a session: the prompt, how it was answered (intent, skill,
    status), the evidence it cited, its latency and tokens, and the Answer (with its trace)."""

    turn: int
    at: datetime
    prompt: str
    status: str
    intent: str | None = None
    skill: str | None = None
    cited: list[str] = Field(default_factory=list)
    evidence_ids: list[str] = Field(default_factory=list)
    latency_ms: float = 0.0
    total_tokens: int = 0
    answer: Answer


class SessionHistory(ChatSession):
    """A session with its turns, oldest first."""

    history: list[TurnRecord] = Field(default_factory=list)


def start_session(
    state: AppState,
    user: str,
    now: datetime,
    title: str | None = None,
    *,
    session_id: str | None = None,
) -> ChatSession:
    """Begin a session for `user` (a title is optional, cut to MAX_TITLE_CHARS; the id is new
    unless `session_id`, a copilot Session's own, is given)."""
    kept = " ".join((title or "").split())[:MAX_TITLE_CHARS] or None
    chat = ChatSession(id=session_id or uuid.uuid4().hex, user=user, created_at=now, title=kept)
    add_session(state, chat.id, user, now, kept)
    return chat


def session_of(
    state: AppState, session_id: str, user: str, *, any_user: bool = False
) -> ChatSession:
    """The session `session_id` if it is `user`'s (anyone's with `any_user`, for admins);
    UnknownSessionError otherwise (another user's session is not said to exist)."""
    wanted = session_id.strip()
    row = session_row(state, wanted) if 0 < len(wanted) <= MAX_SESSION_ID_CHARS else None
    if row is None or (row["user_name"] != user and not any_user):
        raise UnknownSessionError(
            f"No session of {user} has the id {wanted[:MAX_SESSION_ID_CHARS]!r} "
            "(GET /api/sessions lists yours; /history in `idpilot chat` shows the current one's)."
        )
    return _session(row)


def sessions(state: AppState, user: str | None, limit: int) -> list[ChatSession]:
    """The sessions of `user` (everyone's when None), the most recently used first."""
    return [_session(row) for row in session_rows(state, user, limit)]


def resume(state: AppState, chat: ChatSession) -> Session:
    """The copilot session `chat` continues: what its last turns were about."""
    turns = [remembered_turn(text) for text in session_memory(state, chat.id, MAX_TURNS_KEPT)]
    return Session.resume(chat.id, turns)


def history(state: AppState, chat: ChatSession) -> SessionHistory:
    """The session and its turns, oldest first."""
    turns = [
        TurnRecord(
            turn=row["turn"],
            at=row["asked_at"],
            prompt=row["prompt"],
            status=row["status"],
            intent=row["intent"],
            skill=row["skill"],
            cited=row["cited_ids"],
            evidence_ids=row["evidence_ids"],
            latency_ms=row["latency_ms"],
            total_tokens=row["total_tokens"],
            answer=Answer.model_validate_json(row["answer"]),
        )
        for row in session_answers(state, chat.id)
    ]
    return SessionHistory(**chat.model_dump(), history=turns)


def record_answer(
    state: AppState,
    answer: Answer,
    user: str,
    now: datetime,
    *,
    session_id: str | None = None,
    memory: Turn | None = None,
) -> int | None:
    """Keep an answer given to `user` (so feedback can name it and say what it was about);
    in a session, as its next turn with what the session remembers of it (`memory`), and
    the turn's number is returned."""
    skills = [call.name for call in answer.skills] or [call.name for call in answer.trace.plan]
    return add_answer(
        state,
        {
            "id": answer.answer_id,
            "session_id": session_id,
            "asked_at": now,
            "user_name": user,
            "prompt": answer.prompt[:MAX_PROMPT_KEPT],
            "status": answer.status.value,
            "intent": answer.trace.intent,
            "skill": skills[0] if skills else None,
            "cited_ids": [f"{c.kind}:{c.id}" for c in answer.citations],
            "evidence_ids": [f"{r.kind}:{r.id}" for r in answer.evidence],
            "latency_ms": answer.elapsed_ms,
            "total_tokens": answer.trace.total_tokens,
            "answer": answer.model_dump_json(),
            "memory": turn_document(memory).decode() if memory is not None else None,
        },
    )


def _session(row: dict[str, object]) -> ChatSession:
    return ChatSession(
        id=str(row["id"]),
        user=str(row["user_name"]),
        created_at=row["created_at"],  # type: ignore[arg-type]
        title=row["title"],  # type: ignore[arg-type]
        turns=int(row["turns"]),  # type: ignore[call-overload]
        last_asked_at=row["last_asked_at"],  # type: ignore[arg-type]
    )
