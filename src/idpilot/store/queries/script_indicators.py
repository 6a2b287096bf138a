"""Where a script's indicators appear in the tenant: sign-ins from its IPs, its app ids,
its users, audit events that name its values, the tenant's own id."""

from __future__ import annotations

from typing import Any

from idpilot.store.database import Store

_SIGN_INS_FROM_IPS = """
SELECT ipAddress AS ip, count(*) AS sign_ins, count(DISTINCT userId) AS users,
       min(createdDateTime) AS first_seen, max(createdDateTime) AS last_seen,
       arg_max(id, createdDateTime) AS latest_id,
       arg_max(userPrincipalName, createdDateTime) AS latest_upn,
       arg_max(appDisplayName, createdDateTime) AS latest_app,
       arg_max(errorCode, createdDateTime) AS latest_error,
       count(*) FILTER (WHERE errorCode = 0) AS successes
FROM signIns WHERE ipAddress IN (SELECT unnest($ips)) GROUP BY ipAddress ORDER BY ipAddress
"""

_APPS = """
SELECT 'servicePrincipal' AS kind, id, appId, displayName,
       coalesce(json_array_length(passwordCredentials), 0) AS secrets,
       coalesce(json_array_length(keyCredentials), 0) AS certificates,
       (SELECT count(*) FROM signIns s WHERE s.appId = sp.appId) AS sign_ins
FROM servicePrincipals sp WHERE lower(appId) IN (SELECT unnest($ids))
UNION ALL
SELECT 'application', id, appId, displayName,
       coalesce(json_array_length(passwordCredentials), 0),
       coalesce(json_array_length(keyCredentials), 0), NULL
FROM applications WHERE lower(appId) IN (SELECT unnest($ids))
ORDER BY appId, kind
"""

_USERS = """
SELECT id, displayName, userPrincipalName, accountEnabled FROM users
WHERE lower(userPrincipalName) IN (SELECT unnest($names)) OR lower(mail) IN (SELECT unnest($names))
ORDER BY userPrincipalName
"""

_AUDITS_NAMING = """
SELECT id, activityDateTime, activityDisplayName, result,
       json_extract_string(initiatedBy, '$.user.userPrincipalName') AS actor_upn,
       json_extract_string(initiatedBy, '$.app.displayName') AS actor_app,
       value
FROM directoryAudits, (SELECT unnest($values) AS value)
WHERE contains(lower(CAST(targetResources AS VARCHAR)), value)
   OR contains(lower(CAST(additionalDetails AS VARCHAR)), value)
ORDER BY activityDateTime DESC, id
LIMIT $limit
"""


def sign_ins_from_ips(store: Store, ips: list[str]) -> list[dict[str, Any]]:
    """Per IP: sign-ins, users, first and last seen, and the latest sign-in (to cite)."""
    if not ips:
        return []
    return store.query(_SIGN_INS_FROM_IPS, {"ips": ips})


def apps_with_app_ids(store: Store, app_ids: list[str]) -> list[dict[str, Any]]:
    """Service principals and app registrations with these appIds (lower-case), with their
    credential counts and sign-ins."""
    if not app_ids:
        return []
    return store.query(_APPS, {"ids": [a.lower() for a in app_ids]})


def users_named(store: Store, names: list[str]) -> list[dict[str, Any]]:
    """Users whose UPN or mail is one of `names` (compared lower-case)."""
    if not names:
        return []
    return store.query(_USERS, {"names": [n.lower() for n in names]})


def audits_naming(store: Store, values: list[str], limit: int) -> list[dict[str, Any]]:
    """The newest audit events whose targets or details contain one of `values`."""
    if not values:
        return []
    bound = {"values": [v.lower() for v in values], "limit": limit}
    return store.query(_AUDITS_NAMING, bound)


def tenant_ids(store: Store) -> list[str]:
    """The ids of the tenant's organization records."""
    return [row["id"].lower() for row in store.query("SELECT id FROM organization ORDER BY id")]
