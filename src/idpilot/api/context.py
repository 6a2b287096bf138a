"""What a request works with: the tenant store (the published version, kept open until an
ingest publishes a new one), the copilot, and the audit trail."""

from __future__ import annotations

from contextlib import AbstractContextManager

from idpilot.api.auth import Caller
from idpilot.api.config import ServerConfig
from idpilot.copilot.answer import Answer
from idpilot.copilot.engine import Copilot
from idpilot.copilot.session import Session
from idpilot.settings import get_setting
from idpilot.state.audit import AuditEvent, record_event
from idpilot.state.capacity import settle as settle_units
from idpilot.state.sessions import record_answer, resume, session_of
from idpilot.store import Store


def tenant_store(config: ServerConfig) -> AbstractContextManager[Store]:
    """The tenant store's published version, read-only, for one request (it must hold
    records): a cursor of its own on the version the server keeps open."""
    return config.tenant.reading()


def copilot_for(store: Store, config: ServerConfig) -> Copilot:
    """The copilot over `store`, with the configured model unless the server is offline."""
    model = None
    if config.use_model and get_setting("llm_base_url").strip():
        from idpilot.llm.client import model_from_settings

        model = model_from_settings()
    return Copilot(store, model=model, max_prompt_chars=config.max_prompt_chars)


def audit(
    config: ServerConfig,
    caller: Caller,
    action: str,
    *,
    prompt: str | None = None,
    answer_id: str | None = None,
    proposal_id: str | None = None,
    status: str | None = None,
) -> None:
    """Write what the caller did to the audit trail."""
    event = AuditEvent(
        at=config.clock(),
        user=caller.user,
        token_id=caller.token_id,
        role=caller.role.value,
        action=action,
        prompt=prompt,
        answer_id=answer_id,
        proposal_id=proposal_id,
        status=status,
    )
    with config.app_state() as state:
        record_event(state, event)


def conversation(config: ServerConfig, caller: Caller, session_id: str | None) -> Session | None:
    """The caller's session `session_id` as the copilot continues it (None for no session;
    UnknownSessionError for one that is not theirs: a session is asked in by its owner only)."""
    if session_id is None:
        return None
    with config.app_state() as state:
        return resume(state, session_of(state, session_id, caller.user))


def keep_answer(
    config: ServerConfig,
    caller: Caller,
    action: str,
    answer: Answer,
    *,
    prompt: str | None = None,
    session: Session | None = None,
    settle: bool = False,
) -> None:
    """Write the answer to the audit trail and keep it (in the caller's session when asked in
    one, with what the session remembers of it), so feedback can name it and the session's
    history shows it; with `settle`, also charge what the answer cost beyond its prompt units
    (its skills, its model tokens) to the caller's day, the same ledger and costs as the CLI.
    One transaction: all of it is written, or none."""
    event = AuditEvent(
        at=config.clock(),
        user=caller.user,
        token_id=caller.token_id,
        role=caller.role.value,
        action=action,
        prompt=answer.prompt if prompt is None else prompt,
        answer_id=answer.answer_id,
        status=answer.status.value,
    )
    with config.app_state() as state, state.writing():
        if settle:
            settle_units(state, caller.user, answer.trace, event.at)
        record_event(state, event)
        record_answer(
            state,
            answer,
            caller.user,
            event.at,
            session_id=session.id if session is not None else None,
            memory=session.last_turn() if session is not None else None,
        )
