"""Application queries: service principals, app registrations, permissions, grants, sign-ins."""

from __future__ import annotations

from typing import Any

from idpilot.knowledge.graph_permissions import MICROSOFT_TENANT_ID
from idpilot.store.database import Store


def service_principal_details(store: Store, sp_id: str) -> dict[str, Any]:
    """A service principal's identity, owners, roles and credentials (it must exist)."""
    return store.query(
        "SELECT id, appId, displayName, servicePrincipalType, accountEnabled, "
        "appOwnerOrganizationId, appRoles, owners, passwordCredentials, keyCredentials "
        "FROM servicePrincipals WHERE id = ?",
        [sp_id],
    )[0]


def service_principal_summary(store: Store, sp_id: str) -> dict[str, Any]:
    """A service principal's id, appId and display name (it must exist)."""
    return store.query(
        "SELECT id, appId, displayName FROM servicePrincipals WHERE id = ?", [sp_id]
    )[0]


def app_id_of_service_principal(store: Store, sp_id: str | None) -> str | None:
    """The appId of a service principal, or None."""
    return store.scalar("SELECT appId FROM servicePrincipals WHERE id = ?", [sp_id])


def app_registrations(store: Store, app_id: str) -> list[dict[str, Any]]:
    """The app registrations with this appId: owners, credentials, creation time."""
    return store.query(
        "SELECT id, displayName, owners, passwordCredentials, keyCredentials, createdDateTime "
        "FROM applications WHERE appId = ?",
        [app_id],
    )


def app_role_assignments_of(store: Store, principal_id: str) -> list[dict[str, Any]]:
    """The application permissions a principal holds, with the resource and its roles."""
    return store.query(
        "SELECT a.id, a.appRoleId, a.resourceId, a.createdDateTime, "
        "coalesce(r.displayName, a.resourceDisplayName) AS resource, r.appRoles "
        "FROM appRoleAssignments a LEFT JOIN servicePrincipals r ON r.id = a.resourceId "
        "WHERE a.principalId = ? ORDER BY resource, a.id",
        [principal_id],
    )


def delegated_grants_of(store: Store, client_id: str) -> list[dict[str, Any]]:
    """The delegated permission grants of a client app, with resource and consenting user."""
    return store.query(
        "SELECT g.id, g.consentType, g.principalId, g.scope, g.resourceId, "
        "r.displayName AS resource, u.displayName AS principalName, "
        "u.userPrincipalName AS principalUpn "
        "FROM oauth2PermissionGrants g LEFT JOIN servicePrincipals r ON r.id = g.resourceId "
        "LEFT JOIN users u ON u.id = g.principalId WHERE g.clientId = ? ORDER BY g.id",
        [client_id],
    )


def app_role_assignments_to(store: Store, resource_id: str) -> list[dict[str, Any]]:
    """Who is assigned to a resource app (principal, type, app role)."""
    return store.query(
        "SELECT id, principalId, principalType, principalDisplayName, appRoleId "
        "FROM appRoleAssignments WHERE resourceId = ? ORDER BY principalDisplayName, id",
        [resource_id],
    )


def sign_in_count_of_app(store: Store, app_id: str) -> int:
    """How many sign-ins went to this appId."""
    return store.scalar("SELECT count(*) FROM signIns WHERE appId = ?", [app_id])


def latest_sign_in_to_app(store: Store, app_id: str) -> dict[str, Any] | None:
    """The newest sign-in to this appId, or None."""
    rows = store.query(
        "SELECT id, createdDateTime, userPrincipalName, userDisplayName, ipAddress, errorCode "
        "FROM signIns WHERE appId = ? ORDER BY createdDateTime DESC LIMIT 1",
        [app_id],
    )
    return rows[0] if rows else None


_APP_USERS_SQL = """
SELECT coalesce(userId, raw->>'$.servicePrincipalId') AS principal_id,
       CASE WHEN userId IS NULL THEN 'servicePrincipal' ELSE 'user' END AS kind,
       any_value(coalesce(userDisplayName, raw->>'$.servicePrincipalName')) AS name,
       any_value(userPrincipalName) AS upn, count(*) AS sign_ins,
       count(*) FILTER (WHERE errorCode = 0) AS successes,
       arg_max(id, (createdDateTime, id)) AS latest_id, max(createdDateTime) AS latest,
       count(*) OVER () AS principals
FROM signIns WHERE appId = $app
GROUP BY 1, 2 ORDER BY sign_ins DESC, latest DESC, principal_id LIMIT $limit
"""


def sign_in_principals_of_app(store: Store, app_id: str, limit: int) -> list[dict[str, Any]]:
    """Who signed in to this appId (users, and service principals by their own id), most
    sign-ins first: count, successes, the latest sign-in (id and time), and how many
    principals signed in in all (`principals`, on every row)."""
    return store.query(_APP_USERS_SQL, {"app": app_id, "limit": limit})


