"""The store as the Conditional Access engine sees it: a Directory, policies and named locations.

`StoreDirectory` answers the evaluator's three questions (transitive groups, role template ids,
userType). For the first few users it asks the store about each (a question about one user's
sign-in needs one user's groups, not every membership of the tenant); beyond them it loads the
tables in bulk, so evaluating thousands of users costs three queries, not three per user. Both
ways give the same answers. Role template ids come from ACTIVE role assignments
(`roleAssignments`; PIM eligibility does not count until activated) held by the user or by any
group the user is in (role-assignable groups), mapped through `roleDefinitions.templateId` when
the assignment names a definition id. Only tenant-wide assignments count: Microsoft documents that
Conditional Access is not enforced for administrative unit-scoped role assignments (nor custom
roles, which a policy cannot name).
"""

from __future__ import annotations

from typing import Any

import orjson

from idpilot.store.database import Store

MEMBER_USER_TYPE = "Member"
"""Graph omits userType on some member accounts; a user that exists without one is a Member."""
USERS_ASKED_ONE_BY_ONE = 8
"""Users whose facts are read with their own queries before the directory is loaded in bulk."""

# The memberships of the object and of every group above it (ids compared case-insensitively,
# as the bulk maps keyed by lower-cased ids compare them), in table order like the bulk load.
_EDGES_ABOVE_SQL = """
WITH RECURSIVE above(id) AS (
    SELECT lower($object)
    UNION
    SELECT lower(m.group_id) FROM group_members m JOIN above a ON lower(m.member_id) = a.id
)
SELECT group_id, member_id FROM group_members WHERE lower(member_id) IN (SELECT id FROM above)
ORDER BY rowid
"""
_USER_TYPE_SQL = "SELECT userType FROM users WHERE lower(id) = lower(?)"
_ROLE_TEMPLATES_SQL = """
SELECT DISTINCT coalesce(d.templateId, a.roleDefinitionId)
FROM roleAssignments a
LEFT JOIN roleDefinitions d ON d.id = a.roleDefinitionId
WHERE a.principalId IS NOT NULL AND a.roleDefinitionId IS NOT NULL
  AND coalesce(a.directoryScopeId, '/') IN ('/', '')
  AND lower(a.principalId) IN (SELECT unnest(?))
"""


