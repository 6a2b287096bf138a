"""Lifecycle workflow queries."""

from __future__ import annotations

from typing import Any

from idpilot.store.database import Store


def lifecycle_workflows_by_category(store: Store) -> list[dict[str, Any]]:
    """Every lifecycle workflow (state, dates, version), by category and name."""
    return store.query(
        "SELECT id, displayName, description, category, isEnabled, isSchedulingEnabled, "
        "createdDateTime, lastModifiedDateTime, json_extract_string(raw, '$.version') AS version "
        "FROM lifecycleWorkflows ORDER BY category, displayName"
    )
