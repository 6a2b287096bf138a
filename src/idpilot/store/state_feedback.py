"""The app state's feedback on answers, and the answers it is about. SQL only; the typed
layer above it is `idpilot.state.feedback`."""

from __future__ import annotations

from typing import Any

from idpilot.store.app_state import _WRITES, AppState

_FEEDBACK_WITH_ANSWER = """
SELECT f.id, f.answer_id, f.user_name, f.rating, f.category, f.comment, f.given_at,
       coalesce(a.prompt, t.prompt) AS prompt, a.intent, a.skill,
       coalesce(a.status, t.status) AS status, coalesce(a.cited_ids, []) AS cited_ids,
       a.session_id
  FROM feedback f
  LEFT JOIN answers a ON a.id = f.answer_id
  LEFT JOIN (SELECT answer_id, arg_min(prompt, occurred_at) AS prompt,
                    arg_min(status, occurred_at) AS status
               FROM audit_events WHERE answer_id IS NOT NULL GROUP BY answer_id) t
    ON t.answer_id = f.answer_id
 ORDER BY f.given_at DESC, f.id DESC
"""


def put_feedback(state: AppState, row: dict[str, Any]) -> dict[str, Any]:
    """Record a user's feedback on an answer (replacing theirs on that answer, if any); the
    row as kept (its id is the first one's when it replaced one)."""
    with _WRITES:
        state.con.execute(
            "INSERT INTO feedback VALUES ($id, $answer_id, $user_name, $rating, $category, "
            "$comment, $given_at) ON CONFLICT (answer_id, user_name) DO UPDATE SET "
            "rating = excluded.rating, category = excluded.category, "
            "comment = excluded.comment, given_at = excluded.given_at",
            row,
        )
        cursor = state.con.execute(
            "SELECT id, answer_id, user_name, rating, category, comment, given_at FROM feedback "
            "WHERE answer_id = ? AND user_name = ?",
            [row["answer_id"], row["user_name"]],
        )
        names = [column[0] for column in cursor.description]
        found = cursor.fetchone()
    assert found is not None
    return dict(zip(names, found, strict=True))


def feedback_with_answers(state: AppState, limit: int | None = None) -> list[dict[str, Any]]:
    """Every feedback (the newest `limit`), newest first, with its answer's prompt, intent,
    skill, status and cited ids (prompt and status from the audit trail for an answer not
    kept)."""
    cursor = state.con.execute(
        _FEEDBACK_WITH_ANSWER + ("LIMIT ?" if limit is not None else ""),
        [limit] if limit is not None else [],
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
