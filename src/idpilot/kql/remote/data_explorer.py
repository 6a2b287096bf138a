"""A KQL query run in an Azure Data Explorer database, through the REST API's v2 query endpoint.

`POST {cluster}/v2/rest/query` with `{"db", "csl"}` and a bearer token for `{cluster}/.default`
(sent with `x-ms-readonly`, so the request cannot change anything). The answer is a JSON array
of frames: `DataSetHeader` first, `DataSetCompletion` last, and between them one `DataTable`
per table (or, in progressive mode, `TableHeader`, `TableFragment`s appended or replacing, and
`TableCompletion`). The first table whose `TableKind` is `PrimaryResult` holds the rows; its
`dynamic` cells are JSON values. A query can fail after the 200 status line was sent: the
completion frame then says `HasErrors` with `OneApiErrors`, and a row may be such an error
object: what came is shown, marked partial, or the error is raised when no rows came.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from idpilot.kql.remote.errors import RemoteErrorKind, RemoteQueryError
from idpilot.kql.remote.result import RemoteResult, build_result
from idpilot.kql.remote.service_errors import ServiceError
from idpilot.kql.remote.transport import Endpoint, Exchange, RequestPolicy, post_query
from idpilot.sync.auth import TokenSource

READER_ROLE = "Database Viewer role on the database (or AllDatabasesViewer on the cluster)"
PRIMARY_KIND = "PrimaryResult"


def cluster_scope(cluster_url: str) -> str:
    """The token scope of the cluster at `cluster_url`."""
    return f"{cluster_url.rstrip('/')}/.default"


def database_endpoint(cluster_url: str, database: str) -> Endpoint:
    """The v2 query endpoint of `cluster_url`, for messages about `database`."""
    url = httpx.URL(cluster_url)
    if url.scheme not in ("https", "http") or not url.host:
        raise RemoteQueryError(
            f"{cluster_url!r} is not a cluster URL: use its URI, e.g. "
            "https://mycluster.westeurope.kusto.windows.net",
            kind=RemoteErrorKind.not_configured,
        )
    if not database.strip():
        raise RemoteQueryError(
            "name the database: --database or IDPILOT_DATA_EXPLORER_DATABASE",
            kind=RemoteErrorKind.not_configured,
        )
    return Endpoint(
        url=f"{cluster_url.rstrip('/')}/v2/rest/query",
        name=f"Azure Data Explorer database {database} on {url.host}",
        reader_role=READER_ROLE,
        url_setting="--cluster (IDPILOT_DATA_EXPLORER_CLUSTER)",
        headers={"x-ms-readonly": "true", "x-ms-app": "idpilot"},
    )


def query_database(
    endpoint: Endpoint,
    database: str,
    query: str,
    token: TokenSource,
    *,
    limit: int | None = None,
    policy: RequestPolicy | None = None,
) -> RemoteResult:
    """Run `query` unchanged in `database` and return its primary result's rows."""
    exchange = Exchange()
    response = post_query(endpoint, {"db": database, "csl": query}, token, policy, exchange)
    return read_frames(endpoint.name, response.content, limit, exchange)


@dataclass
class _Table:
    """A table as its frames build it."""

    kind: str
    name: str
    columns: list[Any]
    rows: list[Any] = field(default_factory=list)


def read_frames(
    source: str, content: bytes, limit: int | None, exchange: Exchange | None = None
) -> RemoteResult:
    """A v2 response body as a RemoteResult (its first primary result; errors after 200 noted)."""
    try:
        frames = orjson.loads(content)
    except orjson.JSONDecodeError:
        frames = None
    if not isinstance(frames, list) or not frames:
        raise _not_a_result(source, "it is not a JSON array of frames")
    tables: dict[Any, _Table] = {}
    errors: list[str] = []
    completed = False
    for frame in frames:
        if not isinstance(frame, dict):
            raise _not_a_result(source, "a frame is not an object")
        kind = frame.get("FrameType")
        if kind == "DataSetHeader" and not str(frame.get("Version", "v2")).lower().startswith("v2"):
            raise _not_a_result(source, f"its version is {frame.get('Version')!r}, not v2")
        if kind in ("DataTable", "TableHeader"):
            tables[frame.get("TableId")] = _Table(
                str(frame.get("TableKind", "")),
                str(frame.get("TableName", "")),
                frame.get("Columns") if isinstance(frame.get("Columns"), list) else [],
                list(frame.get("Rows") or []) if kind == "DataTable" else [],
            )
        elif kind == "TableFragment" and frame.get("TableId") in tables:
            table = tables[frame.get("TableId")]
            rows = list(frame.get("Rows") or [])
            replace = frame.get("TableFragmentType") == "DataReplace"
            table.rows = rows if replace else table.rows + rows
        elif kind == "DataSetCompletion":
            completed = True
            if frame.get("HasErrors") or frame.get("Cancelled"):
                errors.extend(_one_api_errors(frame.get("OneApiErrors")) or ["the query failed"])
    if not completed:
        raise _not_a_result(source, "it ended before its DataSetCompletion frame")
    primary = next((t for t in tables.values() if t.kind == PRIMARY_KIND), None)
    if primary is None:
        if errors:
            raise RemoteQueryError(
                f"{source} failed the query: {'; '.join(errors)}", kind=RemoteErrorKind.failed
            )
        raise _not_a_result(source, "it holds no PrimaryResult table")
    rows = []
    for row in primary.rows:
        if isinstance(row, dict):  # an error raised while the rows were being written
            errors.extend(_one_api_errors(row.get("OneApiErrors")) or ["a row was an error"])
        else:
            rows.append(row)
    names = [str(c.get("ColumnName", "")) if isinstance(c, dict) else "" for c in primary.columns]
    types = [
        str(c.get("ColumnType") or c.get("DataType") or "string") if isinstance(c, dict) else ""
        for c in primary.columns
    ]
    result = build_result(source, names, types, rows, limit, dynamic_as_text=False)
    primaries = sum(1 for t in tables.values() if t.kind == PRIMARY_KIND)
    notes = []
    if primaries > 1:
        notes.append(f"the query returned {primaries} result tables; shown: the first")
    return RemoteResult(
        result,
        source,
        partial="; ".join(dict.fromkeys(errors)) if errors else None,
        notes=notes,
        exchange=exchange or Exchange(),
    )


def _one_api_errors(items: Any) -> list[str]:
    """Each OneApiErrors entry described in one line."""
    if not isinstance(items, list):
        return []
    described = (ServiceError.of_json(item).describe() for item in items)
    return [text for text in described if text]


def _not_a_result(source: str, why: str) -> RemoteQueryError:
    return RemoteQueryError(
        f"{source} sent a response that is not a v2 query result: {why}",
        kind=RemoteErrorKind.failed,
    )