class StoreDirectory:
    """The evaluator's `Directory` protocol over one store, loaded once and cached per user."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._loaded = False
        self._parents: dict[str, list[str]] = {}  # member id (lower) -> direct group ids
        self._group_closure: dict[str, frozenset[str]] = {}
        self._user_types: dict[str, str | None] = {}
        self._role_holders: dict[str, set[str]] = {}  # principal id (lower) -> template ids
        self._user_groups: dict[str, frozenset[str]] = {}
        self._user_roles: dict[str, frozenset[str]] = {}
        self._user_type_found: dict[str, str | None] = {}
        self._asked: set[str] = set()  # users read one by one so far

    def _one_by_one(self, key: str) -> bool:
        """Whether to read this user's facts with their own queries (the first few users)."""
        if self._loaded:
            return False
        self._asked.add(key)
        return len(self._asked) <= USERS_ASKED_ONE_BY_ONE

    def load(self) -> None:
        """Read the directory in bulk now: for a caller about to ask about many users (the
        answers are the same either way; this skips the first users' own queries)."""
        self._load()

    def _load(self) -> None:
        if self._loaded:
            return
        con = self._store.con
        for group_id, member_id in con.execute(
            "SELECT group_id, member_id FROM group_members"
        ).fetchall():
            self._parents.setdefault(member_id.lower(), []).append(group_id)
        for user_id, user_type in con.execute("SELECT id, userType FROM users").fetchall():
            self._user_types[user_id.lower()] = user_type or MEMBER_USER_TYPE
        for principal_id, template_id in con.execute(
            """
            SELECT a.principalId, coalesce(d.templateId, a.roleDefinitionId)
            FROM roleAssignments a
            LEFT JOIN roleDefinitions d ON d.id = a.roleDefinitionId
            WHERE a.principalId IS NOT NULL AND a.roleDefinitionId IS NOT NULL
              AND coalesce(a.directoryScopeId, '/') IN ('/', '')
            """
        ).fetchall():
            self._role_holders.setdefault(principal_id.lower(), set()).add(template_id)
        self._loaded = True

    def group_ids_of(self, user_id: str) -> set[str]:
        """Every group the user belongs to, transitively."""
        key = user_id.lower()
        groups = self._user_groups.get(key)
        if groups is None:
            if self._one_by_one(key):
                parents: dict[str, list[str]] = {}
                for group_id, member_id in self._store.con.execute(
                    _EDGES_ABOVE_SQL, {"object": key}
                ).fetchall():
                    parents.setdefault(member_id.lower(), []).append(group_id)
                groups = _groups_above(parents, {}, key)
            else:
                self._load()
                groups = _groups_above(self._parents, self._group_closure, key)
            self._user_groups[key] = groups
        return set(groups)

    def role_template_ids_of(self, user_id: str) -> set[str]:
        """Role template ids of active assignments to the user or to a group the user is in."""
        key = user_id.lower()
        roles = self._user_roles.get(key)
        if roles is None:
            groups = self.group_ids_of(user_id)
            if self._one_by_one(key):
                holders = [key, *(group_id.lower() for group_id in groups)]
                rows = self._store.con.execute(_ROLE_TEMPLATES_SQL, [holders]).fetchall()
                found = {row[0] for row in rows}
            else:
                self._load()
                found = set(self._role_holders.get(key, ()))
                for group_id in groups:
                    found |= self._role_holders.get(group_id.lower(), set())
            roles = self._user_roles[key] = frozenset(found)
        return set(roles)

    def user_type_of(self, user_id: str) -> str | None:
        """`Member` or `Guest`; None when the user is not in the store."""
        key = user_id.lower()
        if key in self._user_type_found:
            return self._user_type_found[key]
        if self._one_by_one(key):
            row = self._store.con.execute(_USER_TYPE_SQL, [key]).fetchone()
            found = None if row is None else (row[0] or MEMBER_USER_TYPE)
        else:
            self._load()
            found = self._user_types.get(key)
        self._user_type_found[key] = found
        return found


def _groups_above(
    parents: dict[str, list[str]],
    closures: dict[str, frozenset[str]],
    object_id: str,
    seen: frozenset[str] = frozenset(),
) -> frozenset[str]:
    """Every group `object_id` is in, transitively (cycles are cut), from `parents` (member id,
    lower case -> direct group ids); `closures` caches what was walked from the top."""
    cached = closures.get(object_id)
    if cached is not None:
        return cached
    found: set[str] = set()
    for group_id in parents.get(object_id, ()):
        key = group_id.lower()
        if key in seen:
            continue
        found.add(group_id)
        found |= _groups_above(parents, closures, key, seen | {object_id})
    result = frozenset(found)
    if not seen:
        closures[object_id] = result
    return result


_POLICIES_SQL = "SELECT raw FROM conditionalAccessPolicies ORDER BY id"
_NAMED_LOCATIONS_SQL = "SELECT raw FROM namedLocations ORDER BY id"


def _raw_objects(store: Store, sql: str) -> list[dict[str, Any]]:
    rows = store.con.execute(sql).fetchall()
    return [orjson.loads(row[0]) if isinstance(row[0], str | bytes) else row[0] for row in rows]


def load_policies(store: Store) -> list[dict[str, Any]]:
    """Every Conditional Access policy of the store, as Graph JSON, ordered by id."""
    return _raw_objects(store, _POLICIES_SQL)


def load_named_locations(store: Store) -> list[dict[str, Any]]:
    """Every named location of the store, as Graph JSON, ordered by id."""
    return _raw_objects(store, _NAMED_LOCATIONS_SQL)
