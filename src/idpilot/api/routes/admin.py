"""Administration (admins): tokens, usage per user and day, the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from idpilot.api.auth import Caller, access, config_of, route_access
from idpilot.api.context import audit
from idpilot.api.models import AuditRow, TokenCreated, TokenInfo, TokenRequest, UsageRow
from idpilot.state.roles import Role
from idpilot.state.tokens import (
    TokenRecord,
    issue_token,
    list_tokens,
    parse_duration,
    revoke_token,
)

router = APIRouter(tags=["admin"])
Admin = Annotated[Caller, Depends(access(Role.admin))]
ADMIN = route_access(Role.admin)
MAX_LISTED = 1_000


def token_info(record: TokenRecord, now: datetime) -> TokenInfo:
    """A token as the API lists it (no secret)."""
    return TokenInfo(
        id=record.id,
        user=record.user,
        role=record.role,
        created_at=record.created_at,
        expires_at=record.expires_at,
        revoked_at=record.revoked_at,
        state=record.state_at(now),
    )


@router.get("/api/tokens", openapi_extra=ADMIN)
def tokens(request: Request, caller: Admin) -> list[TokenInfo]:
    """Every token, oldest first, without secrets."""
    config = config_of(request)
    with config.app_state() as state:
        records = list_tokens(state)
    now = config.clock()
    return [token_info(record, now) for record in records]


@router.post("/api/tokens", status_code=201, openapi_extra=ADMIN)
def create_token(request: Request, caller: Admin, body: TokenRequest) -> TokenCreated:
    """Create a token; its secret is in this response only (stored as a hash)."""
    config = config_of(request)
    now = config.clock()
    expires = parse_duration(body.expires) if body.expires else None
    with config.app_state() as state:
        issued = issue_token(state, body.user, body.role, expires, now)
    audit(config, caller, "token_create", prompt=f"{issued.record.id} {body.role.value}")
    info = token_info(issued.record, now)
    return TokenCreated(**info.model_dump(), secret=issued.secret)


@router.delete("/api/tokens/{token_id}", openapi_extra=ADMIN)
def delete_token(request: Request, caller: Admin, token_id: str) -> TokenInfo:
    """Revoke a token: it is refused from now on (it stays listed, revoked)."""
    config = config_of(request)
    now = config.clock()
    with config.app_state() as state:
        record = revoke_token(state, token_id, now)
    audit(config, caller, "token_revoke", prompt=record.id)
    return token_info(record, now)


@router.get("/api/usage", openapi_extra=ADMIN)
def usage(request: Request, caller: Admin, since: date | None = None) -> list[UsageRow]:
    """Units used per user and UTC day, newest day first."""
    with config_of(request).app_state() as state:
        rows = state.usage(since)
    return [UsageRow(user=r["user_name"], day=r["day"], units=r["units"]) for r in rows]


@router.get("/api/audit", openapi_extra=ADMIN)
def audit_trail(
    request: Request,
    caller: Admin,
    limit: Annotated[int, Query(ge=1, le=MAX_LISTED)] = 100,
) -> list[AuditRow]:
    """The newest events of the audit trail: who asked what, which answer, which proposal."""
    with config_of(request).app_state() as state:
        rows = state.audit_events(limit)
    return [
        AuditRow(
            **{k: v for k, v in row.items() if k not in ("user_name", "occurred_at")},
            user=row["user_name"],
            at=row["occurred_at"],
        )
        for row in rows
    ]
