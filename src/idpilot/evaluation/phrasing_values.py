"""Real values from a tenant's store for the phrasing corpus's placeholders ({user}, {app}...).

Each value is chosen by a query over the store, so the same corpus instantiates on any tenant:
a user with sign-ins whose first name is unique, the largest groups, the most used app, an IP
and an AADSTS code that occur, the weekday and date of the latest failure.
"""

from __future__ import annotations

from datetime import datetime

from idpilot.store import Store

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
DAYS = "30"


class MissingValue(LookupError):
    """The tenant has nothing to fill a placeholder with."""


def _one(store: Store, sql: str) -> str:
    rows = store.con.execute(sql).fetchall()
    if not rows or rows[0][0] is None:
        raise MissingValue(sql.split("FROM")[1].split()[0])
    return str(rows[0][0])


def placeholder_values(store: Store) -> dict[str, str]:
    """Every placeholder of the phrasing corpus, filled from this store (missing ones left out)."""
    values: dict[str, str] = {"days": DAYS}
    user = store.con.execute(_USER).fetchone()
    if user:
        values.update(user=user[0], user_upn=user[1], first_name=user[2])
    groups = [row[0] for row in store.con.execute(_GROUPS).fetchall()]
    if groups:
        values["group"] = groups[0]
        values["other_group"] = groups[-1]
    for name, sql in (
        ("app", _APP),
        ("role", _ROLE),
        ("policy", _POLICY),
        ("country", _COUNTRY),
        ("city", _CITY),
        ("ip", _IP),
        ("error_code", _ERROR),
        ("department", _DEPARTMENT),
        ("admin", _ADMIN),
        ("device", _DEVICE),
    ):
        try:
            values[name] = _one(store, sql)
        except MissingValue:
            continue
    latest = store.con.execute(_LATEST_FAILURE).fetchone()
    if latest and isinstance(latest[0], datetime):
        values["weekday"] = latest[0].strftime("%A")
        values["date"] = f"{latest[0].strftime('%b')} {latest[0].day}"
    return values
