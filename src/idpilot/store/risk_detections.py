"""Identity Protection risk detections read for linking: the ones near a set of sign-ins."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.store.database import Store
from idpilot.store.rows import fetch_rows

_NEAR = """
SELECT id, requestId, riskEventType, riskLevel, riskState, riskDetail, source,
       detectionTimingType, ipAddress, activityDateTime, detectedDateTime, userId,
       userPrincipalName, userDisplayName
FROM riskDetections
WHERE list_contains($requests, requestId)
   OR (coalesce(activityDateTime, detectedDateTime) >= $start
       AND coalesce(activityDateTime, detectedDateTime) < $end
       AND (list_contains($users, userId) OR list_contains($ips, ipAddress)))
ORDER BY coalesce(activityDateTime, detectedDateTime), id
LIMIT $limit
"""


def risk_detections_near(
    store: Store,
    sign_in_ids: list[str],
    user_ids: list[str],
    ips: list[str],
    start: datetime,
    end: datetime,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Risk detections about these sign-ins (requestId), or of these users or IP addresses
    with an activity time in [start, end); oldest first, at most `limit`."""
    return fetch_rows(
        store,
        _NEAR,
        {
            "requests": list(sign_in_ids),
            "users": list(user_ids),
            "ips": list(ips),
            "start": start,
            "end": end,
            "limit": limit,
        },
    )
