"""A loopback Microsoft Graph for sync tests: a real HTTP server on 127.0.0.1 in the test process.

Records are made lazily from their index (a 50,000-user tenant costs nothing until asked for),
in the shapes of Microsoft's documented examples (`tests/fixtures/graph`): users, groups
(`members@delta` split across pages as Graph splits large groups), service principals and their
app role assignments, beta sign-ins and audits newest first in a `$filter` time window, and the
settings and short lists served from the documented examples. Paging is by `@odata.nextLink`
with opaque skip tokens; delta rounds end with a `@odata.deltaLink`; `$batch` answers its
requests one by one. Failures are injected by `Faults`: 429 with Retry-After, 503, 403 with
Graph's licence error, a stalled response (a client timeout), an expired skip token.
"""

from __future__ import annotations

import base64
import copy
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "graph"
WORKFLOWS = "identityGovernance/lifecycleWorkflows/workflows"
TENANT_ID = "5f0c3a1e-6b7d-4c2e-9a8f-1d2e3f4a5b6c"
NAMESPACE = uuid.UUID("9c1f2b3a-4d5e-6f70-8192-a3b4c5d6e7f8")
LICENCE_ERROR = {
    "code": "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
    "message": "Neither tenant is B2C or tenant doesn't have premium license",
}
EXPIRED_SKIP = {"code": "", "message": "Invalid Skip Token"}
EXPIRED_DELTA = {
    "code": "syncStateNotFound",
    "message": "The sync state generation is not found. The delta token is expired and data "
    "must be synchronized again.",
}


def _example(name: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / name).read_text())["value"]


def object_id(kind: str, n: int) -> str:
    """The id of the n-th object of a kind (stable across runs)."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{n}"))


@dataclass
class Faults:
    """What goes wrong, and where (paths are relative to the version, e.g. 'users/delta')."""

    throttle_every: int = 0
    """Every n-th request is answered 429 with `Retry-After: retry_after`."""
    retry_after: str = "3"
    unavailable_every: int = 0
    """Every n-th request (not throttled) is answered 503 without Retry-After."""
    forbidden: dict[str, dict[str, str]] = field(default_factory=dict)
    """Path → Graph's error object, answered 403."""
    stall_once: set[str] = field(default_factory=set)
    """Paths whose first request stalls `stall_seconds` (the client times out)."""
    stall_seconds: float = 1.0
    expire_once: set[str] = field(default_factory=set)
    """Paths whose second page's skip token is refused once as expired."""


@dataclass
class TenantShape:
    """How big the loopback tenant is."""

    users: int = 300
    groups: int = 12
    service_principals: int = 30
    sign_ins: int = 2_000
    audits: int = 500
    page_size: int = 1000
    all_staff_chunk: int = 2_500
    """Members of the all-staff group per occurrence in a groups/delta page."""
    until: datetime = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    event_spacing: timedelta = timedelta(seconds=20)


