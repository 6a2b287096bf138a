"""Group queries: filtered group lists, counts, names by id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from idpilot.store.database import Store

# From the member's own groups (an indexed lookup), walk up the small group-in-group edge
# table; a chain never revisits a group (cycles) and stops at the target.
_PATHS = """
WITH RECURSIVE up(group_id, path) AS (
    SELECT group_id, [group_id] FROM group_members WHERE member_id = ?
    UNION ALL
    SELECT p.parent_id, list_append(up.path, p.parent_id)
    FROM group_parents p JOIN up ON p.child_id = up.group_id
    WHERE len(up.path) < ? AND up.group_id <> ? AND NOT list_contains(up.path, p.parent_id)
)
SELECT path FROM up WHERE group_id = ? ORDER BY len(path), path
"""


# One fixed fragment per list filter, each comparing with a bound value; only these are pasted.
_CLAUSES = {
    "role_assignable": "coalesce(g.isAssignableToRole, FALSE) = ?",
    "ownerless": "(NOT EXISTS (SELECT 1 FROM group_owners o WHERE o.group_id = g.id)) = ?",
    "empty": "(NOT EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id)) = ?",
    "with_guests": "EXISTS (SELECT 1 FROM group_members m JOIN users u ON u.id = m.member_id "
    "WHERE m.group_id = g.id AND u.userType = 'Guest') = ?",
    "dynamic": "list_contains(CAST(coalesce(g.groupTypes, '[]') AS VARCHAR[]), "
    "'DynamicMembership') = ?",
    "unified": "list_contains(CAST(coalesce(g.groupTypes, '[]') AS VARCHAR[]), 'Unified') = ?",
}
GROUP_FILTER_NAMES = tuple(_CLAUSES)


def count_groups(store: Store) -> int:
    """How many groups the tenant has."""
    return store.scalar("SELECT count(*) FROM groups")


def matching_groups(
    store: Store, filters: Mapping[str, bool], limit: int, any_of: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    """How many groups match the filters (names of `GROUP_FILTER_NAMES` → wanted value; all of
    them, or any with `any_of`), and the first `limit` by name with member, owner and guest
    counts."""
    joiner = " OR " if any_of else " AND "
    where = "(" + (joiner.join(_CLAUSES[k] for k in filters) or "TRUE") + ")"
    bound = list(filters.values())
    total = store.scalar(f"SELECT count(*) FROM groups g WHERE {where}", bound)
    rows = store.query(
        "SELECT g.id, g.displayName, g.isAssignableToRole, g.groupTypes, "
        "(SELECT count(*) FROM group_members m WHERE m.group_id = g.id) AS members, "
        "(SELECT count(*) FROM group_owners o WHERE o.group_id = g.id) AS owners, "
        "(SELECT count(*) FROM group_members m JOIN users u ON u.id = m.member_id "
        " WHERE m.group_id = g.id AND u.userType = 'Guest') AS guests "
        f"FROM groups g WHERE {where} ORDER BY g.displayName, g.id LIMIT ?",
        [*bound, limit],
    )
    return total, rows


def group_names_by_lower_ids(store: Store, lower_ids: list[str]) -> list[dict[str, Any]]:
    """Id and display name of the groups whose lower-cased id is in `lower_ids`."""
    return store.query(
        "SELECT id, displayName FROM groups WHERE lower(id) IN (SELECT unnest(?))", [lower_ids]
    )


def group_chains(store: Store, member_id: str, group_id: str, max_depth: int) -> list[list[str]]:
    """Every chain of group ids from the member's direct group up to `group_id`, shortest first."""
    rows = store.con.execute(_PATHS, [member_id, max_depth, group_id, group_id]).fetchall()
    return [list(row[0]) for row in rows]


def groups_by_ids(store: Store, group_ids: list[str]) -> list[dict[str, Any]]:
    """Id, name and role-assignability of these groups."""
    return store.query(
        "SELECT id, displayName, isAssignableToRole FROM groups WHERE id IN (SELECT unnest(?))",
        [group_ids],
    )


def direct_member_ids(store: Store, group_id: str) -> set[str]:
    """The ids of the group's direct members."""
    rows = store.con.execute("SELECT member_id FROM group_members WHERE group_id = ?", [group_id])
    return {row[0] for row in rows.fetchall()}


def groups_named_like(store: Store, pattern: str) -> list[dict[str, Any]]:
    """Groups whose display name matches the regular expression (case-insensitive), by name."""
    return store.query(
        "SELECT id, displayName FROM groups WHERE regexp_matches(displayName, ?, 'i') "
        "ORDER BY displayName, id",
        [pattern],
    )
