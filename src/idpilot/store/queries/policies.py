"""Conditional Access policy queries."""

from __future__ import annotations

from typing import Any

from idpilot.store.database import Store


def policies_by_ids(store: Store, policy_ids: list[str]) -> list[dict[str, Any]]:
    """Id, name, state and last change of the policies with these ids that still exist."""
    return store.query(
        "SELECT id, displayName, state, modifiedDateTime FROM conditionalAccessPolicies "
        "WHERE id IN (SELECT unnest(?))",
        [policy_ids],
    )


def all_policies(store: Store) -> list[dict[str, Any]]:
    """Every Conditional Access policy as stored (its Graph JSON), by display name."""
    rows = store.query("SELECT raw FROM conditionalAccessPolicies ORDER BY displayName, id")
    return [row["raw"] for row in rows]


def policy_names(store: Store) -> list[dict[str, Any]]:
    """Every Conditional Access policy's id, display name and creation time, by id."""
    return store.query(
        "SELECT id, displayName, createdDateTime FROM conditionalAccessPolicies ORDER BY id"
    )


def country_location_ids(store: Store) -> set[str]:
    """Ids (lower case) of the named locations defined by countries rather than IP ranges."""
    rows = store.query(
        "SELECT lower(id) AS id FROM namedLocations "
        "WHERE coalesce(json_array_length(countriesAndRegions), 0) > 0"
    )
    return {row["id"] for row in rows}
