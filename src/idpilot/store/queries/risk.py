"""Identity Protection queries: risky users, risk detections, risky service principals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.store.database import Store
from idpilot.store.rows import fetch_rows


def risky_user_state(store: Store, user_id: str) -> dict[str, Any] | None:
    """The user's Identity Protection risk state, or None when the user is not listed."""
    rows = store.query(
        "SELECT id, riskLevel, riskState, riskDetail, riskLastUpdatedDateTime FROM riskyUsers "
        "WHERE id = ?",
        [user_id],
    )
    return rows[0] if rows else None


def risky_service_principals(store: Store) -> list[dict[str, Any]]:
    """Every risky service principal's risk state, most recently updated first."""
    return fetch_rows(
        store,
        "SELECT id, appId, displayName, riskLevel, riskState, riskDetail, "
        "riskLastUpdatedDateTime FROM riskyServicePrincipals ORDER BY riskLastUpdatedDateTime DESC",
        [],
    )


def service_principal_risk_detections(store: Store) -> list[dict[str, Any]]:
    """Every service principal risk detection, by time."""
    return fetch_rows(
        store,
        "SELECT id, servicePrincipalId, riskEventType, riskLevel, riskState, "
        "detectionTimingType, activityDateTime, ipAddresses FROM servicePrincipalRiskDetections "
        "ORDER BY activityDateTime",
        [],
    )


def risky_user_rows(store: Store, user_id: str) -> list[dict[str, Any]]:
    """The user's riskyUsers row (names and risk state), zero or one."""
    return fetch_rows(
        store,
        "SELECT id, userPrincipalName, userDisplayName, riskLevel, riskState, riskDetail, "
        "riskLastUpdatedDateTime FROM riskyUsers WHERE id = ?",
        [user_id],
    )


def risk_detections_of_user(store: Store, user_id: str) -> list[dict[str, Any]]:
    """The user's risk detections, by activity time (location as JSON text)."""
    return fetch_rows(
        store,
        "SELECT id, requestId, correlationId, riskEventType, riskState, riskLevel, riskDetail, "
        "source, detectionTimingType, activity, ipAddress, activityDateTime, detectedDateTime, "
        "location FROM riskDetections WHERE userId = ? ORDER BY activityDateTime, id",
        [user_id],
    )


def sign_ins_by_request_or_correlation(
    store: Store, request_ids: list[str], correlation_ids: list[str]
) -> list[dict[str, Any]]:
    """Sign-ins whose id is one of `request_ids` or whose correlationId is in `correlation_ids`."""
    return fetch_rows(
        store,
        "SELECT id, createdDateTime, userId, userPrincipalName, ipAddress, errorCode, "
        "appDisplayName, correlationId, json_extract_string(location, '$.countryOrRegion') AS "
        "country, json_extract_string(location, '$.city') AS city FROM signIns "
        "WHERE id IN (SELECT unnest($r)) OR correlationId IN (SELECT unnest($c)) "
        "ORDER BY createdDateTime",
        {"r": request_ids, "c": correlation_ids},
    )


def audits_by_or_about_user(
    store: Store, user_id: str, first: datetime, last: datetime, activities: list[str]
) -> list[dict[str, Any]]:
    """Audits of these activities between `first` and `last` done by or naming the user."""
    return fetch_rows(
        store,
        "SELECT id, activityDateTime, activityDisplayName, initiatedBy, targetResources "
        "FROM directoryAudits WHERE activityDateTime >= $first AND activityDateTime <= $last "
        "AND activityDisplayName IN (SELECT unnest($names)) "
        "AND (json_extract_string(initiatedBy, '$.user.id') = $user "
        "     OR CAST(targetResources AS VARCHAR) LIKE '%' || $user || '%') "
        "ORDER BY activityDateTime",
        {"first": first, "last": last, "names": activities, "user": user_id},
    )


