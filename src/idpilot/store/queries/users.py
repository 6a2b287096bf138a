"""User queries: filtered user lists, counts, and the users Conditional Access coverage reads."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from idpilot.store.database import Store
from idpilot.store.directory import PHONE_METHODS

# The newest sign-in the snapshot knows of: directory signInActivity or a recorded signIn.
_LAST_SIGN_IN = """
greatest(
    CASE WHEN u.signInActivity ->> '$.lastSignInDateTime' > '0001-12-31'
         THEN TRY_CAST(u.signInActivity ->> '$.lastSignInDateTime' AS TIMESTAMPTZ) END,
    CASE WHEN u.signInActivity ->> '$.lastNonInteractiveSignInDateTime' > '0001-12-31'
         THEN TRY_CAST(u.signInActivity ->> '$.lastNonInteractiveSignInDateTime' AS TIMESTAMPTZ)
    END,
    (SELECT max(s.createdDateTime) FROM signIns s WHERE s.userId = u.id)
)
"""


_OWNED_SQL = """
SELECT 'group' AS kind, g.id, g.displayName FROM group_owners o JOIN groups g ON g.id = o.group_id
WHERE o.owner_id = $user
UNION ALL
SELECT 'servicePrincipal', id, displayName FROM servicePrincipals
WHERE list_contains(list_transform(CAST(coalesce(owners, '[]') AS JSON[]),
                                   lambda o: json_extract_string(o, '$.id')), $user)
UNION ALL
SELECT 'application', id, displayName FROM applications
WHERE list_contains(list_transform(CAST(coalesce(owners, '[]') AS JSON[]),
                                   lambda o: json_extract_string(o, '$.id')), $user)
ORDER BY 1, 3
"""

# The snapshot has no devices collection; the devices a user signs in from are in the sign-ins.
_DEVICES_SQL = """
WITH seen AS (
    SELECT coalesce(json_extract_string(deviceDetail, '$.deviceId'), '') AS device_id,
           json_extract_string(deviceDetail, '$.displayName') AS name,
           json_extract_string(deviceDetail, '$.operatingSystem') AS os,
           json_extract_string(deviceDetail, '$.browser') AS browser,
           json_extract_string(deviceDetail, '$.trustType') AS trust_type,
           TRY_CAST(deviceDetail -> '$.isCompliant' AS BOOLEAN) AS compliant,
           TRY_CAST(deviceDetail -> '$.isManaged' AS BOOLEAN) AS managed,
           createdDateTime, id
    FROM signIns WHERE userId = $user
)
SELECT nullif(device_id, '') AS device_id, any_value(name) AS name, any_value(os) AS os,
       CASE WHEN device_id = '' THEN any_value(browser) END AS browser,
       arg_max(trust_type, createdDateTime) AS trust_type,
       arg_max(compliant, createdDateTime) AS compliant,
       arg_max(managed, createdDateTime) AS managed,
       max(createdDateTime) AS last_seen, arg_max(id, createdDateTime) AS sign_in_id,
       count(*) AS sign_ins
