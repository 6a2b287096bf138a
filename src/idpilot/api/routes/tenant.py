"""The tenant's data, each as the Answer the copilot composes or as records: what-if, KQL,
risky users and a user's risk summary, sign-ins with filters, posture."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ConfigDict

from idpilot.api.auth import Caller, access, config_of, route_access
from idpilot.api.config import ServerConfig
from idpilot.api.context import audit, copilot_for, keep_answer, tenant_store
from idpilot.api.errors import ApiError
from idpilot.api.models import KqlRequest, KqlResponse, SignInPage
from idpilot.api.responses import json_text
from idpilot.copilot.answer import Answer, published
from idpilot.kql.adapter import run_kql
from idpilot.model.records import Record
from idpilot.skills.builtin.ca_whatif import WhatIfInput
from idpilot.state.roles import Role
from idpilot.store.queries.sign_in_list import SignInFilter, sign_in_page

router = APIRouter(tags=["tenant"])
UNITS = 1
Reader = Annotated[Caller, Depends(access(Role.reader, UNITS))]
READER = route_access(Role.reader, UNITS)
MAX_PAGE = 500
DEFAULT_PAGE = 50
_LAST = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


class WhatIfRequest(WhatIfInput):
    """A hypothetical sign-in: exactly one of `user`, `role`, `population` or `someone`, and its
    conditions."""

    model_config = ConfigDict(extra="forbid")


class SignInStatus(StrEnum):
    """A sign-in's outcome: error code 0, or any other."""

    success = "success"
    failure = "failure"


def answer_of(
    config: ServerConfig, caller: Caller, action: str, skill: str, params: dict[str, Any]
) -> Answer:
    """Run one skill, compose its cited Answer, and write it to the audit trail."""
    asked = f"{action} {json_text(params)}"
    with tenant_store(config) as store:
        answer = copilot_for(store, config).answer_skill(skill, params, asked)
    keep_answer(config, caller, action, answer, prompt=asked, settle=True)
    return answer


@router.post("/api/whatif", openapi_extra=READER)
def whatif(request: Request, caller: Reader, body: WhatIfRequest) -> Answer:
    """Conditional Access What If: the policies that apply to a hypothetical sign-in of a user
    (or of a role's holders, or of everyone of a kind) and the outcome, each reason cited."""
    params = body.model_dump(mode="json", exclude_defaults=True)
    return answer_of(config_of(request), caller, "whatif", "ca_whatif", params)


@router.post("/api/kql", openapi_extra=READER)
def kql(request: Request, caller: Reader, body: KqlRequest) -> KqlResponse:
    """Run a read-only KQL query over the Log Analytics views, in the same sandbox as
    `idpilot kql` (now() and ago() are the snapshot time)."""
    config = config_of(request)
    with tenant_store(config) as store:
        result = run_kql(store, body.query, limit=body.limit)
    audit(config, caller, "kql", prompt=body.query, status="ok")
    return KqlResponse(
        columns=result.columns,
        types=result.types,
        rows=result.records(),
        row_count=result.row_count,
        truncated=result.truncated,
    )


@router.get("/api/risky-users", openapi_extra=READER)
def risky_users(
    request: Request,
    caller: Reader,
    level: Annotated[list[str] | None, Query(description="low, medium or high")] = None,
    include_closed: bool = False,
) -> Answer:
    """The risky users, most urgent first, each with a reason (the Answer of `risky_users`)."""
    wrong = [value for value in level or [] if value not in ("low", "medium", "high")]
    if wrong:
        raise ApiError(422, "invalid_request", "level: use low, medium or high")
    params: dict[str, Any] = {"include_closed": include_closed}
    if level:
        params["levels"] = level
    return answer_of(config_of(request), caller, "risky_users", "risky_users", params)


@router.get("/api/risky-users/{user}/summary", openapi_extra=READER)
def risk_summary(request: Request, caller: Reader, user: str) -> Answer:
    """One user's risk summarised: detections in plain language, what happened around them,
    what to do (the Answer of `risky_user_summary`)."""
    params = {"user": user}
    return answer_of(config_of(request), caller, "risk_summary", "risky_user_summary", params)


@router.get("/api/posture", openapi_extra=READER)
def posture(request: Request, caller: Reader) -> Answer:
    """The posture assessment: score, failed checks worst first with the affected objects,
    passed checks with what shows they pass (the Answer of `posture_assessment`)."""
    return answer_of(config_of(request), caller, "posture", "posture_assessment", {})


def _last(value: str | None) -> timedelta | None:
    if value is None:
        return None
    text = value.strip().lower()
    if len(text) < 2 or not text[:-1].isdigit() or text[-1] not in _LAST or int(text[:-1]) < 1:
        raise ApiError(422, "invalid_request", "last: a duration such as 24h, 7d or 2w")
    try:
        return int(text[:-1]) * _LAST[text[-1]]
    except OverflowError:
        raise ApiError(422, "invalid_request", "last: too long a duration") from None


@router.get("/api/sign-ins", openapi_extra=READER)
def sign_ins(
    request: Request,
    caller: Reader,
    user: Annotated[str | None, Query(description="Object id, UPN or display name.")] = None,
    app: Annotated[str | None, Query(description="appId or display name.")] = None,
    status: SignInStatus | None = None,
    error_code: Annotated[int | None, Query(ge=0)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    last: Annotated[
        str | None, Query(description="A window ending at the snapshot time: 24h, 7d, 2w.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SignInPage:
    """Sign-ins, newest first, filtered by user, app, outcome, error code and time window,
    a page at a time; each an evidence record `{kind: signIn, id, fields}`."""
    config = config_of(request)
    span = _last(last)
    with tenant_store(config) as store:
        start = since
        if span is not None:
            start = store.captured_at() - span
        where = SignInFilter(
            user=user,
            app=app,
            status=status.value if status else None,
            error_code=error_code,
            start=start,
            end=until,
        )
        rows, total = sign_in_page(store, where, limit, offset)
    items = [
        published(
            Record(
                kind="signIn",
                id=row["id"],
                label=f"{row['userPrincipalName'] or row['userId']} to "
                f"{row['appDisplayName'] or row['appId']}",
                fields={k: v for k, v in row.items() if k != "id"},
            )
        )
        for row in rows
    ]
    after = offset + len(rows)
    return SignInPage(
        items=items,
        total=total,
        limit=limit,
        offset=offset,
        next_offset=after if after < total else None,
    )
