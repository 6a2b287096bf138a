"""Groups linked to other objects: the groups a Conditional Access policy includes or excludes,
and the groups that give access to an app (assigned to it, or described as its users)."""

from __future__ import annotations

from idpilot.store.database import Store


def policy_group_ids(store: Store, policy_id: str, *, excluded: bool) -> set[str]:
    """The group ids a policy's user conditions include (or, `excluded`, exclude)."""
    key = "excludeGroups" if excluded else "includeGroups"
    rows = store.query(
        "SELECT unnest(CAST(json_extract_string(conditions, ?) AS VARCHAR[])) AS id "
        "FROM conditionalAccessPolicies WHERE id = ?",
        [f"$.users.{key}[*]", policy_id],
    )
    return {row["id"] for row in rows if row["id"]}


def policies_naming_group(store: Store, group_id: str) -> list[dict[str, object]]:
    """The Conditional Access policies whose user conditions include or exclude a group: id,
    displayName, state and `excluded` (true when the group is excluded), by name."""
    return store.query(
        "SELECT id, displayName, state, excluded FROM ("
        "SELECT id, displayName, state, list_contains(CAST(json_extract_string(conditions, "
        "'$.users.excludeGroups[*]') AS VARCHAR[]), $g) AS excluded, "
        "list_contains(CAST(json_extract_string(conditions, '$.users.includeGroups[*]') "
        "AS VARCHAR[]), $g) AS included FROM conditionalAccessPolicies"
        ") WHERE excluded OR included ORDER BY displayName, id",
        {"g": group_id},
    )


def app_group_ids(store: Store, service_principal_id: str) -> set[str]:
    """The groups that give access to an app: assigned one of its app roles, or whose
    description names the app ("Who may use Kvitto Expenses and Lønn Payroll")."""
    rows = store.query(
        "SELECT principalId AS id FROM appRoleAssignments "
        "WHERE resourceId = ? AND lower(coalesce(principalType, '')) = 'group' "
        "UNION SELECT g.id FROM groups g, servicePrincipals sp WHERE sp.id = ? "
        "AND sp.displayName IS NOT NULL AND length(sp.displayName) > 3 "
        "AND contains(lower(coalesce(json_extract_string(g.raw, '$.description'), '')), "
        "lower(sp.displayName))",
        [service_principal_id, service_principal_id],
    )
    return {row["id"] for row in rows if row["id"]}


def group_texts(store: Store) -> list[tuple[str, str, str]]:
    """Every group as (id, displayName, description): the words a group is described by."""
    rows = store.query(
        "SELECT id, coalesce(displayName, '') AS name, coalesce(description, '') AS description "
        "FROM groups ORDER BY id"
    )
    return [(row["id"], row["name"], row["description"]) for row in rows]