def first_sign_in_to_app(store: Store, app_id: str) -> Any:
    """When the oldest recorded sign-in to this appId happened (None without any)."""
    return store.scalar("SELECT min(createdDateTime) FROM signIns WHERE appId = ?", [app_id])


def service_principal_identity(store: Store, sp_id: str) -> list[dict[str, Any]]:
    """The service principal's id, appId, name and owning tenant (zero or one row)."""
    return store.query(
        "SELECT id, appId, displayName, appOwnerOrganizationId FROM servicePrincipals WHERE id = ?",
        [sp_id],
    )


def service_principal_of_application(store: Store, application_id: str) -> str | None:
    """The id of the service principal of an app registration (by its object id), or None."""
    return store.scalar(
        "SELECT sp.id FROM applications a JOIN servicePrincipals sp ON sp.appId = a.appId "
        "WHERE a.id = ?",
        [application_id],
    )


def app_roles_held_by(store: Store, principal_id: str) -> list[dict[str, Any]]:
    """The app roles a principal holds: role id, resource appId and the role's value."""
    return store.query(
        "SELECT a.appRoleId, r.appId AS resource_app, "
        "(SELECT any_value(json_extract_string(x.value, '$.value')) "
        " FROM json_each(r.appRoles) x "
        " WHERE json_extract_string(x.value, '$.id') = a.appRoleId) AS role_value "
        "FROM appRoleAssignments a LEFT JOIN servicePrincipals r ON r.id = a.resourceId "
        "WHERE a.principalId = ?",
        [principal_id],
    )


def apps_with_credentials_ending(store: Store, start: Any, end: Any) -> list[dict[str, Any]]:
    """The service principals whose app (registration or the principal itself) has a secret or
    certificate ending in [start, end), as (id, displayName)."""
    return store.query(
        "WITH ending AS ("
        " SELECT appId FROM applications a,"
        "  unnest(CAST(coalesce(a.passwordCredentials, '[]') AS JSON[])"
        "   || CAST(coalesce(a.keyCredentials, '[]') AS JSON[])) t(c)"
        "  WHERE TRY_CAST(c->>'endDateTime' AS TIMESTAMPTZ) >= ?"
        "   AND TRY_CAST(c->>'endDateTime' AS TIMESTAMPTZ) < ?"
        " UNION SELECT appId FROM servicePrincipals s,"
        "  unnest(CAST(coalesce(s.passwordCredentials, '[]') AS JSON[])"
        "   || CAST(coalesce(s.keyCredentials, '[]') AS JSON[])) t(c)"
        "  WHERE TRY_CAST(c->>'endDateTime' AS TIMESTAMPTZ) >= ?"
        "   AND TRY_CAST(c->>'endDateTime' AS TIMESTAMPTZ) < ?)"
        " SELECT DISTINCT sp.id, sp.displayName FROM servicePrincipals sp JOIN ending USING (appId)"
        " ORDER BY sp.displayName, sp.id",
        [start, end, start, end],
    )


def apps_signed_in_by(store: Store, user_ids: list[str]) -> list[dict[str, Any]]:
    """Service principals of apps not published by Microsoft that the users signed in to:
    (id, displayName, ours: how many of the users, everyone: how many users in all), the ones
    most of whose users are among them first."""
    return store.query(
        "WITH ours AS (SELECT unnest(CAST(? AS VARCHAR[])) AS id),"
        " used AS (SELECT appId, count(DISTINCT userId) AS everyone,"
        "  count(DISTINCT userId) FILTER (WHERE userId IN (SELECT id FROM ours)) AS ours"
        "  FROM signIns WHERE appId IS NOT NULL AND userId IS NOT NULL GROUP BY appId)"
        " SELECT sp.id, sp.displayName, used.ours, used.everyone"
        " FROM used JOIN servicePrincipals sp USING (appId)"
        " WHERE used.ours > 0 AND coalesce(sp.appOwnerOrganizationId, '') <> ?"
        " ORDER BY used.ours / used.everyone DESC, used.ours DESC, sp.displayName",
        [user_ids, MICROSOFT_TENANT_ID],
    )


def apps_named_with(store: Store, words: list[str]) -> list[dict[str, Any]]:
    """Service principals of apps not published by Microsoft whose name holds one of the words
    (whole words, an English plural too), as (id, displayName)."""
    return store.query(
        "SELECT DISTINCT sp.id, sp.displayName FROM servicePrincipals sp,"
        " (SELECT unnest(CAST(? AS VARCHAR[])) AS word) w"
        " WHERE coalesce(sp.appOwnerOrganizationId, '') <> ?"
        " AND regexp_matches(lower(sp.displayName), '\\b' || w.word || '(e?s)?\\b')"
        " ORDER BY sp.displayName, sp.id",
        [words, MICROSOFT_TENANT_ID],
    )
