"""Queries for stakeholder reports: the tenant's name and the daily series charts draw."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.store.database import Store
from idpilot.store.rows import fetch_rows


def organization(store: Store) -> dict[str, Any] | None:
    """The tenant's organization record (id, displayName), or None."""
    rows = fetch_rows(store, "SELECT id, displayName FROM organization ORDER BY id LIMIT 1", [])
    return rows[0] if rows else None


def sign_ins_by_day(
    store: Store, start: datetime, end: datetime, interrupts: list[int], user_id: str | None
) -> list[dict[str, Any]]:
    """Per UTC day of the window: sign-ins and failures (interrupts apart), of one user or all."""
    return fetch_rows(
        store,
        "SELECT strftime(date_trunc('day', createdDateTime), '%Y-%m-%d') AS day, "
        "count(*) AS sign_ins, "
        "count(*) FILTER (WHERE errorCode <> 0 AND errorCode NOT IN (SELECT unnest($interrupts)))"
        " AS failures "
        "FROM signIns WHERE createdDateTime >= $start AND createdDateTime < $end "
        "AND ($user IS NULL OR userId = $user) GROUP BY day ORDER BY day",
        {"start": start, "end": end, "interrupts": interrupts, "user": user_id},
    )


def risk_detections_by_day(store: Store, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Per UTC day of the window: Identity Protection risk detections by risk level."""
    return fetch_rows(
        store,
        "SELECT strftime(date_trunc('day', detectedDateTime), '%Y-%m-%d') AS day, "
        "count(*) FILTER (WHERE riskLevel = 'high') AS high, "
        "count(*) FILTER (WHERE riskLevel = 'medium') AS medium, "
        "count(*) FILTER (WHERE riskLevel = 'low') AS low "
        "FROM riskDetections WHERE detectedDateTime >= $start AND detectedDateTime < $end "
        "GROUP BY day ORDER BY day",
        {"start": start, "end": end},
    )
