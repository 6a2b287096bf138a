"""`POST /api/ask` (the Answer) and `POST /api/ask/stream` (the answer as server-sent events)."""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from idpilot.api.auth import Caller, access, config_of, route_access
from idpilot.api.config import ServerConfig
from idpilot.api.context import (
    audit,
    conversation,
    copilot_for,
    keep_answer,
    tenant_store,
)
from idpilot.api.errors import ApiError, error_document, from_idpilot_error, log
from idpilot.api.models import AskRequest
from idpilot.api.streaming import event, step_events
from idpilot.copilot.answer import Answer
from idpilot.copilot.progress import Planned, SkillRan
from idpilot.copilot.session import Session
from idpilot.errors import IdpilotError
from idpilot.state.costs import PROMPT_UNITS
from idpilot.state.roles import Role

router = APIRouter(tags=["ask"])
ASK_UNITS = PROMPT_UNITS
"""Charged before any work (429 when over the day's units); the answer's skills and model
tokens are settled after it (`idpilot.state.costs`)."""
Reader = Annotated[Caller, Depends(access(Role.reader, ASK_UNITS))]


def checked_question(request: Request, caller: Reader, body: AskRequest) -> AskRequest:
    """The question, refused with 413 and the limit when its prompt is too long (refusals
    are audited too)."""
    config = config_of(request)
    limit = config.max_prompt_chars
    length = len(body.prompt.strip())
    if length == 0:
        audit(config, caller, "ask", prompt=body.prompt, status="prompt")
        raise ApiError(400, "prompt", "The prompt is empty: ask a question about your tenant.")
    if length > limit:
        audit(config, caller, "ask", prompt=body.prompt, status="prompt_too_long")
        raise ApiError(
            413,
            "prompt_too_long",
            f"The prompt is {length:,} characters long; the limit is {limit:,} (setting "
            "IDPILOT_MAX_PROMPT_CHARS). Shorten it or split it into several questions.",
        )
    return body


Question = Annotated[AskRequest, Depends(checked_question)]


def asked_in(request: Request, caller: Reader, question: Question) -> Session | None:
    """The session the question is asked in, if any (an unknown one is audited, then 404,
    before any answer or stream begins)."""
    config = config_of(request)
    try:
        return conversation(config, caller, question.session_id)
    except IdpilotError as error:
        audit(config, caller, "ask", prompt=question.prompt, status=from_idpilot_error(error).code)
        raise


AskedIn = Annotated[Session | None, Depends(asked_in)]


@router.post("/api/ask", openapi_extra=route_access(Role.reader, ASK_UNITS))
def ask(request: Request, caller: Reader, question: Question, session: AskedIn) -> Answer:
    """Answer a question about the tenant: the Answer object, every fact cited. Within a
    session (`session_id`), follow-ups may point back at its earlier turns."""
    config = config_of(request)
    prompt = question.prompt
    try:
        answer = _answer(config, prompt, session)
    except IdpilotError as error:
        audit(config, caller, "ask", prompt=prompt, status=from_idpilot_error(error).code)
        raise
    keep_answer(config, caller, "ask", answer, prompt=prompt, session=session, settle=True)
    return answer


def _answer(config: ServerConfig, prompt: str, session: Session | None) -> Answer:
    """The Answer to `prompt`: kept from an earlier identical question about the same store
    version when it can be (no session, no model), else worked out (and kept)."""
    key = config.answers.key(config.store, prompt) if session is None else None
    if (kept := config.answers.get(key)) is not None:
        return kept
    with tenant_store(config) as store:
        copilot = copilot_for(store, config)
        answer = copilot.ask(prompt, session)
    if copilot.model is None and answer.status.value in ("ok", "empty", "notFound", "ambiguous"):
        config.answers.put(key, answer)
    return answer


@router.post(
    "/api/ask/stream",
    response_class=EventSourceResponse,
    openapi_extra=route_access(Role.reader, ASK_UNITS),
)
def ask_stream(
    request: Request, caller: Reader, question: Question, session: AskedIn
) -> Iterator[ServerSentEvent]:
    """Answer a question as server-sent events: `plan`, `skill`, `evidence`, `text` chunks,
    then `answer` (the Answer object); `error` (the error document) if it cannot be answered.
    Within a session (`session_id`), follow-ups may point back at its earlier turns."""
    config = config_of(request)
    yield from _stream(config, caller, question.prompt, session)


def _stream(
    config: ServerConfig, caller: Caller, prompt: str, session: Session | None
) -> Iterator[ServerSentEvent]:
    """The events of one answer as the engine reports its steps (the engine runs in a thread
    of its own and hands each step over); an error after the stream began is its last
    event."""
    try:
        for step in _steps(config, prompt, session):
            yield from step_events(step)
            if isinstance(step, Answer):
                keep_answer(
                    config, caller, "ask_stream", step, prompt=prompt, session=session, settle=True
                )
    except IdpilotError as error:
        mapped = from_idpilot_error(error)
        audit(config, caller, "ask_stream", prompt=prompt, status=mapped.code)
        yield event("error", error_document(mapped.code, mapped.message))
    except Exception:  # the response has begun: a 500 can only be said as an event
        reference = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s while streaming an answer", reference)
        message = f"An unexpected error occurred; the server log has the details ({reference})."
        yield event("error", error_document("internal", message))


_DONE = object()


def _steps(
    config: ServerConfig, prompt: str, session: Session | None
) -> Iterator[Planned | SkillRan | Answer]:
    """The engine's steps for `prompt` as they happen, then the Answer (its error re-raised)."""
    handed: queue.Queue[object] = queue.Queue()

    def answer() -> None:
        try:
            with tenant_store(config) as store:
                copilot = copilot_for(store, config)
                copilot.observer = handed.put
                handed.put(copilot.ask(prompt, session))
        except BaseException as error:  # handed to the stream, which reports it
            handed.put(error)
        finally:
            handed.put(_DONE)

    worker = threading.Thread(target=answer, name="idpilot-stream", daemon=True)
    worker.start()
    try:
        while (item := handed.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        worker.join()
