"""What the posture checks read: whole collections and per-user or per-app aggregates.

Sign-ins are only ever aggregated here (last sign-in per user and per app), so loading is fast
on a store with millions of them. JSON columns come back as text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.store.database import Store
from idpilot.store.rows import fetch_rows

_USERS = """
WITH seen AS (
    SELECT userId, max(createdDateTime) AS last_log FROM signIns
    WHERE errorCode = 0 AND userId IS NOT NULL GROUP BY userId
)
SELECT u.id, u.displayName, u.userPrincipalName, coalesce(u.userType, 'Member') AS userType,
       u.accountEnabled, u.createdDateTime, u.onPremisesSyncEnabled, u.externalUserState,
       u.assignedLicenses,
       greatest(
           TRY_CAST(json_extract_string(u.signInActivity, '$.lastSignInDateTime') AS TIMESTAMPTZ),
           TRY_CAST(json_extract_string(u.signInActivity, '$.lastNonInteractiveSignInDateTime')
                    AS TIMESTAMPTZ),
           TRY_CAST(json_extract_string(u.signInActivity, '$.lastSuccessfulSignInDateTime')
                    AS TIMESTAMPTZ),
           s.last_log
       ) AS last_sign_in,
       u.signInActivity IS NOT NULL OR s.last_log IS NOT NULL AS activity_known
FROM users u LEFT JOIN seen s ON s.userId = u.id
"""

_SP_PERMISSIONS = """
SELECT a.principalId, a.id AS assignment_id, a.appRoleId, r.appId AS resource_app,
       r.displayName AS resource_name,
       (SELECT any_value(json_extract_string(x.value, '$.value')) FROM json_each(r.appRoles) x
        WHERE json_extract_string(x.value, '$.id') = a.appRoleId) AS role_value
FROM appRoleAssignments a LEFT JOIN servicePrincipals r ON r.id = a.resourceId
WHERE a.principalType IS NULL OR a.principalType = 'ServicePrincipal'
"""


def users_with_last_sign_in(store: Store) -> list[dict[str, Any]]:
    """Every user with the newest sign-in the directory or the logs know of."""
    return fetch_rows(store, _USERS)


def registration_report(store: Store) -> list[dict[str, Any]]:
    """Every row of the authentication methods registration report."""
    return fetch_rows(
        store,
        "SELECT id, isMfaRegistered, isMfaCapable, methodsRegistered, isAdmin, "
        "defaultMfaMethod FROM userRegistrationDetails",
    )


def all_groups(store: Store) -> list[dict[str, Any]]:
    """Every group's id, name, role-assignability, types and membership rule."""
    return fetch_rows(
        store,
        "SELECT id, displayName, isAssignableToRole, "
        "coalesce(CAST(from_json(groupTypes, '[\"VARCHAR\"]') AS VARCHAR[]), []) AS groupTypes, "
        "membershipRule, membershipRuleProcessingState FROM groups",
    )


def membership_edges(store: Store) -> list[tuple[str, str]]:
    """Every direct (group id, member id) pair."""
    return store.con.execute("SELECT group_id, member_id FROM group_members").fetchall()


def all_policies(store: Store) -> list[dict[str, Any]]:
    """Every Conditional Access policy's state, conditions and controls, by name."""
    return fetch_rows(
        store,
        "SELECT id, displayName, state, conditions, grantControls, sessionControls "
        "FROM conditionalAccessPolicies ORDER BY displayName",
    )


def all_named_locations(store: Store) -> list[dict[str, Any]]:
    """Every named location."""
    return fetch_rows(store, "SELECT id, displayName, isTrusted, ipRanges, raw FROM namedLocations")


def all_service_principals(store: Store) -> list[dict[str, Any]]:
    """Every service principal with its credentials and owners."""
    return fetch_rows(
        store,
        "SELECT id, appId, displayName, servicePrincipalType, appOwnerOrganizationId, "
        "accountEnabled, passwordCredentials, keyCredentials, owners FROM servicePrincipals",
    )


def all_applications(store: Store) -> list[dict[str, Any]]:
    """Every app registration with its credentials and owners."""
    return fetch_rows(
        store,
        "SELECT id, appId, displayName, createdDateTime, passwordCredentials, keyCredentials, "
        "owners FROM applications",
    )


def service_principal_app_roles(store: Store) -> list[dict[str, Any]]:
    """Every app role held by a service principal, with the resource and the role's value."""
    return fetch_rows(store, _SP_PERMISSIONS)


def last_sign_in_per_app(store: Store) -> list[tuple[str, datetime | None]]:
    """(appId, newest sign-in) for every app that has sign-ins."""
    return store.con.execute(
        "SELECT appId, max(createdDateTime) FROM signIns WHERE appId IS NOT NULL GROUP BY appId"
    ).fetchall()


def organization_id(store: Store) -> str | None:
    """The organization object's id (the tenant id), or None."""
    return store.scalar("SELECT id FROM organization LIMIT 1")


def all_risky_users(store: Store) -> list[dict[str, Any]]:
    """Every risky user's risk state."""
    return fetch_rows(
        store,
        "SELECT id, userPrincipalName, userDisplayName, riskLevel, riskState, "
        "riskLastUpdatedDateTime FROM riskyUsers",
    )


def all_risky_service_principals(store: Store) -> list[dict[str, Any]]:
    """Every risky service principal's risk state."""
    return fetch_rows(
        store,
        "SELECT id, appId, displayName, riskLevel, riskState, riskLastUpdatedDateTime "
        "FROM riskyServicePrincipals",
    )


def all_delegated_grants(store: Store) -> list[dict[str, Any]]:
    """Every delegated permission grant."""
    return fetch_rows(
        store,
        "SELECT id, clientId, consentType, principalId, resourceId, scope "
        "FROM oauth2PermissionGrants",
    )


def any_sign_in(store: Store) -> bool:
    """Whether the store holds any sign-in."""
    return bool(store.scalar("SELECT count(*) > 0 FROM signIns"))


_LEGACY_SIGN_INS = """
SELECT userId, any_value(userPrincipalName) AS upn, count(*) AS attempts,
       count(*) FILTER (WHERE errorCode = 0) AS successes,
       list(DISTINCT clientAppUsed ORDER BY clientAppUsed) AS clients,
       arg_max(id, (errorCode = 0, createdDateTime, id)) AS sample_id,
       max(createdDateTime) AS latest
FROM signIns
WHERE clientAppUsed IN (SELECT unnest($clients)) AND userId IS NOT NULL
GROUP BY userId ORDER BY successes DESC, attempts DESC, userId
"""


def legacy_sign_ins_per_user(store: Store, clients: list[str]) -> list[dict[str, Any]]:
    """Per user, sign-ins whose clientAppUsed is one of the legacy `clients`: attempts,
    successes, the clients, and one sign-in to cite (the newest success, else the newest)."""
    return fetch_rows(store, _LEGACY_SIGN_INS, {"clients": clients})
