"""Directory objects by id, whatever their kind."""

from __future__ import annotations

from typing import Any

from idpilot.store.database import Store

# The tables an object kind is looked up in: a fixed allow-list, the only names pasted in.
_TABLES = {
    "user": "users",
    "group": "groups",
    "servicePrincipal": "servicePrincipals",
    "unifiedRoleDefinition": "roleDefinitions",
    "conditionalAccessPolicy": "conditionalAccessPolicies",
}
ID_LOOKUP_KINDS = frozenset(_TABLES)


def id_and_name(store: Store, kind: str, object_id: str) -> dict[str, Any] | None:
    """The id and display name of the object of `kind` (in ID_LOOKUP_KINDS) with this id."""
    rows = store.query(f"SELECT id, displayName FROM {_TABLES[kind]} WHERE id = ?", [object_id])
    return rows[0] if rows else None


# Kinds whose objects carry a second id audit events may name: table and that column (fixed).
_ALTERNATE_IDS = {
    "servicePrincipal": ("servicePrincipals", "appId"),
    "conditionalAccessPolicy": ("conditionalAccessPolicies", None),
    "unifiedRoleDefinition": ("roleDefinitions", "templateId"),
}
ALTERNATE_ID_KINDS = {kind: column for kind, (_, column) in _ALTERNATE_IDS.items()}


def name_and_alternate_id(store: Store, kind: str, object_id: str) -> dict[str, Any] | None:
    """Id, display name and (where the kind has one) the alternate id of an object, or None."""
    table, alternate = _ALTERNATE_IDS[kind]
    columns = "id, displayName" + (f", {alternate}" if alternate else "")
    rows = store.query(f"SELECT {columns} FROM {table} WHERE id = ?", [object_id])
    return rows[0] if rows else None
