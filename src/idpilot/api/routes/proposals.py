"""Remediation proposals (operators): the exact Graph request, prepared and recorded, never
sent. `POST /api/proposals` prepares one for a user; `GET /api/proposals` lists them."""

from __future__ import annotations

import uuid
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Query, Request

from idpilot.actions import (
    Proposal,
    ProposalKind,
    confirm_compromised,
    disable_account,
    dismiss_risk,
    require_password_reset,
    revoke_sessions,
)
from idpilot.api.auth import Caller, access, config_of, route_access
from idpilot.api.context import audit, tenant_store
from idpilot.api.errors import ApiError
from idpilot.api.models import ProposalRecord, ProposalRequest
from idpilot.copilot.inert import inert_text
from idpilot.model.records import Record
from idpilot.skills.resolve import resolve
from idpilot.state.roles import Role

router = APIRouter(tags=["proposals"])
UNITS = 1
Operator = Annotated[Caller, Depends(access(Role.operator, UNITS))]
OperatorReads = Annotated[Caller, Depends(access(Role.operator))]
MAX_LISTED = 200

_FOR_A_USER = {
    ProposalKind.confirm_compromised: lambda user, reason: confirm_compromised([user], reason),
    ProposalKind.dismiss_risk: lambda user, reason: dismiss_risk([user], reason),
    ProposalKind.revoke_sessions: revoke_sessions,
    ProposalKind.require_password_reset: require_password_reset,
    ProposalKind.disable_account: disable_account,
}


@router.post("/api/proposals", status_code=201, openapi_extra=route_access(Role.operator, UNITS))
def create_proposal(request: Request, caller: Operator, body: ProposalRequest) -> ProposalRecord:
    """Prepare a remediation for a user (confirm compromised, dismiss risk, revoke sessions,
    require a password change, disable the account): recorded with its author, never run."""
    build = _FOR_A_USER.get(body.kind)
    if build is None:
        kinds = ", ".join(kind.value for kind in _FOR_A_USER)
        raise ApiError(422, "invalid_request", f"kind: for a user, one of {kinds}")
    config = config_of(request)
    with tenant_store(config) as store:
        found = resolve(store, body.user, "user")
    if found.match is None:
        if found.candidates:
            names = "; ".join(inert_text(c.label) for c in found.candidates[:10])
            raise ApiError(422, "ambiguous", f"Several users match: {names}. Give an id or UPN.")
        raise ApiError(404, "not_found", "No user of the tenant matches that name or id.")
    target = Record(kind="user", id=found.match.id, label=found.match.label)
    proposal: Proposal = build(target, body.reason)
    now = config.clock()
    record = ProposalRecord(
        id=uuid.uuid4().hex,
        created_at=now,
        user=caller.user,
        proposal=proposal.as_fact(),
    )
    with config.app_state() as state:
        state.add_proposal(
            record.id, now, caller.user, body.kind.value, orjson.dumps(record.proposal).decode()
        )
    audit(config, caller, "proposal", prompt=body.kind.value, proposal_id=record.id, status="ok")
    return record


@router.get("/api/proposals", openapi_extra=route_access(Role.operator))
def list_proposals(
    request: Request,
    caller: OperatorReads,
    limit: Annotated[int, Query(ge=1, le=MAX_LISTED)] = 50,
) -> list[ProposalRecord]:
    """The proposals prepared so far, newest first."""
    with config_of(request).app_state() as state:
        rows = state.proposals(limit)
    return [
        ProposalRecord(
            id=row["id"],
            created_at=row["created_at"],
            user=row["user_name"],
            proposal=orjson.loads(row["proposal"]),
        )
        for row in rows
    ]
