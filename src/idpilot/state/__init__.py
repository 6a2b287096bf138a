"""App state that is not tenant data: API tokens and roles, usage quotas, the audit trail,
the answers given and their sessions, feedback on answers.

It lives in its own DuckDB file beside the tenant store (`paths.state_path`), which every
ingest replaces; the SQL is in `idpilot.store.app_state`, with its own migrations.
"""

from idpilot.state.audit import AuditEvent, record_event
from idpilot.state.feedback import (
    Feedback,
    FeedbackCategory,
    FeedbackError,
    FeedbackReport,
    Rating,
    UnknownAnswerError,
    feedback_report,
    give_feedback,
)
from idpilot.state.paths import state_path
from idpilot.state.quota import QuotaExceededError, charge, next_capacity
from idpilot.state.roles import Role
from idpilot.state.sessions import (
    ChatSession,
    SessionHistory,
    TurnRecord,
    UnknownSessionError,
    history,
    record_answer,
    resume,
    session_of,
    sessions,
    start_session,
)
from idpilot.state.tokens import (
    IssuedToken,
    TokenError,
    TokenRecord,
    authenticate,
    issue_token,
    list_tokens,
    parse_duration,
    revoke_token,
)

__all__ = [
    "AuditEvent",
    "ChatSession",
    "Feedback",
    "FeedbackCategory",
    "FeedbackError",
    "FeedbackReport",
    "IssuedToken",
    "QuotaExceededError",
    "Rating",
    "Role",
    "SessionHistory",
    "TokenError",
    "TokenRecord",
    "TurnRecord",
    "UnknownAnswerError",
    "UnknownSessionError",
    "authenticate",
    "charge",
    "feedback_report",
    "give_feedback",
    "history",
    "issue_token",
    "list_tokens",
    "next_capacity",
    "parse_duration",
    "record_answer",
    "record_event",
    "resume",
    "revoke_token",
    "session_of",
    "sessions",
    "start_session",
    "state_path",
]
