"""Directory role queries: definitions, and active and eligible grants."""

from __future__ import annotations

from typing import Any

from idpilot.store.database import Store

_GRANTS = """
SELECT 'active' AS assignment, a.id, a.principalId, a.roleDefinitionId, a.directoryScopeId,
       a.appScopeId, CAST(NULL AS VARCHAR) AS status, CAST(NULL AS TIMESTAMPTZ) AS endDateTime
FROM roleAssignments a WHERE {where_a}
UNION ALL
SELECT 'eligible', e.id, e.principalId, e.roleDefinitionId, e.directoryScopeId, NULL, e.status,
       TRY_CAST(e.scheduleInfo ->> '$.expiration.endDateTime' AS TIMESTAMPTZ)
FROM roleEligibilitySchedules e WHERE {where_e}
"""


_HOLDERS_SQL = """
WITH defs AS (
    SELECT id, coalesce(templateId, id) AS template_id, displayName FROM roleDefinitions
), grants AS (
    SELECT a.id AS assignment_id, 'active' AS assignment, a.principalId, a.roleDefinitionId,
           a.directoryScopeId
    FROM roleAssignments a
    UNION ALL
    SELECT e.id, 'eligible', e.principalId, e.roleDefinitionId, e.directoryScopeId
    FROM roleEligibilitySchedules e
), resolved AS (
    SELECT g.*, coalesce(d.template_id, g.roleDefinitionId) AS template_id,
           coalesce(d.displayName, g.roleDefinitionId) AS role_name
    FROM grants g
    LEFT JOIN defs d ON d.id = g.roleDefinitionId OR d.template_id = g.roleDefinitionId
)
SELECT r.assignment_id, r.assignment, r.template_id, r.role_name,
       coalesce(m.member_id, r.principalId) AS user_id,
       CASE WHEN m.member_id IS NULL THEN NULL ELSE r.principalId END AS via_group_id,
       r.directoryScopeId AS directory_scope_id
FROM resolved r
LEFT JOIN group_members m ON m.group_id = r.principalId
"""
_OF_TEMPLATES = "WHERE lower(r.template_id) IN (SELECT unnest($templates))"
_HOLDER_COLUMNS = [
    "assignment_id", "assignment", "template_id", "role_name", "user_id", "via_group_id",
    "directory_scope_id",
]  # fmt: skip


def role_definition_names(store: Store) -> list[dict[str, Any]]:
    """Every role definition's id, display name and template id."""
    return store.query("SELECT id, displayName, templateId FROM roleDefinitions")


def role_grants(
    store: Store, *, principals: list[str] | None = None, roles: list[str] | None = None
) -> list[dict[str, Any]]:
    """Active and eligible role grants to these principals and/or of these role ids."""
    # The WHERE is built from two fixed fragments, each with a bound list.
    clauses, bound = [], []
    if principals is not None:
        clauses.append("{t}.principalId IN (SELECT unnest(?))")
        bound.append(principals)
    if roles is not None:
        clauses.append("lower({t}.roleDefinitionId) IN (SELECT unnest(?))")
        bound.append([r.lower() for r in roles])
    where = " AND ".join(clauses) or "TRUE"
    sql = _GRANTS.format(where_a=where.format(t="a"), where_e=where.format(t="e"))
    return store.query(sql, bound + bound)


def role_definitions_named(store: Store, forms: list[str]) -> list[dict[str, Any]]:
    """Role definitions whose id, template id or display name (lower-cased) is in `forms`."""
    return store.query(
        "SELECT id, displayName, templateId, description FROM roleDefinitions "
        "WHERE lower(id) IN (SELECT unnest(?)) OR lower(templateId) IN (SELECT unnest(?)) "
        "OR lower(displayName) IN (SELECT unnest(?)) ORDER BY displayName",
        [forms, forms, forms],
    )


def role_definitions_with_keys(store: Store) -> list[dict[str, Any]]:
    """Every role definition (as `role_definitions_named` returns them), by display name, each
    with its id, template id and display name lower-cased as that query compares them
    (`keys`): a prompt's many word groups are matched against one read of the table."""
    return store.query(
        "SELECT id, displayName, templateId, description, "
        "[lower(id), lower(templateId), lower(displayName)] AS keys "
        "FROM roleDefinitions ORDER BY displayName"
    )


def role_definitions_by_ids(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """Role definitions whose template id or id is one of `ids`."""
    return store.query(
        "SELECT id, displayName, templateId FROM roleDefinitions "
        "WHERE templateId IN (SELECT unnest(?)) OR id IN (SELECT unnest(?))",
        [ids, ids],
    )


def role_template_of(store: Store, role_id: str) -> str | None:
    """The template id (else the id) of the role definition with this id or template id."""
    return store.scalar(
        "SELECT coalesce(templateId, id) FROM roleDefinitions WHERE id = ? OR templateId = ?",
        [role_id, role_id],
    )


def active_role_ids_of(store: Store, principal_id: str) -> list[dict[str, Any]]:
    """The role definition ids of a principal's active role assignments."""
    return store.query(
        "SELECT roleDefinitionId FROM roleAssignments WHERE principalId = ?", [principal_id]
    )


def role_holders_of_templates(store: Store, templates: list[str]) -> list[dict[str, Any]]:
    """Every (principal, role) pair of these role templates: active or eligible, direct or via
    a group (one level: role-assignable groups hold no groups).

    Rows: assignment_id, assignment ('active'|'eligible'), template_id, role_name, user_id
    (the member, else the principal: any kind of object), via_group_id, directory_scope_id.
    """
    wanted = {"templates": [t.lower() for t in templates]}
    rows = store.con.execute(_HOLDERS_SQL + _OF_TEMPLATES, wanted).fetchall()
    return [dict(zip(_HOLDER_COLUMNS, row, strict=True)) for row in rows]


def all_role_holders(store: Store) -> list[dict[str, Any]]:
    """Every (principal, directory role) pair, of any role: the rows of
    `role_holders_of_templates`, unfiltered (`role_name` is the id when the snapshot has no
    definition for the role)."""
    rows = store.con.execute(_HOLDERS_SQL).fetchall()
    return [dict(zip(_HOLDER_COLUMNS, row, strict=True)) for row in rows]


def users_holding_role(store: Store, role_id: str) -> list[dict[str, Any]]:
    """The users assigned the role directly and actively, as (id, displayName,
    userPrincipalName), by name."""
    return store.query(
        "SELECT DISTINCT u.id, u.displayName, u.userPrincipalName FROM roleAssignments ra "
        "JOIN users u ON u.id = ra.principalId WHERE ra.roleDefinitionId = ? "
        "ORDER BY u.displayName, u.id",
        [role_id],
    )