_NEW_DEVICES = """
WITH d AS (
    SELECT id, createdDateTime AS t,
           coalesce(nullif(json_extract_string(deviceDetail, '$.deviceId'), ''),
                    concat_ws(' / ', json_extract_string(deviceDetail, '$.operatingSystem'),
                              json_extract_string(deviceDetail, '$.browser'))) AS device
    FROM signIns WHERE userId = $user AND createdDateTime >= $since AND createdDateTime <= $last
)
SELECT device, min(t) AS first_seen, arg_min(id, t) AS sign_in_id FROM d
WHERE device IS NOT NULL AND device <> ''
GROUP BY device HAVING min(t) >= $first ORDER BY first_seen
"""


def devices_first_seen(
    store: Store, user_id: str, since: datetime, first: datetime, last: datetime
) -> list[dict[str, Any]]:
    """Devices of the user's sign-ins (since `since`) first seen between `first` and `last`."""
    return fetch_rows(
        store, _NEW_DEVICES, {"user": user_id, "since": since, "first": first, "last": last}
    )


def other_accounts_on_ips(
    store: Store, user_id: str, ips: list[str], limit: int
) -> list[dict[str, Any]]:
    """Other users who signed in from these IPs, most successes first (then most sign-ins,
    then by id: the same accounts every time a tie meets the limit)."""
    return fetch_rows(
        store,
        "SELECT userId, any_value(userPrincipalName) AS userPrincipalName, ipAddress, "
        "count(*) AS sign_ins, count(*) FILTER (WHERE errorCode = 0) AS successes, "
        "arg_max(id, createdDateTime) AS sign_in_id FROM signIns "
        "WHERE ipAddress IN (SELECT unnest($ips)) AND userId <> $user "
        "GROUP BY userId, ipAddress ORDER BY successes DESC, sign_ins DESC, userId, ipAddress "
        "LIMIT $n",
        {"ips": ips, "user": user_id, "n": limit},
    )


def sign_in_ids_with_error(
    store: Store, user_id: str, code: int, first: datetime, last: datetime
) -> list[str]:
    """Ids of the user's sign-ins that failed with `code` between `first` and `last`."""
    rows = store.con.execute(
        "SELECT id FROM signIns WHERE userId = ? AND errorCode = ? AND createdDateTime >= ? "
        "AND createdDateTime <= ? ORDER BY createdDateTime",
        [user_id, code, first, last],
    ).fetchall()
    return [r[0] for r in rows]


def policy_risk_levels(store: Store) -> list[dict[str, Any]]:
    """Every Conditional Access policy's user and sign-in risk levels (JSON text)."""
    return fetch_rows(
        store,
        "SELECT id, displayName, state, "
        "json_extract(conditions, '$.userRiskLevels') AS user_levels, "
        "json_extract(conditions, '$.signInRiskLevels') AS sign_in_levels "
        "FROM conditionalAccessPolicies",
        [],
    )


def risky_users_with_detections(store: Store) -> list[dict[str, Any]]:
    """Risky users not deleted, with their detection count, when their first detection was made
    and their open risk event types."""
    return fetch_rows(
        store,
        "SELECT r.id, r.userPrincipalName, r.userDisplayName, r.riskLevel, r.riskState, "
        "r.riskDetail, r.riskLastUpdatedDateTime, "
        "(SELECT count(*) FROM riskDetections d WHERE d.userId = r.id) AS detections, "
        "(SELECT min(d.detectedDateTime) FROM riskDetections d WHERE d.userId = r.id) "
        "AS first_flagged, "
        "(SELECT arg_min(d.id, d.detectedDateTime) FROM riskDetections d WHERE d.userId = r.id) "
        "AS first_detection, "
        "(SELECT list(DISTINCT d.riskEventType) FROM riskDetections d WHERE d.userId = r.id "
        " AND d.riskState IN ('atRisk', 'confirmedCompromised')) AS open_types "
        "FROM riskyUsers r WHERE coalesce(r.isDeleted, false) = false",
        [],
    )
