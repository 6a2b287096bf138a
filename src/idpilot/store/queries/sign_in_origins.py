"""Where sign-ins come from: travel between sign-ins, legacy clients, anonymizing networks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.store.database import Store
from idpilot.store.rows import fetch_rows

_TRAVEL = """
WITH s AS (
    SELECT id, userId, userPrincipalName AS upn, createdDateTime AS t,
           TRY_CAST(json_extract(location, '$.geoCoordinates.latitude') AS DOUBLE) AS lat,
           TRY_CAST(json_extract(location, '$.geoCoordinates.longitude') AS DOUBLE) AS lon
    FROM signIns
    WHERE createdDateTime >= $start AND createdDateTime < $end AND errorCode = 0
      AND userId IS NOT NULL
), c AS (
    SELECT *, lag(id) OVER w AS prev_id, lag(t) OVER w AS prev_t, lag(lat) OVER w AS prev_lat,
           lag(lon) OVER w AS prev_lon
    FROM s WHERE lat IS NOT NULL AND lon IS NOT NULL
    WINDOW w AS (PARTITION BY userId ORDER BY t, id)
), d AS (
    SELECT *, 2 * 6371 * asin(sqrt(
               pow(sin(radians(lat - prev_lat) / 2), 2)
               + cos(radians(prev_lat)) * cos(radians(lat))
                 * pow(sin(radians(lon - prev_lon) / 2), 2)
           )) AS km,
           greatest(epoch(t) - epoch(prev_t), $min_seconds) AS seconds
    FROM c WHERE prev_id IS NOT NULL
)
SELECT userId, any_value(upn) AS upn, min(prev_t) AS first_seen, max(t) AS last_seen,
       list({'from': prev_id, 'to': id, 'km': round(km), 'minutes': round(seconds / 60),
             'kmh': round(km / (seconds / 3600))} ORDER BY t) AS pairs
FROM d WHERE km >= $min_km AND km / (seconds / 3600) > $speed
GROUP BY userId
"""

_LEGACY = """
SELECT userId, any_value(userPrincipalName) AS upn, count(*) AS attempts,
       count(*) FILTER (WHERE errorCode = 0) AS successes,
       list(DISTINCT clientAppUsed) AS clients, min(createdDateTime) AS first_seen,
       max(createdDateTime) AS last_seen,
       list(id ORDER BY errorCode <> 0, createdDateTime DESC) AS ids
FROM signIns
WHERE createdDateTime >= $start AND createdDateTime < $end AND userId IS NOT NULL
  AND clientAppUsed IN (SELECT unnest($clients))
GROUP BY userId
"""

_ANONYMOUS = """
WITH flagged AS (
    SELECT id FROM signIns
    WHERE createdDateTime >= $start AND createdDateTime < $end
      AND (coalesce(riskLevelDuringSignIn, 'none') NOT IN ('none', 'hidden')
           OR coalesce(riskState, 'none') <> 'none')
      AND (json_extract_string(raw, '$.riskEventTypes_v2') ILIKE '%anonymizedIPAddress%'
           OR json_extract_string(raw, '$.riskEventTypes') ILIKE '%anonymizedIPAddress%')
    UNION
    SELECT s.id FROM riskDetections d JOIN signIns s ON s.id = d.requestId
    WHERE d.riskEventType = 'anonymizedIPAddress'
      AND s.createdDateTime >= $start AND s.createdDateTime < $end
)
SELECT s.userId, s.ipAddress, any_value(s.userPrincipalName) AS upn, count(*) AS sign_ins,
       count(*) FILTER (WHERE s.errorCode = 0) AS successes, min(s.createdDateTime) AS first_seen,
       max(s.createdDateTime) AS last_seen, list(s.id ORDER BY s.createdDateTime) AS ids
FROM signIns s JOIN flagged USING (id)
GROUP BY s.userId, s.ipAddress
"""


def successes_without_coordinates(store: Store, start: datetime, end: datetime) -> int:
    """Successful sign-ins in [start, end) without geo coordinates (travel cannot use them)."""
    skipped = store.con.execute(
        "SELECT count(*) FROM signIns WHERE createdDateTime >= $start AND createdDateTime < $end "
        "AND errorCode = 0 AND json_extract(location, '$.geoCoordinates.latitude') IS NULL",
        {"start": start, "end": end},
    ).fetchone()[0]
    return int(skipped or 0)


def impossible_travel_pairs(
    store: Store,
    start: datetime,
    end: datetime,
    *,
    min_seconds: float,
    min_km: float,
    speed_kmh: float,
) -> list[dict[str, Any]]:
    """Per user, consecutive successful sign-ins at least `min_km` apart and faster than
    `speed_kmh` (the time between them floored at `min_seconds`)."""
    bound = {"start": start, "end": end, "min_seconds": min_seconds, "min_km": min_km}
    return fetch_rows(store, _TRAVEL, {**bound, "speed": speed_kmh})


def legacy_client_sign_ins(
    store: Store, start: datetime, end: datetime, clients: list[str]
) -> list[dict[str, Any]]:
    """Per user, sign-ins in [start, end) whose clientAppUsed is one of `clients`."""
    return fetch_rows(store, _LEGACY, {"start": start, "end": end, "clients": clients})


def anonymizer_sign_in_groups(store: Store, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Per user and IP, sign-ins Identity Protection flagged as from an anonymizing network."""
    return fetch_rows(store, _ANONYMOUS, {"start": start, "end": end})


def anonymizer_detections_of(store: Store, sign_in_ids: list[str]) -> list[dict[str, Any]]:
    """The anonymized-IP risk detections raised on these sign-ins (ids)."""
    return fetch_rows(
        store,
        "SELECT id FROM riskDetections WHERE requestId IN (SELECT unnest($ids)) "
        "AND riskEventType = 'anonymizedIPAddress'",
        {"ids": sign_in_ids},
    )
