"""App role queries: the roles apps define for people, and who holds them.

A group assigned an app role passes it to its direct members only: Entra does not cascade an
app's assignment to nested groups, so the members of a member group do not hold the role.
"""

from __future__ import annotations

from typing import Any

from idpilot.store.database import Store

_HELD_ROLES = """
WITH held AS (
    SELECT DISTINCT resourceId, appRoleId FROM appRoleAssignments
    WHERE principalType IN ('User', 'Group')
)
SELECT sp.id AS app_id, sp.displayName AS app, r.value->>'$.id' AS role_id,
       r.value->>'$.displayName' AS name, r.value->>'$.value' AS value,
       r.value->>'$.description' AS description, h.appRoleId IS NOT NULL AS held
FROM servicePrincipals sp, json_each(sp.appRoles) r
LEFT JOIN held h ON h.resourceId = sp.id AND h.appRoleId = r.value->>'$.id'
WHERE sp.id IN (SELECT resourceId FROM held)
ORDER BY sp.id, role_id
"""

_ROLE_HOLDING_USERS = """
SELECT DISTINCT u.id, u.displayName, coalesce(u.userPrincipalName, '') AS upn
FROM appRoleAssignments a
LEFT JOIN group_members m
       ON a.principalType = 'Group' AND m.group_id = a.principalId AND m.member_type = 'user'
JOIN users u ON u.id = CASE WHEN a.principalType = 'User' THEN a.principalId ELSE m.member_id END
WHERE a.resourceId = ? AND a.appRoleId = ?
ORDER BY u.displayName, u.id LIMIT ?
"""


def roles_of_apps_people_hold(store: Store) -> list[dict[str, Any]]:
    """Every app role of the apps that assign a role to a user or group: app id and name,
    role id, displayName, value, description, and whether a user or group holds it (`held`)."""
    return store.query(_HELD_ROLES)


def users_holding_app_role(
    store: Store, app_id: str, role_id: str, limit: int
) -> list[dict[str, Any]]:
    """Id, display name and UPN of at most `limit` users who hold the app role, assigned
    directly or as direct members of an assigned group, by name."""
    return store.query(_ROLE_HOLDING_USERS, [app_id, role_id, limit])


def direct_member_counts(store: Store, group_ids: list[str]) -> dict[str, dict[str, int]]:
    """For each group: how many direct members it has (`members`) and how many of them are
    groups (`groups`)."""
    rows = store.query(
        "SELECT g.id, count(m.member_id) AS members, "
        "count(m.member_id) FILTER (WHERE m.member_type = 'group') AS groups "
        "FROM (SELECT unnest(?) AS id) g LEFT JOIN group_members m ON m.group_id = g.id "
        "GROUP BY g.id",
        [group_ids],
    )
    return {row["id"]: {"members": row["members"], "groups": row["groups"]} for row in rows}
