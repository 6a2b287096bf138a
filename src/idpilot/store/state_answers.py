"""The app state's answers and chat sessions: every answer given, in its session's order.

SQL only; the typed layer above it is `idpilot.state.sessions`. An answer's row keeps the
Answer itself (JSON) and, in a session, what the session remembers of it for follow-ups.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.store.app_state import _WRITES, AppState

_SESSION_COLUMNS = (
    "s.id, s.user_name, s.created_at, s.title, count(a.id) AS turns, "
    "max(a.asked_at) AS last_asked_at"
)
_ANSWER_COLUMNS = (
    "id, session_id, turn, asked_at, user_name, prompt, status, intent, skill, cited_ids, "
    "evidence_ids, latency_ms, total_tokens"
)


def _dicts(state: AppState, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = state.con.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def add_session(
    state: AppState, session_id: str, user: str, created: datetime, title: str | None
) -> None:
    """Record a new chat session of `user`."""
    with _WRITES:
        state.con.execute(
            "INSERT INTO chat_sessions VALUES (?, ?, ?, ?)", [session_id, user, created, title]
        )


def session_row(state: AppState, session_id: str) -> dict[str, Any] | None:
    """The session `session_id` with its number of turns and last question time, or None."""
    rows = _dicts(
        state,
        f"SELECT {_SESSION_COLUMNS} FROM chat_sessions s LEFT JOIN answers a "
        "ON a.session_id = s.id WHERE s.id = ? GROUP BY s.id, s.user_name, s.created_at, s.title",
        [session_id],
    )
    return rows[0] if rows else None


def session_rows(state: AppState, user: str | None, limit: int) -> list[dict[str, Any]]:
    """The sessions of `user` (every user's when None), the most recently used first."""
    return _dicts(
        state,
        f"SELECT {_SESSION_COLUMNS} FROM chat_sessions s LEFT JOIN answers a "
        "ON a.session_id = s.id WHERE ? IS NULL OR s.user_name = ? "
        "GROUP BY s.id, s.user_name, s.created_at, s.title "
        "ORDER BY coalesce(last_asked_at, s.created_at) DESC, s.id LIMIT ?",
        [user, user, limit],
    )


def add_answer(state: AppState, row: dict[str, Any]) -> int | None:
    """Record an answer (`row` keyed by column; `answer` and `memory` as JSON text); in a
    session it becomes the next turn, whose number is returned."""
    with _WRITES:
        turn = None
        if row["session_id"] is not None:
            found = state.con.execute(
                "SELECT coalesce(max(turn), 0) + 1 FROM answers WHERE session_id = ?",
                [row["session_id"]],
            ).fetchone()
            turn = int(found[0]) if found else 1
        state.con.execute(
            "INSERT INTO answers (id, session_id, turn, asked_at, user_name, prompt, status, "
            "intent, skill, cited_ids, evidence_ids, latency_ms, total_tokens, answer, memory) "
            "VALUES ($id, $session_id, $turn, $asked_at, $user_name, $prompt, $status, $intent, "
            "$skill, $cited_ids, $evidence_ids, $latency_ms, $total_tokens, $answer, $memory)",
            {**row, "turn": turn},
        )
        return turn


def session_answers(state: AppState, session_id: str) -> list[dict[str, Any]]:
    """A session's answers in order, each with the Answer as JSON text (`answer`)."""
    return _dicts(
        state,
        f"SELECT {_ANSWER_COLUMNS}, answer::VARCHAR AS answer FROM answers "
        "WHERE session_id = ? ORDER BY turn",
        [session_id],
    )


def session_memory(state: AppState, session_id: str, last: int) -> list[str]:
    """What the session remembers of its `last` turns (JSON text each), oldest first."""
    rows = state.con.execute(
        "SELECT memory::VARCHAR FROM (SELECT memory, turn FROM answers WHERE session_id = ? "
        "AND memory IS NOT NULL ORDER BY turn DESC LIMIT ?) ORDER BY turn",
        [session_id, last],
    ).fetchall()
    return [row[0] for row in rows]


def answer_owner(state: AppState, answer_id: str) -> str | None:
    """Who was given the answer `answer_id` (the answers kept, else the audit trail), or None
    when no answer has that id."""
    row = state.con.execute(
        "SELECT user_name FROM answers WHERE id = ? UNION ALL "
        "(SELECT user_name FROM audit_events WHERE answer_id = ? ORDER BY occurred_at LIMIT 1) "
        "LIMIT 1",
        [answer_id, answer_id],
    ).fetchone()
    return str(row[0]) if row else None
