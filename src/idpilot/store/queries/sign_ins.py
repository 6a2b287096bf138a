"""Sign-in queries: summaries over a window, a user's attempts, error occurrences, patterns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from idpilot.store.database import Store

_TOTALS_SQL = """
SELECT count(*) AS sign_ins,
       count(*) FILTER (WHERE errorCode <> 0 AND errorCode NOT IN (SELECT unnest($interrupts)))
           AS failures,
       count(*) FILTER (WHERE errorCode IN (SELECT unnest($interrupts))) AS interrupts,
       count(DISTINCT userId) AS users,
       count(DISTINCT userId) FILTER (
           WHERE errorCode <> 0 AND errorCode NOT IN (SELECT unnest($interrupts))) AS failing_users,
       count(*) FILTER (WHERE isInteractive IS DISTINCT FROM false) AS interactive
FROM signIns WHERE createdDateTime >= $start AND createdDateTime < $end {filters}
"""
# The filters a question may state: countries, an IP address, an app (NULL: not stated).
_FILTERS = """
  AND ($countries IS NULL
       OR json_extract_string(location, '$.countryOrRegion') IN (SELECT unnest($countries)))
  AND ($cities IS NULL
       OR lower(json_extract_string(location, '$.city')) IN (SELECT lower(unnest($cities))))
  AND ($ip IS NULL OR ipAddress = $ip)
  AND ($user IS NULL OR userId = $user)
  AND (NOT $ca_failed OR conditionalAccessStatus = 'failure')
  AND ($user_type IS NULL OR userId IN (SELECT id FROM users WHERE lower(
       coalesce(userType, CASE WHEN contains(CAST(raw AS VARCHAR), '#EXT#') THEN 'Guest'
                ELSE 'Member' END)) = lower($user_type)))
  AND ($app IS NULL OR appId = $app OR lower(appDisplayName) = lower($app)
       OR appId = (SELECT any_value(appId) FROM servicePrincipals WHERE id = $app))
"""
# Who signed in at all (not only who failed), when the question narrows the sign-ins: the
# accounts that got past the password (a success, or an MFA or Conditional Access stop after
# it) first, then the busiest.
_WHO_SQL = """
SELECT coalesce(userPrincipalName, userId) AS key, count(*) AS sign_ins,
       count(*) FILTER (WHERE errorCode = 0) AS successes,
       count(*) FILTER (WHERE errorCode IN (SELECT unnest($passed))) AS past_password,
       arg_max(id, (createdDateTime, id)) AS sample_id, max(createdDateTime) AS latest,
       arg_max(userPrincipalName, (createdDateTime, id)) AS upn,
       arg_max(userDisplayName, (createdDateTime, id)) AS name,
       arg_max(appDisplayName, (createdDateTime, id)) AS app,
       arg_max(errorCode, (createdDateTime, id)) AS error_code
FROM signIns WHERE createdDateTime >= $start AND createdDateTime < $end {filters}
GROUP BY 1 ORDER BY successes DESC, past_password DESC, sign_ins DESC, key LIMIT $limit
"""
# Each user with failed sign-ins (interrupts apart): how many, which errors and apps, and the
# first and latest failure to cite.
_FAILING_USERS_SQL = """
SELECT coalesce(userPrincipalName, userId) AS key, count(*) AS failures,
       any_value(userDisplayName) AS name, list(DISTINCT errorCode ORDER BY errorCode) AS codes,
       list(DISTINCT coalesce(appDisplayName, appId) ORDER BY coalesce(appDisplayName, appId))
           AS apps,
       arg_min(id, (createdDateTime, id)) AS first_id, min(createdDateTime) AS first_seen,
       arg_max(id, (createdDateTime, id)) AS latest_id, max(createdDateTime) AS latest
FROM signIns
WHERE createdDateTime >= $start AND createdDateTime < $end AND errorCode <> 0
  AND errorCode NOT IN (SELECT unnest($interrupts)) {filters}
GROUP BY 1 HAVING count(*) >= $min_failures ORDER BY {order} LIMIT $limit
"""
FAILING_USER_ORDERS = {
    "failures": "failures DESC, key",
    "newest": "latest DESC, key",
    "oldest": "first_seen, key",
}
"""How the users with failures may be ordered: most failures, or latest or earliest failure."""
# One row per group with its count and the newest sign-in of the group, to cite.
_TOP_SQL = """
WITH grouped AS (
    SELECT {key} AS key, count(*) AS failures, count(DISTINCT userId) AS users,
           arg_max(id, (createdDateTime, id)) AS sample_id, max(createdDateTime) AS latest
    FROM signIns
    WHERE createdDateTime >= $start AND createdDateTime < $end AND errorCode <> 0
      AND errorCode NOT IN (SELECT unnest($interrupts)) {filters}
    GROUP BY 1 ORDER BY failures DESC, key LIMIT $limit
)
SELECT g.*, s.userPrincipalName AS upn, s.userDisplayName AS name, s.appDisplayName AS app,
       s.errorCode AS error_code
