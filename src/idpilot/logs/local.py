"""The log reads of the skills, from the local store (the rows the store's queries give)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from idpilot.logs.reader import AuditHistory, AuditScope
from idpilot.store import Store
from idpilot.store.queries import risk
from idpilot.store.queries import sign_ins as stored_sign_ins

if TYPE_CHECKING:
    from idpilot.store.audit import AuditEvent, AuditSelection
    from idpilot.store.queries.sign_ins import SignInNarrowing

SOURCE = "the local store"


class StoreLogs:
    """Log rows read from the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def source(self) -> str:
        """The local store."""
        return SOURCE

    def user_sign_ins(
        self,
        user_id: str,
        app_id: str | None,
        correlation_id: str | None,
        start: datetime | None,
        end: datetime | None,
    ) -> list[dict[str, Any]]:
        """The user's sign-ins (of one app, attempt or window if given), by time."""
        return stored_sign_ins.user_sign_ins(
            self.store, user_id, app_id, correlation_id, start, end
        )

    def sign_in_record(self, row: dict[str, Any]) -> dict[str, Any]:
        """The whole Graph record of a sign-in row, from its stored `raw`."""
        return stored_sign_ins.sign_in_record(self.store, row["createdDateTime"], row["id"])

    def failures_with_code(
        self, user_id: str, code: int, start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """The user's sign-ins that failed with `code` in the window (both ends in), by time."""
        return stored_sign_ins.failures_with_code_between(self.store, user_id, code, start, end)

    def sign_ins_store(
        self, *, ip: str | None, user_id: str | None, start: datetime, end: datetime
    ) -> Store:
        """The store itself: it holds every sign-in."""
        return self.store

    def first_sign_in_time(self) -> datetime | None:
        """When the store's first sign-in happened (None without sign-ins)."""
        return stored_sign_ins.first_sign_in_time(self.store)

    def sign_ins_to_count(
        self,
        start: datetime | None,
        end: datetime | None,
        *,
        narrowing: SignInNarrowing | None = None,
        error_code: int | None = None,
    ) -> Store:
        """The store itself: it holds every sign-in."""
        return self.store

    def sign_ins_by_request_or_correlation(
        self, request_ids: list[str], correlation_ids: list[str]
    ) -> list[dict[str, Any]]:
        """Sign-ins whose id is a request id or whose correlationId is one of these."""
        return risk.sign_ins_by_request_or_correlation(self.store, request_ids, correlation_ids)

    def sign_in_ids_with_error(
        self, user_id: str, code: int, first: datetime, last: datetime
    ) -> list[str]:
        """Ids of the user's sign-ins that failed with `code` between the times, by time."""
        return risk.sign_in_ids_with_error(self.store, user_id, code, first, last)

    def devices_first_seen(
        self, user_id: str, since: datetime, first: datetime, last: datetime
    ) -> list[dict[str, Any]]:
        """Devices of the user's sign-ins (since `since`) first seen between the times."""
        return risk.devices_first_seen(self.store, user_id, since, first, last)

    def other_accounts_on_ips(
        self, user_id: str, ips: list[str], limit: int
    ) -> list[dict[str, Any]]:
        """Other users who signed in from these IPs, most successes first."""
        return risk.other_accounts_on_ips(self.store, user_id, ips, limit)

    def risky_user_rows(self, user_id: str) -> list[dict[str, Any]]:
        """The user's riskyUsers row, zero or one."""
        return risk.risky_user_rows(self.store, user_id)

    def risky_users_with_detections(self) -> list[dict[str, Any]]:
        """Every risky user not deleted, with detection count and open risk event types."""
        return risk.risky_users_with_detections(self.store)

    def risk_detections_of_user(self, user_id: str) -> list[dict[str, Any]]:
        """The user's risk detections, by activity time (location as JSON text)."""
        return risk.risk_detections_of_user(self.store, user_id)

    def audits_by_or_about_user(
        self, user_id: str, first: datetime, last: datetime, activities: list[str]
    ) -> list[dict[str, Any]]:
        """Audits of these activities between the times, done by or naming the user."""
        return risk.audits_by_or_about_user(self.store, user_id, first, last, activities)

    def events_about(
        self,
        object_ids: list[str],
        start: datetime | None,
        end: datetime | None,
        relations: tuple[str, ...] = ("target", "related"),
    ) -> list[AuditEvent]:
        """Audit events about (or by) these objects, newest first (through the object index)."""
        from idpilot.store.audit import events_about

        return events_about(self.store, object_ids, start, end, relations)[0]

    def audit_events(
        self, scope: AuditScope, start: datetime | None, end: datetime | None, limit: int
    ) -> tuple[list[AuditEvent], int]:
        """The audit events of `scope` in the window, newest first (at most `limit`), and how
        many there are in all."""
        from idpilot.store import audit as audits

        return audits.select_events(self.store, self._selection(scope), start, end, limit)

    def audit_history(
        self, scope: AuditScope, start: datetime | None, end: datetime | None, limit: int
    ) -> AuditHistory:
        """The audit events of `scope` in the window, from the store (its object index)."""
        from idpilot.store import audit as audits

        store = self.store
        selection = self._selection(scope)
        events, total = audits.select_events(store, selection, start, end, limit)
        summary = audits.summarize(store, selection, start, end)
        sample_ids = [row["sample_id"] for rows in summary.values() for row in rows]
        return AuditHistory(
            events=events,
            total=total,
            by_operation=summary["by_operation"],
            by_actor=summary["by_actor"],
            samples=audits.events_by_id(store, sample_ids),
        )

    def _selection(self, scope: AuditScope) -> AuditSelection:
        """The store's selection of the events of `scope`."""
        from idpilot.store import audit as audits

        if scope.about is None:
            selection = audits.select_where("TRUE")
        else:
            selection = audits.select_about(self.store, scope.about, scope.relations)
        if scope.activities:
            selection = audits.with_activities(selection, scope.activities)
        if scope.category is not None:
            selection = audits.with_category(selection, scope.category)
        if scope.activity_pattern is not None:
            selection = audits.with_activity_pattern(selection, scope.activity_pattern)
        return selection