FROM seen
WHERE device_id <> '' OR coalesce(os, '') <> ''
GROUP BY device_id, CASE WHEN device_id = '' THEN concat_ws('|', os, browser) END
ORDER BY last_seen DESC LIMIT $limit
"""
"""Devices the sign-ins came from: a registered device by its id, an unregistered one (no device
id, as Graph records a personal or unknown device) by its operating system and browser."""

_COVERAGE_COLUMNS = "id, displayName, userPrincipalName, userType, accountEnabled"

SERVICE_ACCOUNT_USER_WORDS = r"(^|\s)svc[-_.]|service account"
"""A service account, by convention (Graph has no such property): a `svc-` sign-in name or
display name, or "service account" in the display name or job title."""
_SERVICE_ACCOUNT = (
    "regexp_matches(concat_ws(' ', u.displayName, u.userPrincipalName, u.jobTitle), ?, 'i')"
)
BREAK_GLASS_NAME = r"break[\s._-]?glass|emergency[\s._-]?access|\bbg[\s._-]?admin"
"""How emergency access (break-glass) accounts are conventionally named (Microsoft's guidance
examples), in a display name or sign-in name: Graph has no such property."""
_BREAK_GLASS = "regexp_matches(concat_ws(' ', u.displayName, u.userPrincipalName), ?, 'i')"
_BREAK_GLASS_NAMED = re.compile(BREAK_GLASS_NAME, re.I)


def is_break_glass(user: Mapping[str, Any]) -> bool:
    """Whether an account is named like an emergency access (break-glass) account."""
    text = f"{user.get('displayName') or ''} {user.get('userPrincipalName') or ''}"
    return bool(_BREAK_GLASS_NAMED.search(text))


def count_users(store: Store) -> int:
    """How many users the tenant has."""
    return store.scalar("SELECT count(*) FROM users")


_USER_ORDERS = {
    "name": "u.displayName, u.id",
    "newest": "u.createdDateTime DESC NULLS LAST, u.displayName, u.id",
    "oldest": "u.createdDateTime NULLS LAST, u.displayName, u.id",
}
"""How a user list may be ordered: by name, or by when each account was created."""


def matching_users(
    store: Store,
    filters: Mapping[str, Any],
    start: Any,
    end: Any,
    limit: int,
    order: str = "name",
) -> tuple[int, list[dict[str, Any]]]:
    """How many users match a user list's filters, and the first `limit` of them in `order`
    (a key of `_USER_ORDERS`: by name, or the newest or oldest accounts first).

    The WHERE clause is assembled from fixed fragments chosen by which filters are set; every
    value is bound.
    """
    where, bound = _where_sql(filters, start, end, store)
    total = store.scalar(f"SELECT count(*) FROM users u WHERE {where}", bound)
    rows = store.query(
        f"SELECT u.id, u.displayName, u.userPrincipalName, u.userType, u.accountEnabled, "
        f"u.department, u.createdDateTime, "
        f"coalesce(json_array_length(u.assignedLicenses), 0) AS licences, "
        f"{_LAST_SIGN_IN} AS lastSignIn "
        f"FROM users u WHERE {where} ORDER BY {_USER_ORDERS[order]} LIMIT ?",
        [*bound, limit],
    )
    return total, rows


def count_matching_users(store: Store, filters: Mapping[str, Any], start: Any, end: Any) -> int:
    """How many users match a user list's filters (`matching_users`' total, without the rows)."""
    where, bound = _where_sql(filters, start, end, store)
    return store.scalar(f"SELECT count(*) FROM users u WHERE {where}", bound)


def _where_sql(
    filters: Mapping[str, Any], start: Any, end: Any, store: Store
) -> tuple[str, list[Any]]:
    """The WHERE clause of a user list's filters and its bound values."""
    clauses, bound = _where(filters, start, end, store)
    return " AND ".join(clauses) or "TRUE", bound


_REGISTERED = (
    "coalesce((SELECT r.isMfaRegistered FROM userRegistrationDetails r WHERE r.id = u.id), FALSE)"
)
"""Whether the user is registered for MFA: one absent from the registration report has
registered nothing."""
_UNREGISTERED = f"NOT {_REGISTERED}"
_PHONE_ONLY = (
    "EXISTS (SELECT 1 FROM userRegistrationDetails r WHERE r.id = u.id "
    "AND list_has_any(CAST(r.methodsRegistered AS VARCHAR[]), ?) "
    "AND len(list_filter(CAST(r.methodsRegistered AS VARCHAR[]), "
    "lambda m: NOT list_contains(?, m))) = 0)"
)
"""At least one phone method (SMS or voice), and no other MFA method (email is for password
reset only, so it does not count either way); bound: the phone methods, then those and email."""


