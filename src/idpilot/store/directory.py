"""Directory queries: users, groups, memberships (direct and transitive) and role holders."""

from __future__ import annotations

import json
from typing import Any

from idpilot.store.database import Store

MAX_NESTING_DEPTH = 32

_TRANSITIVE_GROUPS = """
WITH RECURSIVE up(group_id, depth, path) AS (
    SELECT group_id, 1, [group_id] FROM group_members WHERE member_id = ?
    UNION ALL
    SELECT gm.group_id, up.depth + 1, list_append(up.path, gm.group_id)
    FROM group_members gm JOIN up ON gm.member_id = up.group_id
    WHERE up.depth < ? AND NOT list_contains(up.path, gm.group_id)
)
SELECT g.id, g.displayName, g.isAssignableToRole, min(up.depth) AS depth,
       arg_min(up.path, up.depth) AS path
FROM up JOIN groups g ON g.id = up.group_id
GROUP BY ALL ORDER BY depth, g.displayName
"""

_TRANSITIVE_MEMBERS = """
WITH RECURSIVE down(member_id, member_type, depth, via) AS (
    SELECT member_id, member_type, 1, CAST(NULL AS VARCHAR) FROM group_members WHERE group_id = ?
    UNION ALL
    SELECT gm.member_id, gm.member_type, down.depth + 1, gm.group_id
    FROM group_members gm JOIN down ON gm.group_id = down.member_id
    WHERE down.member_type = 'group' AND down.depth < ?
)
SELECT member_id AS id, any_value(member_type) AS member_type, min(depth) AS depth,
       arg_min(via, depth) AS via_group_id
FROM down GROUP BY member_id
"""


def user_by_id(store: Store, user_id: str) -> dict[str, Any] | None:
    """The user row with this id, or None."""
    rows = store.query("SELECT * EXCLUDE (raw) FROM users WHERE id = ?", [user_id])
    return rows[0] if rows else None


def group_by_id(store: Store, group_id: str) -> dict[str, Any] | None:
    """The group row with this id, or None."""
    rows = store.query(
        "SELECT * EXCLUDE (raw, members, owners) FROM groups WHERE id = ?", [group_id]
    )
    return rows[0] if rows else None


def groups_of(store: Store, member_id: str) -> list[dict[str, Any]]:
    """Every group the object belongs to, transitively, nearest first, with the path to it."""
    return store.query(_TRANSITIVE_GROUPS, [member_id, MAX_NESTING_DEPTH])


def members_of(store: Store, group_id: str) -> list[dict[str, Any]]:
    """Every member of a group, transitively: id, type, depth and the group it came through."""
    rows = store.query(_TRANSITIVE_MEMBERS, [group_id, MAX_NESTING_DEPTH])
    _with_names(store, rows)
    return sorted(rows, key=lambda r: (r["depth"], r["member_type"] or "", r["displayName"] or ""))


def owners_of(store: Store, group_id: str) -> list[dict[str, Any]]:
    """The owners of a group."""
    rows = store.query(
        "SELECT owner_id AS id, owner_type AS type FROM group_owners WHERE group_id = ?",
        [group_id],
    )
    _with_names(store, rows)
    return sorted(rows, key=lambda r: r["displayName"] or "")


def app_user_owners(store: Store, service_principal_id: str) -> list[dict[str, Any]]:
    """The users who own an app: the owners of its service principal and of its application
    registration (Graph's `owners`), each once: id, displayName, userPrincipalName."""
    rows = store.query(
        "SELECT sp.owners AS sp_owners, a.owners AS app_owners FROM servicePrincipals sp "
        "LEFT JOIN applications a ON a.appId = sp.appId WHERE sp.id = ?",
        [service_principal_id],
    )
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        for column in ("sp_owners", "app_owners"):
            for owner in _json_list(row.get(column)):
                kind = str(owner.get("@odata.type") or "#microsoft.graph.user")
                if owner.get("id") and kind.endswith(".user"):
                    found.setdefault(owner["id"], owner)
    return sorted(found.values(), key=lambda o: str(o.get("displayName") or o["id"]))


def _json_list(value: Any) -> list[dict[str, Any]]:
    """A JSON list column's objects, whether the store gave it decoded or as text."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [item for item in value or [] if isinstance(item, dict)]


def objects_by_id(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Users, groups and service principals by id: displayName, UPN, `type`, enabled state."""
    if not ids:
        return {}
    rows = store.query(
        "SELECT id, displayName, userPrincipalName, 'user' AS type, accountEnabled, userType "
        "FROM users WHERE id IN (SELECT unnest(?)) "
        "UNION ALL SELECT id, displayName, NULL, 'group', NULL, NULL FROM groups "
        "WHERE id IN (SELECT unnest(?)) "
        "UNION ALL SELECT id, displayName, NULL, 'servicePrincipal', accountEnabled, NULL "
        "FROM servicePrincipals WHERE id IN (SELECT unnest(?))",
        [ids, ids, ids],
    )
    return {row["id"]: row for row in rows}


