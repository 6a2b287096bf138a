"""A KQL query run in a Log Analytics workspace (Microsoft Sentinel's), through the Query API.

`POST {base}/v1/workspaces/{workspaceId}/query` with `{"query", "timespan"}` and a bearer token
for `{base}/.default`; the answer is `{"tables": [{"name", "columns": [{"name", "type"}],
"rows"}]}`, the first table (`PrimaryResult`) holding the rows. A query that ran only in part
answers 200 with an `error` whose code is `PartialError`: the rows come back, marked partial.
A workspace with no data answers 204. The Sentinel tables idpilot maps locally (`SigninLogs`,
`AuditLogs`, ...) carry the same names there, so a query that runs locally runs here unchanged.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import orjson

from idpilot.kql.remote.errors import RemoteErrorKind, RemoteQueryError
from idpilot.kql.remote.result import RemoteResult, build_result
from idpilot.kql.remote.service_errors import ServiceError
from idpilot.kql.remote.transport import Endpoint, Exchange, RequestPolicy, post_query
from idpilot.sync.auth import TokenSource

DEFAULT_URL = "https://api.loganalytics.io"
READER_ROLE = "Log Analytics Reader role (or Reader) on the workspace"
PRIMARY_TABLE = "PrimaryResult"
_WORKSPACE_ID = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


def query_scope(base_url: str) -> str:
    """The token scope of the Log Analytics API at `base_url`."""
    return f"{base_url.rstrip('/')}/.default"


def workspace_endpoint(base_url: str, workspace: str, server_wait_seconds: int) -> Endpoint:
    """The query endpoint of `workspace`, asking the service to wait up to the given seconds."""
    if not _WORKSPACE_ID.match(workspace):
        raise RemoteQueryError(
            f"{workspace!r} is not a workspace id: use the Workspace ID (a GUID) from the "
            "workspace's Overview page",
            kind=RemoteErrorKind.not_configured,
        )
    url = f"{base_url.rstrip('/')}/v1/workspaces/{quote(workspace, safe='')}/query"
    return Endpoint(
        url=url,
        name=f"Log Analytics workspace {workspace}",
        reader_role=READER_ROLE,
        url_setting="IDPILOT_LOG_ANALYTICS_URL",
        headers={"Prefer": f"wait={server_wait_seconds}"},
    )


def query_workspace(
    endpoint: Endpoint,
    query: str,
    token: TokenSource,
    *,
    timespan: str | None = None,
    limit: int | None = None,
    policy: RequestPolicy | None = None,
) -> RemoteResult:
    """Run `query` unchanged in the workspace and return its first table's rows."""
    body: dict[str, Any] = {"query": query}
    if timespan:
        body["timespan"] = timespan
    exchange = Exchange()
    response = post_query(endpoint, body, token, policy, exchange)
    if response.status_code == 204:  # the documented answer of a workspace with no data
        empty = build_result(endpoint.name, [], [], [], limit, dynamic_as_text=True)
        notes = ["the workspace holds no data"]
        return RemoteResult(empty, endpoint.name, notes=notes, exchange=exchange)
    return read_response(endpoint.name, response.content, limit, exchange)


def read_response(
    source: str, content: bytes, limit: int | None, exchange: Exchange | None = None
) -> RemoteResult:
    """A Query API response body as a RemoteResult (its first table; a PartialError noted)."""
    try:
        document = orjson.loads(content)
    except orjson.JSONDecodeError:
        document = None
    tables = document.get("tables") if isinstance(document, dict) else None
    if not isinstance(tables, list) or not tables or not isinstance(tables[0], dict):
        raise RemoteQueryError(
            f"{source} sent a response with no result table", kind=RemoteErrorKind.failed
        )
    named = [t for t in tables if isinstance(t, dict) and t.get("name") == PRIMARY_TABLE]
    table = named[0] if named else tables[0]
    columns = table.get("columns")
    rows = table.get("rows")
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise RemoteQueryError(
            f"{source} sent a table without columns or rows", kind=RemoteErrorKind.failed
        )
    names = [str(c.get("name", "")) if isinstance(c, dict) else "" for c in columns]
    types = [str(c.get("type", "string")) if isinstance(c, dict) else "string" for c in columns]
    result = build_result(source, names, types, rows, limit, dynamic_as_text=True)
    partial = ServiceError.of_json(document) if "error" in document else None
    notes = []
    if len(tables) > 1:
        notes.append(f"the query returned {len(tables)} tables; shown: {table.get('name')}")
    return RemoteResult(
        result,
        source,
        partial=partial.describe() if partial else None,
        notes=notes,
        exchange=exchange or Exchange(),
    )
