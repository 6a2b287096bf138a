"""Bursts of failed sign-ins (password spray, brute force, MFA fatigue) and what follows them.

Window functions split each IP's or user's failures into bursts (events closer than `gap`);
the thresholds come in as bound values.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from idpilot.store.database import Store
from idpilot.store.rows import fetch_rows

_BURSTS = """
WITH f AS (
    SELECT id, {key} AS k, userId, createdDateTime AS t, errorCode FROM signIns
    WHERE createdDateTime >= $start AND createdDateTime < $end AND {key} IS NOT NULL
      AND ({condition})
), g AS (
    SELECT *, sum(CASE WHEN prev IS NULL OR t - prev > $gap THEN 1 ELSE 0 END)
              OVER (PARTITION BY k ORDER BY t, id) AS burst
    FROM (SELECT *, lag(t) OVER (PARTITION BY k ORDER BY t, id) AS prev FROM f)
)
SELECT k, burst, count(DISTINCT userId) AS users, count(*) AS attempts,
       count(*) FILTER (WHERE errorCode = $locked) AS lockouts,
       min(t) AS first_seen, max(t) AS last_seen, list(id ORDER BY t, id) AS ids
FROM g GROUP BY k, burst HAVING {having}
"""
# The fixed fragments the bursts are built from (never input): key, condition, threshold.
_WRONG_PASSWORD = "errorCode IN ($wrong_password, $locked)"
_MFA_DENIED = (
    "errorCode = $mfa_denied OR (errorCode <> 0 AND "
    "json_extract_string(status, '$.additionalDetails') ILIKE '%MFA denied%')"
)

_SIGN_IN_EVIDENCE_SQL = """
SELECT id, createdDateTime, userId, userPrincipalName, userDisplayName, ipAddress, errorCode,
       appDisplayName, clientAppUsed, isInteractive,
       json_extract_string(location, '$.city') AS city,
       json_extract_string(location, '$.countryOrRegion') AS country
FROM signIns WHERE id IN (SELECT unnest($ids)) {within} ORDER BY createdDateTime, id
"""
_WITHIN = "AND createdDateTime >= $first AND createdDateTime <= $last"
"""The sign-ins are stored in time order: bounding the time lets the scan skip every block
outside it (at 50 million sign-ins, 8 s a lookup by id alone)."""


def _bursts(
    store: Store, key: str, condition: str, having: str, bound: dict[str, Any]
) -> list[dict[str, Any]]:
    sql = _BURSTS.format(key=key, condition=condition, having=having)
    return fetch_rows(store, sql, bound)


def wrong_password_bursts_by_ip(
    store: Store,
    start: datetime,
    end: datetime,
    gap: timedelta,
    *,
    wrong_password: int,
    locked: int,
    min_users: int,
) -> list[dict[str, Any]]:
    """Per IP, bursts of wrong passwords and lockouts reaching `min_users` distinct users."""
    bound = {"start": start, "end": end, "gap": gap, "wrong_password": wrong_password}
    bound |= {"locked": locked, "min_users": min_users}
    having = "count(DISTINCT userId) >= $min_users"
    return _bursts(store, "ipAddress", _WRONG_PASSWORD, having, bound)


def wrong_password_bursts_by_user(
    store: Store,
    start: datetime,
    end: datetime,
    gap: timedelta,
    *,
    wrong_password: int,
    locked: int,
    min_lock: int,
    min_failures: int,
) -> list[dict[str, Any]]:
    """Per user, bursts of wrong passwords ending in a lockout after `min_lock` failures, or
    reaching `min_failures`."""
    bound = {"start": start, "end": end, "gap": gap, "wrong_password": wrong_password}
    bound |= {"locked": locked, "min_lock": min_lock, "min_failures": min_failures}
    having = (
        "(count(*) FILTER (WHERE errorCode = $locked) > 0 AND count(*) >= $min_lock) "
        "OR count(*) >= $min_failures"
    )
    return _bursts(store, "userId", _WRONG_PASSWORD, having, bound)


def mfa_denial_bursts_by_user(
    store: Store,
    start: datetime,
    end: datetime,
    gap: timedelta,
    *,
    mfa_denied: int,
    locked: int,
    min_prompts: int,
) -> list[dict[str, Any]]:
    """Per user, bursts of denied or unanswered MFA prompts reaching `min_prompts`."""
    bound = {"start": start, "end": end, "gap": gap, "mfa_denied": mfa_denied}
    bound |= {"locked": locked, "min_prompts": min_prompts}
    return _bursts(store, "userId", _MFA_DENIED, "count(*) >= $min_prompts", bound)


def past_password_from_ip(
    store: Store, ip: str, first: datetime, until: datetime, codes: list[int]
) -> list[dict[str, Any]]:
    """Sign-ins from `ip` between `first` and `until` that ended with one of `codes` (those
    reached only once the password was accepted): id, userId, upn, errorCode, by time."""
    return fetch_rows(
        store,
        "SELECT id, userId, userPrincipalName AS upn, userDisplayName AS name, errorCode, "
        "createdDateTime FROM signIns WHERE ipAddress = $ip "
        "AND errorCode IN (SELECT unnest($codes)) "
        "AND createdDateTime >= $first AND createdDateTime <= $until "
        "ORDER BY createdDateTime, id",
        {"ip": ip, "first": first, "until": until, "codes": codes},
    )


def first_success_after(
    store: Store, user_id: str, last: datetime, until: datetime
) -> list[dict[str, Any]]:
    """The user's first successful sign-in after `last` and by `until` (zero or one row)."""
    return fetch_rows(
        store,
        "SELECT id, userId, userPrincipalName AS upn FROM signIns WHERE userId = $user "
        "AND errorCode = 0 AND createdDateTime > $last AND createdDateTime <= $until "
        "ORDER BY createdDateTime LIMIT 1",
        {"user": user_id, "last": last, "until": until},
    )


def sign_in_evidence_rows(
    store: Store, ids: list[str], first: datetime | None = None, last: datetime | None = None
) -> list[tuple[Any, ...]]:
    """The fields answers print of these sign-ins, as tuples in SIGN_IN_EVIDENCE_COLUMNS order;
    `first` and `last`, when given, bound when they happened (inclusive)."""
    if first is None or last is None:
        sql, bound = _SIGN_IN_EVIDENCE_SQL.format(within=""), {"ids": list(ids)}
    else:
        sql = _SIGN_IN_EVIDENCE_SQL.format(within=_WITHIN)
        bound = {"ids": list(ids), "first": first, "last": last}
    return store.con.execute(sql, bound).fetchall()


SIGN_IN_EVIDENCE_COLUMNS = (
    "id", "createdDateTime", "userId", "userPrincipalName", "userDisplayName", "ipAddress",
    "errorCode", "appDisplayName", "clientAppUsed", "isInteractive", "city", "country",
)  # fmt: skip