def _with_names(store: Store, rows: list[dict[str, Any]]) -> None:
    """Add displayName and userPrincipalName to rows keyed by `id`."""
    found = objects_by_id(store, [row["id"] for row in rows])
    for row in rows:
        known = found.get(row["id"], {})
        row["displayName"] = known.get("displayName")
        row["userPrincipalName"] = known.get("userPrincipalName")


def role_assignments_of(store: Store, principal_ids: list[str]) -> list[dict[str, Any]]:
    """Active role assignments held by any of these principals (a user and its groups)."""
    if not principal_ids:
        return []
    return store.query(
        """
        SELECT a.id, a.principalId, a.roleDefinitionId, a.directoryScopeId,
               coalesce(d.displayName, a.roleDefinitionId) AS roleName, d.templateId
        FROM roleAssignments a
        LEFT JOIN roleDefinitions d
               ON d.id = a.roleDefinitionId OR d.templateId = a.roleDefinitionId
        WHERE a.principalId IN (SELECT unnest(?))
        ORDER BY roleName
        """,
        [principal_ids],
    )


def role_eligibilities_of(store: Store, principal_ids: list[str]) -> list[dict[str, Any]]:
    """PIM-eligible role schedules of any of these principals."""
    if not principal_ids:
        return []
    return store.query(
        """
        SELECT e.id, e.principalId, e.roleDefinitionId, e.directoryScopeId, e.status,
               coalesce(d.displayName, e.roleDefinitionId) AS roleName
        FROM roleEligibilitySchedules e
        LEFT JOIN roleDefinitions d
               ON d.id = e.roleDefinitionId OR d.templateId = e.roleDefinitionId
        WHERE e.principalId IN (SELECT unnest(?))
        ORDER BY roleName
        """,
        [principal_ids],
    )


_NAMED_OBJECTS = """
SELECT id AS key, id, 'user' AS kind, displayName, userPrincipalName AS detail
FROM users WHERE id = ANY($ids)
UNION ALL SELECT id, id, 'group', displayName, NULL FROM groups WHERE id = ANY($ids)
UNION ALL SELECT id, id, 'servicePrincipal', displayName, appId FROM servicePrincipals
WHERE id = ANY($ids)
UNION ALL SELECT appId, id, 'servicePrincipal', displayName, appId FROM servicePrincipals
WHERE appId = ANY($ids)
UNION ALL SELECT id, id, 'application', displayName, appId FROM applications
WHERE id = ANY($ids)
UNION ALL SELECT id, id, 'unifiedRoleDefinition', displayName, templateId
FROM roleDefinitions WHERE id = ANY($ids)
UNION ALL SELECT templateId, id, 'unifiedRoleDefinition', displayName, templateId
FROM roleDefinitions WHERE templateId = ANY($ids) AND id <> templateId
UNION ALL SELECT id, id, 'conditionalAccessPolicy', displayName, NULL
FROM conditionalAccessPolicies WHERE id = ANY($ids)
UNION ALL SELECT id, id, 'namedLocation', displayName, NULL FROM namedLocations
WHERE id = ANY($ids)
"""