FROM grouped g JOIN signIns s ON s.id = g.sample_id
ORDER BY g.failures DESC, g.key
"""
# The expressions failures are grouped by: a fixed allow-list, the only text pasted in a query.
FAILURE_GROUPINGS = {
    "errors": "errorCode",
    "users": "coalesce(userPrincipalName, userId)",
    "apps": "coalesce(appDisplayName, appId)",
    "countries": "coalesce(json_extract_string(location, '$.countryOrRegion'), 'unknown')",
}

_ERROR_OCCURRENCES_SQL = """
SELECT count(*) AS attempts, count(DISTINCT userId) AS users,
       min(createdDateTime) AS first_seen, max(createdDateTime) AS last_seen
FROM signIns
WHERE errorCode = $code AND ($start IS NULL OR createdDateTime >= $start)
  AND ($end IS NULL OR createdDateTime < $end)
"""
_ERROR_TOP_USERS_SQL = """
SELECT userId, any_value(userPrincipalName) AS upn, count(*) AS attempts,
       arg_max(id, createdDateTime) AS latest_id, max(createdDateTime) AS latest,
       arg_min(id, createdDateTime) AS first_id, min(createdDateTime) AS first,
       arg_max(appDisplayName, createdDateTime) AS app, arg_max(ipAddress, createdDateTime) AS ip
FROM signIns
WHERE errorCode = $code AND ($start IS NULL OR createdDateTime >= $start)
  AND ($end IS NULL OR createdDateTime < $end)
GROUP BY userId ORDER BY attempts DESC, upn LIMIT $limit
"""

_ATTEMPT_ROWS_SQL = """
SELECT id, createdDateTime, userId, userDisplayName, userPrincipalName, appId, appDisplayName,
       ipAddress, clientAppUsed, correlationId, errorCode, conditionalAccessStatus,
       status->>'failureReason' AS failureReason,
       location->>'countryOrRegion' AS country, location->>'city' AS city,
       deviceDetail->>'operatingSystem' AS operatingSystem,
       (deviceDetail->'isCompliant')::BOOLEAN AS isCompliant
FROM signIns
WHERE userId = $user
  AND ($app IS NULL OR appId = $app OR lower(appDisplayName) = lower($app))
  AND ($correlation IS NULL OR correlationId = $correlation)
  AND ($start IS NULL OR createdDateTime >= $start)
  AND ($end IS NULL OR createdDateTime < $end)
ORDER BY createdDateTime, id
"""

_PATTERN_ROWS_SQL = """
SELECT id, createdDateTime, userId, userDisplayName, userPrincipalName, appDisplayName, appId,
       ipAddress, clientAppUsed, correlationId, errorCode
FROM signIns
"""


@dataclass(frozen=True)
class SignInNarrowing:
    """What a question narrows sign-ins to (None: not stated)."""

    countries: list[str] | None = None
    cities: list[str] | None = None
    ip: str | None = None
    app: str | None = None
    user: str | None = None
    """A user's object id."""
    ca_failed: bool = False
    """Only sign-ins that failed Conditional Access (`conditionalAccessStatus` failure)."""
    user_type: str | None = None
    """Only sign-ins by users of this type (Member or Guest, as the directory says)."""

    def params(self) -> dict[str, Any]:
        """The bound values of the narrowing filters."""
        return {
            "countries": self.countries,
            "cities": self.cities,
            "ip": self.ip,
            "app": self.app,
            "user": self.user,
            "ca_failed": self.ca_failed,
            "user_type": self.user_type,
        }


def first_sign_in_time(store: Store) -> datetime | None:
    """When the snapshot's first sign-in happened (None without sign-ins)."""
    return store.scalar("SELECT min(createdDateTime) FROM signIns")


def sign_in_totals(
    store: Store,
    start: datetime,
    end: datetime,
    narrowing: SignInNarrowing,
    interrupts: list[int],
) -> dict[str, Any]:
    """Counts of sign-ins, failures (interrupts apart), users and interactive sign-ins."""
    bound = {"start": start, "end": end, **narrowing.params(), "interrupts": interrupts}
    return store.query(_TOTALS_SQL.format(filters=_FILTERS), bound)[0]


def top_failure_groups(
    store: Store,
    grouping: str,
    start: datetime,
    end: datetime,
    narrowing: SignInNarrowing,
    interrupts: list[int],
    limit: int,
) -> list[dict[str, Any]]:
    """The largest groups of failed sign-ins by one of `FAILURE_GROUPINGS`, newest cited."""
    sql = _TOP_SQL.format(key=FAILURE_GROUPINGS[grouping], filters=_FILTERS)
    bound = {"start": start, "end": end, **narrowing.params()}
    return store.query(sql, {**bound, "interrupts": interrupts, "limit": limit})


def who_signed_in(
    store: Store,
    start: datetime,
    end: datetime,
    narrowing: SignInNarrowing,
    limit: int,
    passed: list[int],
) -> list[dict[str, Any]]:
    """Who signed in (successes and failures) in the window: accounts with successes first,
    then those that got past the password (`passed`: the codes that follow a correct
    password), then the busiest."""
    bound = {"start": start, "end": end, **narrowing.params(), "limit": limit, "passed": passed}
    return store.query(_WHO_SQL.format(filters=_FILTERS), bound)


