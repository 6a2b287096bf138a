"""What a skill reads from the logs (sign-ins, audit events, risk detections), as one interface.

The rows come back in the shapes the local store gives them, with the same ids, whether they
are read from the store (`logs.local.StoreLogs`) or by KQL run where the logs live
(`logs.remote.RemoteLogs`). Directory objects (users, groups, policies) are not log rows: a
skill always reads them from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the audit decoder is loaded by the skills that read audits
    from idpilot.store import Store
    from idpilot.store.audit import AuditEvent
    from idpilot.store.queries.sign_ins import SignInNarrowing


@dataclass(frozen=True)
class AuditScope:
    """Which audit events: about these object ids (None: the whole directory) in these
    relations ('target', 'related'; 'actor': done by them), only these activities
    (activityDisplayName values; empty: all), of this category, and whose activity matches
    this case-insensitive regular expression (RE2, as DuckDB and Kusto both read it)."""

    about: list[str] | None = None
    activities: list[str] = field(default_factory=list)
    relations: tuple[str, ...] = ("target", "related")
    category: str | None = None
    activity_pattern: str | None = None


@dataclass(frozen=True)
class AuditHistory:
    """The events of a scope in a window: the newest (at most the limit asked), how many in
    all, counts by operation and by actor (each with its newest event's id), and those events."""

    events: list[AuditEvent]
    total: int
    by_operation: list[dict[str, Any]]
    by_actor: list[dict[str, Any]]
    samples: list[AuditEvent]


class LogReader(Protocol):
    """Log reads of the skills that can run where the logs live."""

    @property
    def source(self) -> str:
        """Where the rows come from, for an answer to say (`the local store`, a workspace)."""
        ...

    def user_sign_ins(
        self,
        user_id: str,
        app_id: str | None,
        correlation_id: str | None,
        start: datetime | None,
        end: datetime | None,
    ) -> list[dict[str, Any]]:
        """The user's sign-ins (of one app, attempt or window if given), by time."""
        ...

    def sign_in_record(self, row: dict[str, Any]) -> dict[str, Any]:
        """The whole Graph record of a sign-in row from `user_sign_ins`."""
        ...

    def failures_with_code(
        self, user_id: str, code: int, start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """The user's sign-ins that failed with `code` in the window (both ends in), by time,
        as the pattern checks read them."""
        ...

    def sign_ins_store(
        self, *, ip: str | None, user_id: str | None, start: datetime, end: datetime
    ) -> Store:
        """A store holding every sign-in from `ip` (or of `user_id`) in the window, for a check
        that runs the detections over them: the local store itself, or one made of the rows
        fetched."""
        ...

    def first_sign_in_time(self) -> datetime | None:
        """When the first sign-in the logs hold happened (None without sign-ins)."""
        ...

    def sign_ins_to_count(
        self,
        start: datetime | None,
        end: datetime | None,
        *,
        narrowing: SignInNarrowing | None = None,
        error_code: int | None = None,
    ) -> Store:
        """A store holding the sign-ins of the window (both ends in; None: open), at least
        those the narrowing keeps (or that failed with `error_code`), with what the store's
        counts read of them: the local store itself, or one made of the rows fetched."""
        ...

    def sign_ins_by_request_or_correlation(
        self, request_ids: list[str], correlation_ids: list[str]
    ) -> list[dict[str, Any]]:
        """Sign-ins whose id is a request id or whose correlationId is one of these."""
        ...

    def sign_in_ids_with_error(
        self, user_id: str, code: int, first: datetime, last: datetime
    ) -> list[str]:
        """Ids of the user's sign-ins that failed with `code` between the times, by time."""
        ...

    def devices_first_seen(
        self, user_id: str, since: datetime, first: datetime, last: datetime
    ) -> list[dict[str, Any]]:
        """Devices of the user's sign-ins (since `since`) first seen between the times."""
        ...

    def other_accounts_on_ips(
        self, user_id: str, ips: list[str], limit: int
    ) -> list[dict[str, Any]]:
        """Other users who signed in from these IPs, most successes first."""
        ...

    def risky_user_rows(self, user_id: str) -> list[dict[str, Any]]:
        """The user's risk state (names and risk), zero or one row."""
        ...

    def risky_users_with_detections(self) -> list[dict[str, Any]]:
        """Every risky user not deleted (the store's row: names and risk state), with their
        detection count and the risk event types of their open detections."""
        ...

    def risk_detections_of_user(self, user_id: str) -> list[dict[str, Any]]:
        """The user's risk detections, by activity time."""
        ...

    def audits_by_or_about_user(
        self, user_id: str, first: datetime, last: datetime, activities: list[str]
    ) -> list[dict[str, Any]]:
        """Audits of these activities between the times, done by or naming the user."""
        ...

    def events_about(
        self,
        object_ids: list[str],
        start: datetime | None,
        end: datetime | None,
        relations: tuple[str, ...] = ("target", "related"),
    ) -> list[AuditEvent]:
        """Audit events about (or, with relation 'actor', by) these objects, newest first."""
        ...

    def audit_events(
        self, scope: AuditScope, start: datetime | None, end: datetime | None, limit: int
    ) -> tuple[list[AuditEvent], int]:
        """The audit events of `scope` in the window, newest first (at most `limit`), and how
        many there are in all."""
        ...

    def audit_history(
        self, scope: AuditScope, start: datetime | None, end: datetime | None, limit: int
    ) -> AuditHistory:
        """The audit events of `scope` in the window, newest first, with their summaries."""
        ...
