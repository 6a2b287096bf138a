"""The audit trail: every prompt, answer id and proposal with the caller who sent it."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from idpilot.store.app_state import AppState

MAX_PROMPT_KEPT = 20_000
"""Characters of a prompt or request the trail keeps (prompts are limited far below this)."""


class AuditEvent(BaseModel):
    """One thing a caller did: what (`action`), with which prompt, answer or proposal."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    at: datetime
    user: str
    token_id: str | None = None
    role: str | None = None
    action: str
    prompt: str | None = None
    answer_id: str | None = None
    proposal_id: str | None = None
    status: str | None = None


def record_event(state: AppState, event: AuditEvent) -> None:
    """Append `event` to the audit trail."""
    data = event.model_dump()
    data["user_name"] = data.pop("user")
    if data["prompt"] is not None:
        data["prompt"] = data["prompt"][:MAX_PROMPT_KEPT]
    state.add_audit(data)
