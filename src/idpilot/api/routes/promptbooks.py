"""Promptbooks over the API: `GET /api/promptbooks` lists the built-ins, `POST
/api/promptbooks/{name}/run` runs one in a session of the caller's (each step kept as a turn)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from idpilot.api.auth import Caller, access, config_of, route_access
from idpilot.api.context import conversation, copilot_for, keep_answer, tenant_store
from idpilot.api.models import PromptbookInfo, PromptbookRunRequest
from idpilot.copilot.promptbooks import (
    PromptbookRun,
    StepRun,
    bind_parameters,
    builtin_promptbooks,
    find_promptbook,
    run_promptbook,
)
from idpilot.copilot.session import Session
from idpilot.state.quota import charge
from idpilot.state.roles import Role
from idpilot.state.sessions import start_session

router = APIRouter(tags=["promptbooks"])
STEP_UNITS = 1
Reader = Annotated[Caller, Depends(access(Role.reader))]
Runner = Annotated[Caller, Depends(access(Role.reader, STEP_UNITS))]


@router.get("/api/promptbooks", openapi_extra=route_access(Role.reader))
def promptbooks(caller: Reader) -> list[PromptbookInfo]:
    """The built-in promptbooks: parameters, and steps in order with their ids."""
    return [PromptbookInfo.of(book) for book in builtin_promptbooks()]


@router.post("/api/promptbooks/{name}/run", openapi_extra=route_access(Role.reader, STEP_UNITS))
def run(request: Request, caller: Runner, name: str, body: PromptbookRunRequest) -> PromptbookRun:
    """Run a built-in promptbook in a new session of yours (or in `session_id`, one of yours):
    each step's Answer, what it offered later steps, and why the run stopped, if it did. Each
    step costs one unit (the first is charged on entry, the rest before the run)."""
    config = config_of(request)
    book = find_promptbook(name)
    parameters = bind_parameters(book, body.parameters)
    session = conversation(config, caller, body.session_id)
    with config.app_state() as state:
        further = (len(book.steps) - 1) * STEP_UNITS
        if further:
            charge(state, caller.user, further, config.quota_units_per_day, config.clock())
        if session is None:
            begun = start_session(state, caller.user, config.clock(), book.title)
            session = Session(id=begun.id)
    asked_in = session

    def keep(step: StepRun) -> None:
        keep_answer(config, caller, "promptbook", step.answer, session=asked_in)

    with tenant_store(config) as store:
        return run_promptbook(copilot_for(store, config), book, parameters, session, each=keep)
