"""A user's sign-ins read for troubleshooting, grouped into attempts by correlationId."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from idpilot.knowledge import default_catalog, interrupt_followed_by_success
from idpilot.skills.base import SkillResult
from idpilot.skills.ca.evidence import cite_sign_in
from idpilot.store import Store

ATTEMPT_ROWS = """
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
# The whole record of one sign-in. Sign-ins are stored in time order, so the time finds the
# row group and only that block of the compressed `raw` column is read.
SIGN_IN_RECORD = "SELECT raw FROM signIns WHERE createdDateTime = ? AND id = ?"


def sign_in_rows(
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
    return store.query(
        ATTEMPT_ROWS,
        {
            "user": user_id,
            "app": app_id,
            "correlation": correlation_id,
            "start": start,
            "end": end,
        },
    )


def sign_in_record(store: Store, row: dict[str, Any]) -> dict[str, Any]:
    """The whole Graph record of a sign-in row from `sign_in_rows`, parsed."""
    raw = store.scalar(SIGN_IN_RECORD, [row["createdDateTime"], row["id"]])
    return orjson.loads(raw) if isinstance(raw, str | bytes) else raw


def group_attempts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped by correlationId into attempts, in time order of their last row."""
    by_correlation: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_correlation.setdefault(row["correlationId"] or row["id"], []).append(row)
    attempts = []
    catalog = default_catalog()
    for correlation, group in by_correlation.items():
        codes = [r["errorCode"] or 0 for r in group]
        benign = interrupt_followed_by_success(codes, catalog)
        last = group[-1]
        attempts.append(
            {
                "correlation_id": correlation,
                "rows": group,
                "codes": codes,
                "last": last,
                "failed": (last["errorCode"] or 0) != 0,
                "interrupt_then_success": benign,
            }
        )
    return sorted(attempts, key=lambda a: a["last"]["createdDateTime"])


def attempt_facts(result: SkillResult, attempt: dict[str, Any]) -> dict[str, Any]:
    """The facts of one attempt for an answer, its sign-ins cited."""
    last = attempt["last"]
    return {
        "correlation_id": attempt["correlation_id"],
        "codes": attempt["codes"],
        "sign_in_ids": [cite_sign_in(result, row) for row in attempt["rows"]],
        "when": last["createdDateTime"],
        "app": last["appDisplayName"],
        "error_code": last["errorCode"],
        "title": default_catalog().explain(last["errorCode"] or 0).title,
    }