class FakeGraph:
    """The tenant's data and the failures, answered by `GraphHandler`."""

    def __init__(self, shape: TenantShape, faults: Faults | None = None) -> None:
        self.shape = shape
        self.faults = faults or Faults()
        self.base = ""
        self.requests: list[tuple[str, str, int]] = []
        """Method, path and status of each request answered."""
        self.arrivals: list[str] = []
        """The path of each request as it arrives (a stalled one too)."""
        self._count = 0
        self._lock = threading.Lock()
        self._stalled: set[str] = set()
        self._expired: set[str] = set()
        self.user_changes: list[dict[str, Any]] = []
        """What users/delta returns for a deltaLink (the test edits the tenant)."""
        self._user = _example("user.list.json")[1]
        self._group = _example("group.list.json")[0]
        self._principal = _example("servicePrincipal.list.json")[0]
        self._sign_in = _example("signIn.beta.list.json")[0]
        self._audit = _example("directoryAudit.list.json")[0]
        self.batches: list[list[str]] = []
        """The relative URLs of each `$batch`'s requests."""

    # ---- records, made from their index --------------------------------------------------

    def user(self, n: int) -> dict[str, Any]:
        """The n-th user."""
        record = dict(self._user)
        record.update(
            id=object_id("user", n),
            displayName=f"User {n:05d}",
            userPrincipalName=f"user{n:05d}@contoso.com",
            mail=f"user{n:05d}@contoso.com",
        )
        return record

    def groups_delta(self) -> Iterator[dict[str, Any]]:
        """Groups as groups/delta sends them: all-staff split into several occurrences."""
        shape = self.shape
        for g in range(shape.groups):
            record = {k: v for k, v in self._group.items() if k not in ("members", "owners")}
            record.update(id=object_id("group", g), displayName=f"Group {g:03d}")
            owners = [_link("user", 0)]
            if g == 0:
                record["displayName"] = "All Staff"
                for start in range(0, shape.users, shape.all_staff_chunk):
                    stop = min(start + shape.all_staff_chunk, shape.users)
                    part = dict(record) if start == 0 else {"id": record["id"]}
                    part["members@delta"] = [_link("user", n) for n in range(start, stop)]
                    if start == 0:
                        part["owners@delta"] = owners
                    yield part
                continue
            record["members@delta"] = [_link("user", n) for n in range(g, shape.users, 97)]
            record["owners@delta"] = owners
            yield record

    def group_members(self, g: int) -> set[str]:
        """Ids of the n-th group's members."""
        if g == 0:
            return {object_id("user", n) for n in range(self.shape.users)}
        return {object_id("user", n) for n in range(g, self.shape.users, 97)}

    def principal(self, n: int) -> dict[str, Any]:
        """The n-th service principal."""
        record = dict(self._principal)
        record.update(id=object_id("sp", n), appId=object_id("app", n), displayName=f"App {n:03d}")
        return record

    def assignments(self, n: int) -> list[dict[str, Any]]:
        """The app role assignments of the n-th service principal (n % 3 of them)."""
        return [
            {
                "id": object_id("assignment", n * 10 + k),
                "appRoleId": "00000000-0000-0000-0000-000000000000",
                "createdDateTime": "2026-01-01T00:00:00Z",
                "principalDisplayName": f"User {k:05d}",
                "principalId": object_id("user", k),
                "principalType": "User",
                "resourceDisplayName": f"App {n:03d}",
                "resourceId": object_id("sp", n),
            }
            for k in range(n % 3)
        ]

    def event_time(self, n: int) -> datetime:
        """When the n-th newest event happened."""
        return self.shape.until - self.shape.event_spacing * n

    def sign_in(self, n: int) -> dict[str, Any]:
        """The n-th newest sign-in (beta shape)."""
        record = copy.deepcopy(self._sign_in)
        user = n % self.shape.users
        record.update(
            id=object_id("signin", n),
            createdDateTime=_graph_time(self.event_time(n)),
            userId=object_id("user", user),
            userDisplayName=f"User {user:05d}",
            userPrincipalName=f"user{user:05d}@contoso.com",
            correlationId=object_id("correlation", n),
            homeTenantId=TENANT_ID,
            resourceTenantId=TENANT_ID,
        )
        return record

    def audit(self, n: int) -> dict[str, Any]:
        """The n-th newest directory audit."""
        record = copy.deepcopy(self._audit)
        record.update(id=object_id("audit", n), activityDateTime=_graph_time(self.event_time(n)))
        return record

    # ---- answering --------------------------------------------------------------------------

    def answer(self, method: str, target: str, body: bytes) -> tuple[int, dict, Any]:
        """Status, headers and JSON body for one request."""
        split = urlsplit(target)
        version, _, path = split.path.lstrip("/").partition("/")
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        with self._lock:
            self._count += 1
            count = self._count
        failure = self._failure(path, count)
        if failure is not None:
            return failure
        if method == "POST" and path == "$batch":
            return 200, {}, self._batch(version, json.loads(body))
        return self._get(version, path, query)

    def _failure(self, path: str, count: int) -> tuple[int, dict, Any] | None:
        faults = self.faults
        if path in faults.forbidden:
            return 403, {}, {"error": faults.forbidden[path]}
        if path == "$batch":
            return None  # failures are decided per request inside the batch
        if faults.throttle_every and count % faults.throttle_every == 0:
            error = {"code": "TooManyRequests", "message": "Too many requests"}
            return 429, {"Retry-After": faults.retry_after}, {"error": error}
        if faults.unavailable_every and count % faults.unavailable_every == 0:
            error = {"code": "serviceNotAvailable", "message": "Service unavailable"}
            return 503, {}, {"error": error}
        if path in faults.stall_once and path not in self._stalled:
            self._stalled.add(path)
            time.sleep(faults.stall_seconds)
        return None

    def _batch(self, version: str, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.batches.append([request["url"] for request in body["requests"]])
        responses = []
        for request in body["requests"]:
            status, headers, reply = self.answer("GET", f"/{version}{request['url']}", b"")
            responses.append(
                {"id": request["id"], "status": status, "headers": headers, "body": reply}
            )
        return {"responses": responses}

    def _get(self, version: str, path: str, query: dict[str, str]) -> tuple[int, dict, Any]:
        token = query.get("$skiptoken") or query.get("$deltatoken")
        expiring = path in self.faults.expire_once and path not in self._expired
        if token and expiring and (_decode(token).get("page") == 1 or "$deltatoken" in query):
            self._expired.add(path)
            error = EXPIRED_DELTA if path.endswith("/delta") else EXPIRED_SKIP
            return 400, {}, {"error": error}
        state = _decode(token) if token else {}
        if path == "users/delta":
            if "$deltatoken" in query:
                return 200, {}, self._delta_changes(version, path)
            return self._paged(version, path, state, self.shape.users, self.user, delta=True)
        if path == "groups/delta":
            records = list(self.groups_delta())
            return self._paged(
                version, path, state, len(records), records.__getitem__, delta=True, size=4
            )
        if path == "servicePrincipals":
            count = self.shape.service_principals
            return self._paged(version, path, state, count, self.principal)
        if path.startswith("servicePrincipals/") and path.endswith("/appRoleAssignedTo"):
            principal = path.split("/")[1]
            for n in range(self.shape.service_principals):
                if object_id("sp", n) == principal:
                    return 200, {}, {"value": self.assignments(n)}
            return 404, {}, {"error": {"code": "Request_ResourceNotFound", "message": "no"}}
        if path in ("auditLogs/signIns", "auditLogs/directoryAudits"):
            return self._events(version, path, query, state)
        if path.startswith(WORKFLOWS + "/"):
            return self._workflow_history(version, path, state)
        if path == "organization":
            return 200, {}, {"value": [{"id": TENANT_ID, "displayName": "Contoso Loopback"}]}
        return 200, {}, _documented(path)

    def _paged(
        self,
        version: str,
        path: str,
        state: dict[str, Any],
        total: int,
        make: Any,
        *,
        delta: bool = False,
        size: int | None = None,
    ) -> tuple[int, dict, Any]:
        size = size or self.shape.page_size
        page = int(state.get("page", 0))
        start = page * size
        body: dict[str, Any] = {"value": [make(n) for n in range(start, min(start + size, total))]}
        link = f"{self.base}/{version}/{path}"
        if start + size < total:
            body["@odata.nextLink"] = f"{link}?$skiptoken={_encode({'page': page + 1})}"
        elif delta:
            body["@odata.deltaLink"] = f"{link}?$deltatoken={_encode({'round': 1})}"
        return 200, {}, body

    def _workflow_history(
        self, version: str, path: str, state: dict[str, Any]
    ) -> tuple[int, dict, Any]:
        """A workflow's versions, runs (one to a page) and task reports, a run's user results,
        a user result's task results: the documented examples, their ids made per parent."""
        parts = path.removeprefix(WORKFLOWS + "/").split("/")
        workflow = parts[0]
        runs = [
            {**run, "id": child_id("run", workflow, k)}
            for k, run in enumerate(_example("run.list.json"))
        ]
        if parts[1:] == ["versions"]:
            return 200, {}, {"value": _example("workflowVersion.list.json")}
        if parts[1:] == ["runs"]:
            return self._paged(version, path, state, len(runs), runs.__getitem__, size=1)
        if parts[1:] == ["taskReports"]:
            documented = _example("run.list.json")
            run_ids = {e["id"]: r["id"] for e, r in zip(documented, runs, strict=True)}
            reports = [
                {**r, "id": child_id("report", workflow, k), "runId": run_ids[r["runId"]]}
                for k, r in enumerate(_example("taskReport.list.json"))
            ]
            return 200, {}, {"value": reports}
        if len(parts) == 4 and parts[1] == "runs" and parts[3] == "userProcessingResults":
            results = _example("userProcessingResult.list.json")
            value = [{**r, "id": child_id("user", parts[2], k)} for k, r in enumerate(results)]
            return 200, {}, {"value": value}
        if len(parts) == 6 and parts[5] == "taskProcessingResults":
            results = _example("taskProcessingResult.list.json")
            value = [{**r, "id": child_id("task", parts[4], k)} for k, r in enumerate(results)]
            return 200, {}, {"value": value}
        return 404, {}, {"error": {"code": "ResourceNotFound", "message": path}}

    def _delta_changes(self, version: str, path: str) -> dict[str, Any]:
        link = f"{self.base}/{version}/{path}?$deltatoken={_encode({'round': 2})}"
        return {"value": list(self.user_changes), "@odata.deltaLink": link}

    def _events(
        self, version: str, path: str, query: dict[str, str], state: dict[str, Any]
    ) -> tuple[int, dict, Any]:
        if not state:
            state = {"window": _window(query.get("$filter", "")), "page": 0}
        start, end = (_parse_time(t) for t in state["window"])
        spacing = self.shape.event_spacing
        total = self.shape.sign_ins if path.endswith("signIns") else self.shape.audits
        first = max(0, -(-(self.shape.until - end) // spacing))  # newest index inside the window
        last = min(total - 1, (self.shape.until - start) // spacing)
        make = self.sign_in if path.endswith("signIns") else self.audit
        page = int(state["page"])
        low = first + page * self.shape.page_size
        high = min(low + self.shape.page_size, last + 1)
        body: dict[str, Any] = {"value": [make(n) for n in range(low, high)]}
        if high <= last:
            token = _encode({"window": state["window"], "page": page + 1})
            body["@odata.nextLink"] = f"{self.base}/{version}/{path}?$skiptoken={token}"
        return 200, {}, body


def child_id(kind: str, parent: str, n: int) -> str:
    """The id of the n-th record of a kind listed under a parent (stable across runs)."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{parent}:{n}"))


def _link(kind: str, n: int) -> dict[str, Any]:
    return {"@odata.type": f"#microsoft.graph.{kind}", "id": object_id(kind, n)}


def _graph_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _window(expression: str) -> list[str]:
    """The `ge` and `le` times of a `$filter` (the sync's own window expression)."""
    words = expression.split()
    start = words[words.index("ge") + 1]
    end = words[words.index("le") + 1]
    return [start, end]


def _encode(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")


def _decode(token: str) -> dict[str, Any]:
    padded = token + "=" * (-len(token) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded))
    except ValueError:
        return {}


_DOCUMENTED = {
    "identityProtection/riskyUsers": None,
    "identityProtection/riskDetections": "riskDetection.list.json",
    "identityProtection/riskyServicePrincipals": "riskyServicePrincipal.list.json",
    "identity/conditionalAccess/policies": "conditionalAccessPolicy.list.json",
    "identity/conditionalAccess/namedLocations": "namedLocation.list.json",
    "reports/authenticationMethods/userRegistrationDetails": "userRegistrationDetails.list.json",
    "identityGovernance/lifecycleWorkflows/workflows": "workflow.list.json",
    "roleManagement/directory/roleAssignments": "unifiedRoleAssignment.list.json",
    "applications": "application.list.json",
    "domains": "domain.list.json",
    "groupSettings": "groupSetting.list.json",
    "subscribedSkus": "subscribedSku.list.json",
    "policies/permissionGrantPolicies": "permissionGrantPolicy.list.json",
    "policies/authenticationStrengthPolicies": "authenticationStrengthPolicy.list.json",
    "policies/crossTenantAccessPolicy/partners": (
        "crossTenantAccessPolicyConfigurationPartner.list.json"
    ),
    "policies/roleManagementPolicies": "unifiedRoleManagementPolicy.list.json",
    "policies/roleManagementPolicyAssignments": "unifiedRoleManagementPolicyAssignment.list.json",
    "roleManagement/directory/roleAssignmentScheduleInstances": (
        "unifiedRoleAssignmentScheduleInstance.list.json"
    ),
    "roleManagement/directory/roleEligibilityScheduleInstances": (
        "unifiedRoleEligibilityScheduleInstance.list.json"
    ),
    "directory/administrativeUnits": "administrativeUnit.list.json",
    "policies/authorizationPolicy": "authorizationPolicy.get.json",
    "policies/authenticationMethodsPolicy": "authenticationMethodsPolicy.get.json",
    "policies/identitySecurityDefaultsEnforcementPolicy": (
        "identitySecurityDefaultsEnforcementPolicy.get.json"
    ),
    "policies/adminConsentRequestPolicy": "adminConsentRequestPolicy.get.json",
    "policies/defaultAppManagementPolicy": "tenantAppManagementPolicy.get.json",
}


def _documented(path: str) -> Any:
    """The documented example response of a path, or an empty list (valid JSON examples only)."""
    name = _DOCUMENTED.get(path)
    if name is None:
        return {"value": []}
    try:
        body = json.loads((FIXTURES / name).read_text())
    except ValueError:
        return {"value": []}  # an example not valid JSON as published
    if "value" not in body:
        return body
    return {"value": body["value"]}


class GraphHandler(BaseHTTPRequestHandler):
    """Answers one request from the `FakeGraph` of its server."""

    server: LoopbackGraph
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._reply("GET")

    def do_POST(self) -> None:
        self._reply("POST")

    def _reply(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        graph = self.server.graph
        graph.arrivals.append(self.path)
        if self.headers.get("Authorization") != "Bearer loopback-token":
            status, headers, reply = 401, {}, {"error": {"code": "InvalidAuthenticationToken"}}
        else:
            status, headers, reply = graph.answer(method, self.path, body)
        graph.requests.append((method, self.path, status))
        data = json.dumps(reply).encode()
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client timed out and went away

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class LoopbackGraph(ThreadingHTTPServer):
    """The server; `base_url` is what the sync is pointed at."""

    daemon_threads = True

    def __init__(self, graph: FakeGraph) -> None:
        super().__init__(("127.0.0.1", 0), GraphHandler)
        self.graph = graph
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"
        graph.base = self.base_url
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackGraph:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
