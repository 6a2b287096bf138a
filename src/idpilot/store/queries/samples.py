"""Real values a tenant's store offers for the phrasing corpus's placeholders ({user}, {app}...).

Each value is chosen by a query, so the same corpus instantiates on any tenant.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.store.database import Store

_USER = """
SELECT u.displayName, u.userPrincipalName, u.givenName
FROM users u JOIN signIns s ON s.userId = u.id
WHERE u.userType = 'Member' AND u.givenName IS NOT NULL AND u.displayName IS NOT NULL
  AND (SELECT count(*) FROM users o WHERE o.givenName = u.givenName) = 1
GROUP BY u.id, u.displayName, u.userPrincipalName, u.givenName
ORDER BY count(*) FILTER (WHERE s.errorCode <> 0) DESC, count(*) DESC, u.id
LIMIT 1
"""
_GROUPS = """
SELECT g.displayName FROM groups g JOIN group_members m ON m.group_id = g.id
WHERE g.displayName IS NOT NULL
GROUP BY g.id, g.displayName ORDER BY count(*) DESC, g.id LIMIT 2
"""
_APP = """
SELECT appDisplayName FROM signIns WHERE appDisplayName IS NOT NULL
GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
"""
_ROLE = """
SELECT d.displayName FROM roleAssignments a
JOIN roleDefinitions d ON d.id = a.roleDefinitionId OR d.templateId = a.roleDefinitionId
GROUP BY d.displayName ORDER BY count(*) DESC, d.displayName LIMIT 1
"""
_POLICY = """
SELECT displayName FROM conditionalAccessPolicies WHERE state = 'enabled'
ORDER BY displayName LIMIT 1
"""
_COUNTRY = """
SELECT country FROM users WHERE country IS NOT NULL
GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
"""
_CITY = """
SELECT json_extract_string(location, '$.city') AS city FROM signIns
WHERE json_extract_string(location, '$.city') IS NOT NULL
GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
"""
_IP = """
SELECT ipAddress FROM signIns WHERE ipAddress IS NOT NULL
GROUP BY 1 ORDER BY count(*) FILTER (WHERE errorCode <> 0) DESC, count(*) DESC, 1 LIMIT 1
"""
_ERROR = """
SELECT errorCode FROM signIns WHERE errorCode IS NOT NULL AND errorCode <> 0
GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
"""
_LATEST_FAILURE = """
SELECT max(createdDateTime) FROM signIns WHERE errorCode IS NOT NULL AND errorCode <> 0
"""
_DEPARTMENT = """
SELECT department FROM users WHERE department IS NOT NULL
GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
"""
_ADMIN = """
SELECT json_extract_string(a.initiatedBy, '$.user.displayName') AS name
FROM directoryAudits a
WHERE json_extract_string(a.initiatedBy, '$.user.id') IN (SELECT principalId FROM roleAssignments)
GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
"""
_DEVICE = """
SELECT json_extract_string(deviceDetail, '$.displayName') AS device FROM signIns
WHERE json_extract_string(deviceDetail, '$.displayName') IS NOT NULL
GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
"""
# One query per placeholder filled by a single value (the first column of the first row).
_SAMPLES = {
    "app": _APP,
    "role": _ROLE,
    "policy": _POLICY,
    "country": _COUNTRY,
    "city": _CITY,
    "ip": _IP,
    "error_code": _ERROR,
    "department": _DEPARTMENT,
    "admin": _ADMIN,
    "device": _DEVICE,
}
SAMPLE_VALUE_NAMES = tuple(_SAMPLES)


def sample_user(store: Store) -> tuple[Any, ...] | None:
    """(displayName, userPrincipalName, givenName) of a member with sign-ins and a unique first
    name, the one with most failures first; None when there is none."""
    return store.con.execute(_USER).fetchone()


def largest_group_names(store: Store) -> list[str]:
    """The names of the two groups with most direct members."""
    return [row[0] for row in store.con.execute(_GROUPS).fetchall()]


def sample_value(store: Store, name: str) -> str | None:
    """The value of one placeholder of SAMPLE_VALUE_NAMES, as text (None: the tenant has none)."""
    rows = store.con.execute(_SAMPLES[name]).fetchall()
    if not rows or rows[0][0] is None:
        return None
    return str(rows[0][0])


def latest_failure_time(store: Store) -> datetime | None:
    """When the latest failed sign-in happened."""
    row = store.con.execute(_LATEST_FAILURE).fetchone()
    return row[0] if row else None
