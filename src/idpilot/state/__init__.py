"""App state that is not tenant data: API tokens and roles, usage quotas, the audit trail.

It lives in its own DuckDB file beside the tenant store (`paths.state_path`), which every
ingest replaces; the SQL is in `idpilot.store.app_state`, with its own migrations.
"""

from idpilot.state.audit import AuditEvent, record_event
from idpilot.state.paths import state_path
from idpilot.state.quota import QuotaExceededError, charge, next_capacity
from idpilot.state.roles import Role
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
    "IssuedToken",
    "QuotaExceededError",
    "Role",
    "TokenError",
    "TokenRecord",
    "authenticate",
    "charge",
    "issue_token",
    "list_tokens",
    "next_capacity",
    "parse_duration",
    "record_event",
    "revoke_token",
    "state_path",
]