def _where(
    filters: Mapping[str, Any], start: Any, end: Any, store: Store
) -> tuple[list[str], list[Any]]:
    """The WHERE clauses (fixed text) and bound values of a user list's filters."""
    clauses: list[str] = []
    bound: list[Any] = []
    if filters["user_type"]:
        # Without userType (a $select that left it out), an #EXT# sign-in name marks a B2B guest.
        clauses.append(
            "lower(coalesce(u.userType, CASE WHEN contains(CAST(u.raw AS VARCHAR), '#EXT#') "
            "THEN 'Guest' ELSE 'Member' END)) = lower(?)"
        )
        bound.append(filters["user_type"])
    if filters["account_enabled"] is not None:
        clauses.append("u.accountEnabled = ?")
        bound.append(filters["account_enabled"])
    if filters["has_licences"] is not None:
        clauses.append(
            ("" if filters["has_licences"] else "NOT ")
            + "coalesce(json_array_length(u.assignedLicenses), 0) > 0"
        )
    if filters["never_signed_in"]:
        clauses.append(f"({_LAST_SIGN_IN}) IS NULL")
    elif filters["inactive_days"]:
        cutoff = store.captured_at() - timedelta(days=int(filters["inactive_days"]))
        clauses.append(f"coalesce(({_LAST_SIGN_IN}) < ?, TRUE)")
        bound.append(cutoff)
    if filters["created_in_window"]:
        clauses.append("u.createdDateTime >= ? AND u.createdDateTime < ?")
        bound += [start, end]
    if filters["department"] and filters.get("department_excluded"):
        clauses.append("lower(coalesce(u.department, '')) <> lower(?)")
        bound.append(filters["department"])
    elif filters["department"]:
        clauses.append("lower(u.department) = lower(?)")
        bound.append(filters["department"])
    if filters.get("break_glass") is not None:
        clauses.append(("" if filters["break_glass"] else "NOT ") + _BREAK_GLASS)
        bound.append(BREAK_GLASS_NAME)
    if filters["synced"] is not None:
        clauses.append("coalesce(u.onPremisesSyncEnabled, FALSE) = ?")
        bound.append(filters["synced"])
    if filters["mfa_registered"] is not None:
        clauses.append(f"{_REGISTERED} = ?")
        bound.append(filters["mfa_registered"])
    if filters["sms_only"]:
        clauses.append(_PHONE_ONLY)
        bound += [list(PHONE_METHODS), [*PHONE_METHODS, "email"]]
    if filters.get("weak_mfa"):
        clauses.append(f"({_UNREGISTERED} OR {_PHONE_ONLY})")
        bound += [list(PHONE_METHODS), [*PHONE_METHODS, "email"]]
    if filters.get("cities"):
        clauses.append("lower(u.city) IN (SELECT lower(unnest(?)))")
        bound.append(filters["cities"])
    if filters.get("licence_skus"):
        clauses.append(
            "EXISTS (SELECT 1 FROM (SELECT unnest(CAST(json_extract_string(u.assignedLicenses, "
            "'$[*].skuId') AS VARCHAR[])) AS sku) WHERE lower(sku) IN (SELECT lower(unnest(?))))"
        )
        bound.append(filters["licence_skus"])
    if filters.get("service_accounts") is not None:
        clauses.append(("" if filters["service_accounts"] else "NOT ") + _SERVICE_ACCOUNT)
        bound.append(SERVICE_ACCOUNT_USER_WORDS)
    if filters.get("reports_to"):
        clauses.append("json_extract_string(u.manager, '$.id') = ?")
        bound.append(filters["reports_to"])
    if filters.get("privileged_roles"):
        clauses.append(_PRIVILEGED_HOLDERS)
        bound += [filters["privileged_roles"]] * 4
    return clauses, bound


# Users holding one of the roles (template ids), active or eligible, directly or as members
# of a role-assignable group holding it (such groups cannot nest, so one hop is all).
_ROLE_PRINCIPALS = """
    SELECT a.principalId AS id FROM roleAssignments a
      LEFT JOIN roleDefinitions d ON d.id = a.roleDefinitionId
     WHERE lower(coalesce(d.templateId, a.roleDefinitionId)) IN (SELECT lower(unnest(?)))
    UNION SELECT e.principalId FROM roleEligibilitySchedules e
      LEFT JOIN roleDefinitions d ON d.id = e.roleDefinitionId
     WHERE lower(coalesce(d.templateId, e.roleDefinitionId)) IN (SELECT lower(unnest(?)))
"""
_PRIVILEGED_HOLDERS = f"""u.id IN (
    {_ROLE_PRINCIPALS}
    UNION SELECT m.member_id FROM group_members m WHERE m.group_id IN ({_ROLE_PRINCIPALS}))"""


def users_in_scope_order(store: Store) -> list[dict[str, Any]]:
    """Every user (id, names, type, enabled), by display name."""
    return store.query(f"SELECT {_COVERAGE_COLUMNS} FROM users ORDER BY displayName, id")


def users_by_ids(store: Store, user_ids: list[str]) -> list[dict[str, Any]]:
    """These users (id, names, type, enabled)."""
    return store.query(
        f"SELECT {_COVERAGE_COLUMNS} FROM users WHERE id IN (SELECT unnest(?))", [user_ids]
    )


def objects_owned_by(store: Store, user_id: str) -> list[dict[str, Any]]:
    """Groups, service principals and app registrations the user owns (kind, id, name)."""
    return store.query(_OWNED_SQL, {"user": user_id})


def devices_signed_in_from(store: Store, user_id: str, limit: int) -> list[dict[str, Any]]:
    """Devices the user's recorded sign-ins came from, newest first, with a sign-in to cite."""
    return store.query(_DEVICES_SQL, {"user": user_id, "limit": limit})


def users_with_raw(store: Store) -> list[dict[str, Any]]:
    """Every user's id, names and whole Graph object (`raw`, JSON decoded)."""
    return store.query("SELECT id, displayName, userPrincipalName, raw FROM users")


def registration_details(store: Store, user_id: str) -> dict[str, Any] | None:
    """The user's row of the authentication methods registration report, or None."""
    rows = store.query(
        "SELECT id, isMfaRegistered, isMfaCapable, isPasswordlessCapable, methodsRegistered, "
        "defaultMfaMethod, isAdmin, lastUpdatedDateTime FROM userRegistrationDetails WHERE id = ?",
        [user_id],
    )
    return rows[0] if rows else None


