"""A loopback Log Analytics workspace (and Azure Data Explorer database) whose tables are a
store's Log Analytics views.

Each POSTed query runs through idpilot's own KQL engine over the store (the views carry the
published columns and types) and the rows are answered in the service's documented wire
format: the Query API's `{"tables": [{"name": "PrimaryResult", "columns": [{"name", "type"}],
"rows"}]}` (dynamic cells as JSON text), or Data Explorer's v2 frames at `/v2/rest/query`
(`DataSetHeader`, a `PrimaryResult` `DataTable`, `DataSetCompletion`; dynamic cells as JSON),
datetimes as ISO 8601 UTC text. So "the logs live in a workspace" (or a cluster) can be tested
with rows derived from the demo tenant.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from idpilot.errors import IdpilotError
from idpilot.kql.adapter import run_kql
from idpilot.store import Store
from tests.kql.remote.kusto_server import WORKSPACE_ID

QUERY_PATH = f"/v1/workspaces/{WORKSPACE_ID}/query"
ADX_PATH = "/v2/rest/query"
# DuckDB's types as the Kusto types Log Analytics names.
_KUSTO_TYPES = {
    "VARCHAR": "string",
    "BOOLEAN": "bool",
    "BIGINT": "long",
    "HUGEINT": "long",
    "INTEGER": "int",
    "SMALLINT": "int",
    "DOUBLE": "real",
    "FLOAT": "real",
    "JSON": "dynamic",
    "TIMESTAMP WITH TIME ZONE": "datetime",
    "TIMESTAMP": "datetime",
}


def kusto_type(duckdb_type: str) -> str:
    """The Kusto type of a DuckDB column (lists and structs are dynamic)."""
    if duckdb_type.endswith("[]") or duckdb_type.startswith(("STRUCT", "MAP")):
        return "dynamic"
    if duckdb_type.startswith("DECIMAL"):
        return "decimal"
    return _KUSTO_TYPES.get(duckdb_type, "string")


def _cell(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%f}0Z"  # seven digits, as Kusto
    if kind == "dynamic":
        return json.dumps(value, default=str)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _frames(names: list[str], kinds: list[str], rows: list[tuple[Any, ...]]) -> list[Any]:
    """Rows as Data Explorer's v2 frames (dynamic cells as the JSON values themselves)."""
    columns = [{"ColumnName": n, "ColumnType": k} for n, k in zip(names, kinds, strict=True)]
    cells = [
        [v if k == "dynamic" else _cell(k, v) for k, v in zip(kinds, row, strict=True)]
        for row in rows
    ]
    return [
        {"FrameType": "DataSetHeader", "IsProgressive": False, "Version": "v2.0"},
        {
            "FrameType": "DataTable",
            "TableId": 0,
            "TableKind": "PrimaryResult",
            "TableName": "PrimaryResult",
            "Columns": columns,
            "Rows": json.loads(json.dumps(cells, default=str)),
        },
        {"FrameType": "DataSetCompletion", "HasErrors": False, "Cancelled": False},
    ]


class _Handler(BaseHTTPRequestHandler):
    server: WorkspaceOverStore

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        query = body["csl"] if self.path == ADX_PATH else body["query"]
        self.server.queries.append(query)
        self.server.paths.append(self.path)
        status, answer = self.server.answer(self.path, query)
        content = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads `queries`."""


class WorkspaceOverStore(ThreadingHTTPServer):
    """The workspace; point IDPILOT_LOG_ANALYTICS_URL at `base_url`."""

    daemon_threads = True

    def __init__(self, store: Store) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.store = store
        self.queries: list[str] = []
        self.paths: list[str] = []
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"
        self._lock = threading.Lock()  # one query at a time on the store's connection
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    def answer(self, path: str, query: str) -> tuple[int, Any]:
        """The service's answer to `query` (a documented 400 when it does not run)."""
        if path not in (QUERY_PATH, ADX_PATH):
            return 404, {"error": {"code": "PathNotFoundError", "message": path}}
        try:
            with self._lock:
                result = run_kql(self.store, query)
        except IdpilotError as error:
            return 400, {"error": {"code": "BadArgumentError", "message": str(error)}}
        kinds = [kusto_type(t) for t in result.types]
        if path == ADX_PATH:
            return 200, _frames(result.columns, kinds, result.rows)
        columns = [{"name": n, "type": k} for n, k in zip(result.columns, kinds, strict=True)]
        rows = [[_cell(k, v) for k, v in zip(kinds, row, strict=True)] for row in result.rows]
        return 200, {"tables": [{"name": "PrimaryResult", "columns": columns, "rows": rows}]}

    def __enter__(self) -> WorkspaceOverStore:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