def named_objects(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The directory objects these ids name, keyed by lower-case id: users, groups, service
    principals (by object id or appId), app registrations, roles (by id or template id),
    Conditional Access policies and named locations. Unknown ids are absent; when an id names
    several objects (an app registration and its service principal share an appId, not an id)
    the first found wins."""
    # Exact matches on the id as given and in lower case (Graph writes GUIDs in lower case;
    # an equality test keeps the lookups on the id index).
    wanted = sorted({form for i in ids if i for form in (i, i.lower())})
    if not wanted:
        return {}
    cursor = store.con.execute(_NAMED_OBJECTS, {"ids": wanted})
    found: dict[str, dict[str, Any]] = {}
    for key, object_id, kind, name, detail in cursor.fetchall():
        found.setdefault(
            key.lower(), {"id": object_id, "kind": kind, "displayName": name, "detail": detail}
        )
    return found


PHONE_METHODS = ("mobilePhone", "alternateMobilePhone", "officePhone")
"""Graph's userRegistrationDetails.methodsRegistered values for SMS and voice calls."""


def registered_methods(store: Store, user_ids: list[str]) -> dict[str, dict[str, Any]]:
    """MFA registration of these users (from the registration report): user id -> its
    `isMfaRegistered`, `methodsRegistered` and whether phone (SMS, voice) is all they have.
    A user absent from the report has registered nothing."""
    rows = store.query(
        "SELECT id, coalesce(isMfaRegistered, FALSE) AS registered, "
        "CAST(coalesce(methodsRegistered, '[]') AS VARCHAR[]) AS methods "
        "FROM userRegistrationDetails WHERE id IN (SELECT unnest(?))",
        [user_ids],
    )
    found = {
        row["id"]: {
            "registered": row["registered"],
            "methods": list(row["methods"] or []),
            # Email is for password reset only: it counts neither way.
            "phone_only": bool(set(row["methods"] or []) & set(PHONE_METHODS))
            and set(row["methods"] or []) <= {*PHONE_METHODS, "email"},
        }
        for row in rows
    }
    empty = {"registered": False, "methods": [], "phone_only": False}
    return {user_id: found.get(user_id, empty) for user_id in user_ids}


def sign_in_cities(store: Store) -> tuple[str, ...]:
    """The city names the tenant's sign-ins record, as recorded (from the derived table; a
    store opened read-only before migration 005 is read from the sign-ins themselves)."""
    if "sign_in_places" in store.tables():
        sql = "SELECT DISTINCT city FROM sign_in_places ORDER BY 1"
    else:
        sql = (
            "SELECT DISTINCT json_extract_string(location, '$.city') AS city FROM signIns "
            "WHERE coalesce(json_extract_string(location, '$.city'), '') <> '' ORDER BY 1"
        )
    return tuple(row["city"] for row in store.query(sql))


def city_country(store: Store, city: str) -> str | None:
    """The country (ISO alpha-2) the tenant's sign-ins most often record with a city, matched
    without case; None when no sign-in records the city with a country."""
    rows = store.query(
        "SELECT upper(json_extract_string(location, '$.countryOrRegion')) AS code, count(*) AS n "
        "FROM signIns WHERE lower(json_extract_string(location, '$.city')) = lower(?) "
        "AND coalesce(json_extract_string(location, '$.countryOrRegion'), '') <> '' "
        "GROUP BY 1 ORDER BY n DESC, code LIMIT 1",
        [city],
    )
    return rows[0]["code"] if rows else None


def sign_in_address_countries(store: Store) -> list[dict[str, Any]]:
    """Each IP address sign-ins came from, with the country they record for it and how often."""
    return store.query(
        "SELECT ipAddress, upper(json_extract_string(location, '$.countryOrRegion')) AS country, "
        "count(*) AS n FROM signIns WHERE coalesce(ipAddress, '') <> '' "
        "AND coalesce(json_extract_string(location, '$.countryOrRegion'), '') <> '' "
        "GROUP BY 1, 2"
    )


def applications_of(store: Store, app_id: str) -> list[dict[str, Any]]:
    """The app registrations (application objects) of an appId, in this tenant."""
    return store.query("SELECT id, displayName FROM applications WHERE appId = ?", [app_id])


def user_types(store: Store, user_ids: list[str]) -> dict[str, str]:
    """userType of these users (Member or Guest; an #EXT# sign-in name marks a guest when the
    property is absent)."""
    return {user_id: row["kind"] for user_id, row in user_profiles(store, user_ids).items()}


def user_profiles(store: Store, user_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Display name, sign-in name, department and `kind` (userType as `user_types` reads it)
    of these users, by id."""
    rows = store.query(
        "SELECT id, displayName, userPrincipalName, department, coalesce(userType, CASE WHEN "
        "contains(userPrincipalName, '#EXT#') THEN 'Guest' ELSE 'Member' END) AS kind "
        "FROM users WHERE id IN (SELECT unnest(?))",
        [user_ids],
    )
    return {row["id"]: row for row in rows}


def users_in_department(store: Store, user_ids: list[str], department: str) -> set[str]:
    """Those of these users whose department is `department` (compared without case)."""
    rows = store.query(
        "SELECT id FROM users WHERE id IN (SELECT unnest(?)) AND lower(department) = lower(?)",
        [user_ids, department],
    )
    return {row["id"] for row in rows}


def departments(store: Store) -> tuple[str, ...]:
    """The departments the tenant's users record."""
    rows = store.query(
        "SELECT DISTINCT department FROM users WHERE department IS NOT NULL ORDER BY 1"
    )
    return tuple(row["department"] for row in rows)