def users_named_like(store: Store, pattern: str) -> list[dict[str, Any]]:
    """Users whose display name, UPN or job title matches the regular expression
    (case-insensitive), by display name."""
    return store.query(
        f"SELECT {_COVERAGE_COLUMNS}, jobTitle FROM users "
        "WHERE regexp_matches(concat_ws(' ', displayName, userPrincipalName, jobTitle), ?, 'i') "
        "ORDER BY displayName, id",
        [pattern],
    )


_DESCRIBING_COLUMNS = ("jobTitle", "companyName", "city")


def users_described(
    store: Store,
    values: Mapping[str, str],
    created_since: Any,
    limit: int,
    failed_at: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Id, display name and UPN of at most `limit` users whose describing properties
    (`jobTitle`, `companyName`, `city`: exact values) are `values`, who were created at or
    after `created_since` (None: any time) and, when `failed_at` names service principals (by
    object id), who failed a sign-in to one of them; by name."""
    clauses = [f"{column} = ?" for column in _DESCRIBING_COLUMNS if column in values]
    bound: list[Any] = [values[column] for column in _DESCRIBING_COLUMNS if column in values]
    if created_since is not None:
        clauses.append("createdDateTime >= ?")
        bound.append(created_since)
    if failed_at:
        clauses.append(
            "id IN (SELECT s.userId FROM signIns s WHERE s.errorCode <> 0 AND s.appId IN "
            "(SELECT appId FROM servicePrincipals WHERE list_contains(?, id)))"
        )
        bound.append(list(failed_at))
    return store.query(
        "SELECT id, displayName, coalesce(userPrincipalName, '') AS upn FROM users WHERE "
        + (" AND ".join(clauses) or "TRUE")
        + " ORDER BY displayName, id LIMIT ?",
        [*bound, limit],
    )


def describing_values(store: Store) -> list[dict[str, Any]]:
    """Every distinct job title, city and outside company (one other than the company most
    users have) the tenant's users hold, as {"k": "title"|"city"|"company", "v": value}."""
    return store.query(
        "SELECT 'title' AS k, jobTitle AS v FROM users WHERE jobTitle IS NOT NULL "
        "UNION SELECT 'city', city FROM users WHERE city IS NOT NULL "
        "UNION SELECT 'company', companyName FROM users WHERE companyName IS NOT NULL "
        "AND companyName <> (SELECT mode(companyName) FROM users)"
    )


MIN_TITLE_STEM = 4
"""A word of a job title is matched by its first letters ("techs": Technician) from this long."""


def user_ids_described(store: Store, words: list[str], department: str | None = None) -> list[str]:
    """Ids of the users of a department, or (no department) those whose job title has a word
    beginning as one of the words does ("field techs": Field Technician, Service Technician)."""
    if department is not None:
        rows = store.query("SELECT id FROM users WHERE department = ? ORDER BY id", [department])
        return [row["id"] for row in rows]
    stems = [w.rstrip("s")[: MIN_TITLE_STEM + 1] for w in words if len(w) >= MIN_TITLE_STEM]
    if not stems:
        return []
    rows = store.query(
        "SELECT DISTINCT u.id FROM users u, (SELECT unnest(CAST(? AS VARCHAR[])) AS stem) s "
        "WHERE regexp_matches(lower(coalesce(u.jobTitle, '')), '\\b' || s.stem) ORDER BY u.id",
        [stems],
    )
    return [row["id"] for row in rows]


MAX_MANAGER_DEPTH = 8
"""How far up the manager chain a department's head is looked for."""


def department_manager_chains(
    store: Store, department: str, city: str | None = None
) -> list[dict[str, Any]]:
    """Each member of a department (in `city` when given, both compared without case) with
    every manager above them: {"member", "ancestor", "depth"} (1: the member's own manager),
    up to `MAX_MANAGER_DEPTH` levels."""
    return store.query(
        "WITH RECURSIVE chain(member, ancestor, depth) AS ("
        " SELECT id, json_extract_string(manager, '$.id'), 1 FROM users"
        " WHERE lower(department) = lower(?) AND (? IS NULL OR lower(city) = lower(?))"
        " UNION ALL"
        " SELECT c.member, json_extract_string(m.manager, '$.id'), c.depth + 1"
        " FROM chain c JOIN users m ON m.id = c.ancestor WHERE c.depth < ?"
        ") SELECT member, ancestor, depth FROM chain WHERE ancestor IS NOT NULL",
        [department, city, city, MAX_MANAGER_DEPTH],
    )


def members_of_department(store: Store, department: str, city: str | None = None) -> list[str]:
    """Ids of a department's members (in `city` when given), compared without case."""
    rows = store.query(
        "SELECT id FROM users WHERE lower(department) = lower(?) "
        "AND (? IS NULL OR lower(city) = lower(?)) ORDER BY id",
        [department, city, city],
    )
    return [row["id"] for row in rows]