def failing_users(
    store: Store,
    start: datetime,
    end: datetime,
    narrowing: SignInNarrowing,
    interrupts: list[int],
    limit: int,
    order: str = "failures",
    min_failures: int = 1,
) -> list[dict[str, Any]]:
    """The users with at least `min_failures` failed sign-ins in the window (interrupts apart)
    in `order` (a key of `FAILING_USER_ORDERS`: most failures first, or by latest or earliest
    failure): count, error codes, apps, and their first and latest failure."""
    bound = {"start": start, "end": end, **narrowing.params(), "min_failures": min_failures}
    sql = _FAILING_USERS_SQL.format(filters=_FILTERS, order=FAILING_USER_ORDERS[order])
    return store.query(sql, {**bound, "interrupts": interrupts, "limit": limit})


def error_occurrences(
    store: Store, code: int, start: datetime | None, end: datetime | None
) -> dict[str, Any]:
    """How often an error code occurred (attempts, users, first and last seen)."""
    return store.query(_ERROR_OCCURRENCES_SQL, {"code": code, "start": start, "end": end})[0]


def error_top_users(
    store: Store, code: int, start: datetime | None, end: datetime | None, limit: int
) -> list[dict[str, Any]]:
    """The users who hit an error code most, each with their first and latest such sign-in."""
    bound = {"code": code, "start": start, "end": end, "limit": limit}
    return store.query(_ERROR_TOP_USERS_SQL, bound)


def user_sign_ins(
    store: Store,
    user_id: str,
    app_id: str | None,
    correlation_id: str | None,
    start: datetime | None,
    end: datetime | None,
) -> list[dict[str, Any]]:
    """The user's sign-ins (of one app, attempt or window if given), by time.

    Rows carry the typed columns, not the whole record: reading `raw` for every row decompresses
    a block of the largest column per row; `sign_in_record` reads it for the one explained.
    """
    bound = {"user": user_id, "app": app_id, "correlation": correlation_id}
    return store.query(_ATTEMPT_ROWS_SQL, {**bound, "start": start, "end": end})


# Sign-ins are stored in time order, so the time finds the row group and only that block of
# the compressed `raw` column is read.
_SIGN_IN_RECORD_SQL = "SELECT raw FROM signIns WHERE createdDateTime = ? AND id = ?"


def sign_in_record(store: Store, created: datetime, sign_in_id: str) -> dict[str, Any]:
    """The whole Graph record of one sign-in, parsed."""
    raw = store.scalar(_SIGN_IN_RECORD_SQL, [created, sign_in_id])
    return orjson.loads(raw) if isinstance(raw, str | bytes) else raw


def sign_ins_by_ids(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """The pattern columns of these sign-ins, by time."""
    return store.query(
        _PATTERN_ROWS_SQL + "WHERE id IN (SELECT unnest(?)) ORDER BY createdDateTime, id", [ids]
    )


def failures_with_code_between(
    store: Store, user_id: str, code: int, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """The user's sign-ins that failed with `code` between `start` and `end`, by time."""
    return store.query(
        _PATTERN_ROWS_SQL
        + "WHERE userId = ? AND errorCode = ? AND createdDateTime BETWEEN ? AND ? "
        "ORDER BY createdDateTime",
        [user_id, code, start, end],
    )


def latest_sign_in_of_user(store: Store, user_id: str) -> dict[str, Any] | None:
    """The user's newest sign-in (app, IP, error, city, country), or None."""
    rows = store.query(
        "SELECT id, createdDateTime, appDisplayName, ipAddress, errorCode, isInteractive, "
        "json_extract_string(location, '$.city') AS city, "
        "json_extract_string(location, '$.countryOrRegion') AS country "
        "FROM signIns WHERE userId = ? ORDER BY createdDateTime DESC LIMIT 1",
        [user_id],
    )
    return rows[0] if rows else None


def failed_sign_in_count_of_user(store: Store, user_id: str) -> int:
    """How many of the user's sign-ins failed (any non-zero error code)."""
    return store.scalar(
        "SELECT count(*) FROM signIns WHERE userId = ? AND errorCode <> 0", [user_id]
    )


def sign_ins_with_request_ids(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """The sign-ins whose request id (the Graph id) or correlationId is one of `ids`, as
    (id, correlationId, userId), by time: what a Request ID pasted from the portal names."""
    return store.query(
        "SELECT id, correlationId, userId FROM signIns "
        "WHERE id IN (SELECT unnest(?)) OR correlationId IN (SELECT unnest(?)) "
        "ORDER BY createdDateTime, id",
        [ids, ids],
    )


def failure_reasons(store: Store) -> list[dict[str, Any]]:
    """Each failure code the tenant's sign-ins record with the reason they give for it
    (`status.failureReason`), as (code, reason)."""
    return store.query(
        "SELECT errorCode AS code, any_value(json_extract_string(status, '$.failureReason')) "
        "AS reason FROM signIns WHERE errorCode <> 0 "
        "AND json_extract_string(status, '$.failureReason') IS NOT NULL GROUP BY errorCode "
        "ORDER BY errorCode"
    )
