"""`POST /api/kql/remote`: a KQL query sent unchanged to the server's Log Analytics workspace or
Azure Data Explorer database, signed in as the server (admin only: the server's identity may read
every table of the workspace, not only the seven the local views hold)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from idpilot.api.auth import Caller, access, config_of, route_access
from idpilot.api.context import audit
from idpilot.api.models import RemoteKqlRequest, RemoteKqlResponse
from idpilot.errors import IdpilotError
from idpilot.kql.remote.errors import RemoteErrorKind, RemoteQueryError
from idpilot.kql.remote.services import RemoteService
from idpilot.settings import get_setting
from idpilot.state.roles import Role
from idpilot.sync.auth import AuthMode

router = APIRouter(tags=["tenant"])
UNITS = 1
Admin = Annotated[Caller, Depends(access(Role.admin, UNITS))]
ADMIN = route_access(Role.admin, UNITS)
# A server cannot show a device code or open a browser: it signs in as an app or an identity.
SERVER_SIGN_INS = (AuthMode.secret, AuthMode.certificate, AuthMode.managed_identity)


@router.post("/api/kql/remote", openapi_extra=ADMIN)
def remote_kql(request: Request, caller: Admin, body: RemoteKqlRequest) -> RemoteKqlResponse:
    """Run a KQL query unchanged in the workspace or database the server's settings name
    (`IDPILOT_LOG_ANALYTICS_WORKSPACE`, `IDPILOT_DATA_EXPLORER_CLUSTER` and `_DATABASE`)."""
    config = config_of(request)
    try:
        rows = remote_rows(body.service, body.query, body.limit, body.timespan)
    except RemoteQueryError as error:
        audit(config, caller, "kql_remote", prompt=body.query, status=error.kind.value)
        raise
    audit(config, caller, "kql_remote", prompt=body.query, status="ok")
    return rows


def remote_rows(
    service: RemoteService, query: str, limit: int | None, timespan: str | None
) -> RemoteKqlResponse:
    """A query run unchanged where the server's settings say, signed in as the server (the
    REST route's and the MCP `kql` tool's; the caller checks the role and audits)."""
    try:  # httpx comes with the sync extra
        from idpilot.kql.remote.run import RemoteTarget, run_remote
    except ImportError as missing:
        raise IdpilotError(f"remote KQL needs pip install 'idpilot[sync]' ({missing})") from None
    target = RemoteTarget(service, timespan=timespan, auth=_server_sign_in())
    ran = run_remote(target, query, limit)
    result = ran.result
    return RemoteKqlResponse(
        columns=result.columns,
        types=result.types,
        rows=result.records(),
        row_count=result.row_count,
        truncated=result.truncated,
        ran_in=ran.source,
        partial=ran.partial,
    )


def _server_sign_in() -> AuthMode:
    """How the server signs in (`IDPILOT_REMOTE_AUTH`)."""
    value = get_setting("remote_auth").strip()
    allowed = ", ".join(mode.value for mode in SERVER_SIGN_INS)
    try:
        mode = AuthMode(value)
    except ValueError:
        mode = None
    if mode not in SERVER_SIGN_INS:
        raise RemoteQueryError(
            f"IDPILOT_REMOTE_AUTH={value!r}: the server signs in with one of {allowed}",
            kind=RemoteErrorKind.not_configured,
        )
    return mode
