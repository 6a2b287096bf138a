"""The log reads of the skills, run as KQL where the logs live (Log Analytics or Azure Data
Explorer), their rows given the shapes and ids the local store gives.

Each read is one query (`logs.remote_queries`) sent through `kql.remote.run`, so it signs in,
retries and fails as `idpilot kql --remote` does. A result the service could return only in
part is refused: an answer must not cite a partial set as if it were the whole. Filters that
KQL cannot state exactly as the store's index does (an audit event "about" an object through
a role or group it names) run remotely as a wider filter, and the exact match is made here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from idpilot.kql.remote.errors import RemoteErrorKind, RemoteQueryError
from idpilot.kql.remote.result import RemoteResult
from idpilot.kql.remote.run import RemoteTarget, run_remote, target_token
from idpilot.logs import remote_queries as kql
from idpilot.logs.reader import AuditHistory, AuditScope
from idpilot.logs.scratch import sign_ins_store
from idpilot.sources.exports.categories import category_of_table
from idpilot.sources.exports.la_records import column_readings, format_graph_time, graph_record
from idpilot.store import Store
from idpilot.store.audit import AuditEvent, event_from_row
from idpilot.store.audit_index import RELATED_ID_PROPERTIES
from idpilot.store.queries.sign_ins import SignInNarrowing
from idpilot.sync.auth import TokenSource

MAX_AUDIT_ROWS = 50_000
"""Most audit events one history reads; more is refused (narrow the window) rather than cut."""
MAX_SIGN_INS_COUNTED = 100_000
"""Most sign-ins fetched for one count (a summary, an error's occurrences); more is refused."""
# Text the store holds as NULL where KQL's tostring() of a missing value gives "".
_NULLABLE_TEXT = frozenset(
    {"failureReason", "country", "city", "operatingSystem", "deviceId", "browser"}
)


class RemoteLogs:
    """Log rows read by KQL in the workspace or database `target` names."""

    def __init__(self, target: RemoteTarget) -> None:
        self.target = target
        self._source: str | None = None
        self._token: TokenSource | None = None  # one sign-in for every query of a question

    @property
    def source(self) -> str:
        """The workspace or database the rows came from (once a query has run)."""
        return self._source or f"remote logs ({self.target.service.value})"

    def _result(self, query: str) -> RemoteResult:
        if self._token is None:
            self._token = target_token(self.target)
        ran = run_remote(self.target, query, None, token=self._token)
        self._source = ran.source
        if ran.partial:
            raise RemoteQueryError(
                f"{ran.source} returned only part of the rows ({ran.partial}): an answer "
                "would cite an incomplete set; narrow the question's time window",
                kind=RemoteErrorKind.failed,
            )
        return ran

    def _rows(self, query: str) -> list[dict[str, Any]]:
        rows = self._result(query).result.records()
        for row in rows:
            for key in _NULLABLE_TEXT & row.keys():
                if row[key] == "":
                    row[key] = None
        return rows

    def user_sign_ins(
        self,
        user_id: str,
        app_id: str | None,
        correlation_id: str | None,
        start: datetime | None,
        end: datetime | None,
    ) -> list[dict[str, Any]]:
        """The user's sign-ins from both sign-in tables, as the store's attempt rows."""
        return self._rows(kql.user_sign_ins(user_id, app_id, correlation_id, start, end))

    def sign_in_record(self, row: dict[str, Any]) -> dict[str, Any]:
        """The Graph sign-in a row was exported from, read back from its published columns."""
        for table in kql.SIGN_IN_TABLES:
            ran = self._result(kql.sign_in_record(table, row["id"], row["createdDateTime"]))
            result = ran.result
            if result.rows:
                category = category_of_table(table)
                assert category is not None
                readings = column_readings(category, result.columns)
                cells = [_graph_cell(cell) for cell in result.rows[0]]
                return graph_record(category, readings, cells)
        raise RemoteQueryError(
            f"{self.source} no longer holds sign-in {row['id']} (retention ended?)",
            kind=RemoteErrorKind.not_found,
        )

    def failures_with_code(
        self, user_id: str, code: int, start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """The user's sign-ins that failed with `code` in the window (both ends in), by time."""
        return self._rows(kql.failures_with_code(user_id, code, start, end))

    def sign_ins_store(
        self, *, ip: str | None, user_id: str | None, start: datetime, end: datetime
    ) -> Store:
        """An in-memory store of the sign-ins from `ip` (or of `user_id`) in the window, each
        read back into its Graph record and ingested as a snapshot's would be."""
        records = []
        for table in kql.SIGN_IN_TABLES:
            query = kql.whole_sign_ins(table, ip, user_id, start, end)
            records += self._graph_records(table, query)
        return sign_ins_store(records)

    def _graph_records(self, table: str, query: str) -> list[dict[str, Any]]:
        """The Graph sign-ins of `table` a query returns, read back from its columns."""
        result = self._result(query).result
        category = category_of_table(table)
        assert category is not None
        readings = column_readings(category, result.columns)
        return [
            graph_record(category, readings, [_graph_cell(c) for c in row]) for row in result.rows
        ]

    def first_sign_in_time(self) -> datetime | None:
        """When the first sign-in of the workspace's sign-in tables happened."""
        rows = self._rows(kql.first_sign_in())
        return rows[0]["earliest"] if rows else None

    def sign_ins_to_count(
        self,
        start: datetime | None,
        end: datetime | None,
        *,
        narrowing: SignInNarrowing | None = None,
        error_code: int | None = None,
    ) -> Store:
        """An in-memory store of the sign-ins a count reads (the columns it reads of them),
        refused above `MAX_SIGN_INS_COUNTED` rather than fetching millions."""
        where = kql.counted_sign_ins_filter(start, end, narrowing, error_code)
        held = self._rows(kql.sign_in_count(where))[0]["Count"]
        if held > MAX_SIGN_INS_COUNTED:
            raise RemoteQueryError(
                f"{self.source} holds {held:,} sign-ins for this question, more than the "
                f"{MAX_SIGN_INS_COUNTED:,} idpilot reads to count them here: narrow its time "
                "window, or ask about one user, IP address or app",
                kind=RemoteErrorKind.failed,
            )
        records = []
        for table in kql.SIGN_IN_TABLES:
            records += self._graph_records(table, kql.counted_sign_ins(table, where))
        return sign_ins_store(records)

    def sign_ins_by_request_or_correlation(
        self, request_ids: list[str], correlation_ids: list[str]
    ) -> list[dict[str, Any]]:
        """Sign-ins whose id is a request id or whose correlationId is one of these."""
        return self._rows(kql.linked_sign_ins(request_ids, correlation_ids))

    def sign_in_ids_with_error(
        self, user_id: str, code: int, first: datetime, last: datetime
    ) -> list[str]:
        """Ids of the user's sign-ins that failed with `code` between the times, by time."""
        return [
            row["id"] for row in self._rows(kql.sign_ins_with_error(user_id, code, first, last))
        ]

    def devices_first_seen(
        self, user_id: str, since: datetime, first: datetime, last: datetime
    ) -> list[dict[str, Any]]:
        """Devices of the user's sign-ins (since `since`) first seen between the times: a
        device is its id, else `system / browser` (as the store's query names it)."""
        seen: dict[str, dict[str, Any]] = {}
        for row in self._rows(kql.device_sign_ins(user_id, since, last)):
            device = row["deviceId"] or " / ".join(
                part for part in (row["operatingSystem"], row["browser"]) if part is not None
            )
            if device and device not in seen:  # rows come by time: the first is the earliest
                seen[device] = {"device": device, "first_seen": row["t"], "sign_in_id": row["id"]}
        return [d for d in seen.values() if d["first_seen"] >= first]

    def other_accounts_on_ips(
        self, user_id: str, ips: list[str], limit: int
    ) -> list[dict[str, Any]]:
        """Other users who signed in from these IPs, most successes first."""
        return self._rows(kql.accounts_on_ips(user_id, ips, limit))

    def risky_user_rows(self, user_id: str) -> list[dict[str, Any]]:
        """The user's latest risk state, zero or one row."""
        return self._rows(kql.risky_user(user_id))

    def risky_users_with_detections(self) -> list[dict[str, Any]]:
        """Every risky user not deleted (each in its latest state), with the count of their
        detections (each counted once), the types of the open ones and the earliest one."""
        counts = {row["userId"]: row for row in self._rows(kql.detections_per_user())}
        users = self._rows(kql.risky_users())
        for user in users:
            counted = counts.get(user["id"]) or {}
            user["detections"] = counted.get("detections", 0)
            user["open_types"] = counted.get("open_types") or None
            user["first_flagged"] = counted.get("first_flagged")
            user["first_detection"] = counted.get("first_detection")
        return users

    def risk_detections_of_user(self, user_id: str) -> list[dict[str, Any]]:
        """The user's risk detections (each in its latest state), by activity time."""
        return self._rows(kql.risk_detections(user_id))

    def audits_by_or_about_user(
        self, user_id: str, first: datetime, last: datetime, activities: list[str]
    ) -> list[dict[str, Any]]:
        """Audits of these activities between the times, done by or naming the user."""
        return self._rows(kql.audits_of_user(user_id, first, last, activities))

    def events_about(
        self,
        object_ids: list[str],
        start: datetime | None,
        end: datetime | None,
        relations: tuple[str, ...] = ("target", "related"),
    ) -> list[AuditEvent]:
        """Audit events about (or by) these objects, newest first: a wider filter runs
        remotely, the exact relation is matched here."""
        scope = AuditScope(about=object_ids, relations=relations)
        return [event_from_row(row) for row in self._scoped_rows(scope, start, end)]

    def _scoped_rows(
        self, scope: AuditScope, start: datetime | None, end: datetime | None
    ) -> list[dict[str, Any]]:
        """The rows of the events of `scope` in the window, newest first: a wider filter runs
        remotely, the exact relation to its objects is matched here."""
        rows = self._audit_rows(kql.audit_events(scope, start, end, MAX_AUDIT_ROWS + 1))
        if scope.about is None:
            return rows
        ids = {i.lower() for i in scope.about if i}
        return [row for row in rows if ids & _objects_named(row, scope.relations)]

    def _audit_rows(self, query: str) -> list[dict[str, Any]]:
        rows = self._rows(query)
        if len(rows) > MAX_AUDIT_ROWS:
            raise RemoteQueryError(
                f"{self.source} holds more than {MAX_AUDIT_ROWS:,} audit events for this "
                "question: narrow its time window",
                kind=RemoteErrorKind.failed,
            )
        return rows

    def audit_events(
        self, scope: AuditScope, start: datetime | None, end: datetime | None, limit: int
    ) -> tuple[list[AuditEvent], int]:
        """The audit events of `scope` in the window, newest first (at most `limit`), and how
        many there are in all: counted there, when no object's relation is left to match here."""
        if scope.about is None:
            rows = self._rows(kql.audit_events(scope, start, end, limit))
            total = self._rows(kql.audit_event_count(scope, start, end))[0]["Count"]
        else:
            rows = self._scoped_rows(scope, start, end)
            total = len(rows)
        return [event_from_row(row) for row in rows[:limit]], total

    def audit_history(
        self, scope: AuditScope, start: datetime | None, end: datetime | None, limit: int
    ) -> AuditHistory:
        """The audit events of `scope` in the window, newest first, summarised here."""
        rows = self._scoped_rows(scope, start, end)
        events = [event_from_row(row) for row in rows]
        by_id = {event.id: event for event in events}
        by_operation = _counted(rows, lambda row: row.get("activityDisplayName"))
        by_actor = _counted(rows, _actor)
        sample_ids = {row["sample_id"] for row in by_operation + by_actor}
        samples = sorted((by_id[i] for i in sample_ids), key=_newest_first)
        return AuditHistory(
            events=events[:limit],
            total=len(events),
            by_operation=by_operation,
            by_actor=by_actor,
            samples=samples,
        )


def _graph_cell(cell: Any) -> Any:
    """A typed cell as `graph_record` reads an exported one (times as Graph's text)."""
    return format_graph_time(cell) if isinstance(cell, datetime) else cell


def _objects_named(row: dict[str, Any], relations: tuple[str, ...]) -> set[str]:
    """The ids (lower case) an audit event targets, names in a related-object property or was
    initiated by, as the store's `audit_objects` index records them, for these relations."""
    named: set[str] = set()
    targets = row.get("targetResources")
    for target in targets if isinstance(targets, list) else []:
        if not isinstance(target, dict):
            continue
        if "target" in relations and target.get("id"):
            named.add(str(target["id"]).lower())
        properties = target.get("modifiedProperties") if "related" in relations else None
        for prop in properties if isinstance(properties, list) else []:
            if not isinstance(prop, dict) or prop.get("displayName") not in RELATED_ID_PROPERTIES:
                continue
            value = prop.get("newValue") or prop.get("oldValue")
            if isinstance(value, str) and value.strip('"'):
                named.add(value.strip('"').lower())
    initiated = row.get("initiatedBy")
    if "actor" in relations and isinstance(initiated, dict):
        user = initiated.get("user") if isinstance(initiated.get("user"), dict) else {}
        app = initiated.get("app") if isinstance(initiated.get("app"), dict) else {}
        actor = user.get("id") or app.get("servicePrincipalId")
        if actor:
            named.add(str(actor).lower())
    return named


def _actor(row: dict[str, Any]) -> str | None:
    """Who did it, as the store's summary names them: the user's UPN or id, else the app's
    name or service principal id."""
    initiated = row.get("initiatedBy")
    if not isinstance(initiated, dict):
        return None
    user = initiated.get("user") if isinstance(initiated.get("user"), dict) else {}
    app = initiated.get("app") if isinstance(initiated.get("app"), dict) else {}
    for value in (
        user.get("userPrincipalName"),
        user.get("id"),
        app.get("displayName"),
        app.get("servicePrincipalId"),
    ):
        if value is not None:
            return str(value)
    return None


def _newest_first(event: AuditEvent) -> tuple[float, str]:
    when = event.when.timestamp() if event.when else float("-inf")
    return (-when, event.id)


def _newest_row_first(row: dict[str, Any]) -> tuple[float, str]:
    when = row.get("activityDateTime")
    return (-when.timestamp() if isinstance(when, datetime) else float("inf"), row["id"])


def _counted(
    rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], str | None]
) -> list[dict[str, Any]]:
    """Rows counted by `key` (None: 'unknown'), most first, each with its newest event's id."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        name = key(row)
        groups.setdefault("unknown" if name is None else name, []).append(row)
    counted = [
        {"name": name, "count": len(group), "sample_id": min(group, key=_newest_row_first)["id"]}
        for name, group in groups.items()
    ]
    return sorted(counted, key=lambda row: (-row["count"], row["name"]))
