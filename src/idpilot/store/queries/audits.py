"""Directory audit queries the detections run (the audit search itself is `store.audit`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from idpilot.store.database import Store
from idpilot.store.rows import fetch_rows

_SECURITY_INFO = """
WITH a AS (
    SELECT id, activityDateTime AS t, activityDisplayName,
           json_extract_string(initiatedBy, '$.user.id') AS uid,
           json_extract_string(initiatedBy, '$.user.ipAddress') AS ip
    FROM directoryAudits
    WHERE activityDateTime >= $start AND activityDateTime < $end
      AND activityDisplayName IN (SELECT unnest($names))
), ipc AS (
    SELECT ipAddress, any_value(json_extract_string(location, '$.countryOrRegion')) AS country
    FROM signIns WHERE ipAddress IN (SELECT ip FROM a) GROUP BY ipAddress
)
SELECT a.id, a.uid, a.ip, any_value(ipc.country) AS country, count(s.id) AS prior,
       count(s.id) FILTER (WHERE s.ipAddress = a.ip) AS same_ip,
       count(s.id) FILTER (WHERE json_extract_string(s.location, '$.countryOrRegion') = ipc.country)
           AS same_country
FROM a LEFT JOIN ipc ON ipc.ipAddress = a.ip
LEFT JOIN signIns s ON s.userId = a.uid AND s.errorCode = 0
     AND s.createdDateTime < a.t - $grace AND s.createdDateTime >= a.t - $lookback
WHERE a.uid IS NOT NULL AND a.ip IS NOT NULL
GROUP BY a.id, a.uid, a.ip
HAVING prior > 0 AND same_ip = 0 AND same_country = 0 AND any_value(ipc.country) IS NOT NULL
"""


def audits_with_activities(
    store: Store, start: datetime, end: datetime, activities: list[str]
) -> list[dict[str, Any]]:
    """Audit events in [start, end) of these activities, by time (JSON columns as text)."""
    return fetch_rows(
        store,
        "SELECT id, activityDateTime, activityDisplayName, loggedByService, result, initiatedBy, "
        "targetResources FROM directoryAudits WHERE activityDateTime >= $start "
        "AND activityDateTime < $end AND activityDisplayName IN (SELECT unnest($names)) "
        "ORDER BY activityDateTime, id",
        {"start": start, "end": end, "names": activities},
    )


def role_management_count_before(store: Store, before: datetime, actor_id: str | None) -> int:
    """How many role-management audits this user performed before `before`."""
    return store.scalar(
        "SELECT count(*) FROM directoryAudits WHERE activityDateTime < ? "
        "AND category = 'RoleManagement' AND json_extract_string(initiatedBy, '$.user.id') = ?",
        [before, actor_id],
    )


def security_info_from_new_places(
    store: Store,
    start: datetime,
    end: datetime,
    activities: list[str],
    *,
    grace: timedelta,
    lookback: timedelta,
) -> list[tuple[Any, ...]]:
    """Security-info audits from an IP and country the user had not signed in from before.

    Rows: (audit id, user id, ip, country, prior sign-ins, same-IP, same-country).
    """
    cursor = store.con.execute(
        _SECURITY_INFO,
        {"start": start, "end": end, "names": activities, "grace": grace, "lookback": lookback},
    )
    return cursor.fetchall()


def audits_since(store: Store, since: datetime, activities: list[str]) -> list[dict[str, Any]]:
    """Audit events of these activities since `since`, newest first (JSON columns as text)."""
    return fetch_rows(
        store,
        "SELECT id, activityDateTime, activityDisplayName, initiatedBy, targetResources "
        "FROM directoryAudits WHERE activityDateTime >= $since "
        "AND activityDisplayName IN (SELECT unnest($names)) ORDER BY activityDateTime DESC",
        {"since": since, "names": activities},
    )
