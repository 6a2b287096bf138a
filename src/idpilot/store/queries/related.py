"""The directory objects a record's ids point at: users, groups, apps, policies, locations,
roles, by their id or their second id (an appId, a role's templateId)."""

from __future__ import annotations

from typing import Any

from idpilot.store.database import Store

# Each (kind, table, id column, label column): a fixed allow-list, the only names pasted in.
_TARGETS = (
    ("user", "users", "id", "coalesce(userPrincipalName, displayName)"),
    ("group", "groups", "id", "displayName"),
    ("servicePrincipal", "servicePrincipals", "id", "displayName"),
    ("servicePrincipal", "servicePrincipals", "appId", "displayName"),
    ("application", "applications", "id", "displayName"),
    ("conditionalAccessPolicy", "conditionalAccessPolicies", "id", "displayName"),
    ("namedLocation", "namedLocations", "id", "displayName"),
    ("unifiedRoleDefinition", "roleDefinitions", "id", "displayName"),
    ("unifiedRoleDefinition", "roleDefinitions", "templateId", "displayName"),
    ("riskyUser", "riskyUsers", "id", "coalesce(userPrincipalName, userDisplayName)"),
)


def objects_with_ids(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """The directory objects whose id (or appId, or role templateId) is one of `ids`
    (compared case-insensitively): kind, id, label and the id that matched, one row per
    object, in the order of `ids`."""
    wanted = list(dict.fromkeys(value.lower() for value in ids))
    if not wanted:
        return []
    present = store.tables()
    parts = [
        f"SELECT '{kind}' AS kind, id, {label} AS label, lower({column}) AS matched, "
        f"{rank} AS rank FROM {table} WHERE lower({column}) IN (SELECT unnest($ids))"
        for rank, (kind, table, column, label) in enumerate(_TARGETS)
        if table in present
    ]
    if not parts:
        return []
    rows = store.query(" UNION ALL ".join(parts), {"ids": wanted})
    order = {value: index for index, value in enumerate(wanted)}
    rows.sort(key=lambda row: (order[row["matched"]], row["rank"]))
    seen: set[tuple[str, str]] = set()
    found = []
    for row in rows:
        key = (row["kind"], row["id"])
        if key not in seen:
            seen.add(key)
            found.append({k: row[k] for k in ("kind", "id", "label", "matched")})
    return found
