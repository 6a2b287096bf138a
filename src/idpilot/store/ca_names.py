"""Names of the objects Conditional Access reasons refer to: roles by template id, apps by appId."""

from __future__ import annotations

from typing import Any

from idpilot.store.database import Store


def role_definitions_by_template(
    store: Store, template_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """Role definitions whose templateId (or id) is one of these, keyed by that id, lower-cased."""
    if not template_ids:
        return {}
    wanted = [t.lower() for t in template_ids]
    rows = store.query(
        "SELECT id, displayName, templateId FROM roleDefinitions "
        "WHERE lower(coalesce(templateId, id)) IN (SELECT unnest($ids)) "
        "OR lower(id) IN (SELECT unnest($ids))",
        {"ids": wanted},
    )
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        for key in (row["templateId"], row["id"]):
            if key and key.lower() in wanted:
                found.setdefault(key.lower(), row)
    return found


def service_principals_by_app_id(store: Store, app_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Service principals of these appIds, keyed by the lower-cased appId."""
    if not app_ids:
        return {}
    rows = store.query(
        "SELECT id, appId, displayName FROM servicePrincipals "
        "WHERE lower(appId) IN (SELECT unnest($ids))",
        {"ids": [a.lower() for a in app_ids]},
    )
    return {row["appId"].lower(): row for row in rows}


_ROLES_OF = """
SELECT 'active' AS assignment, a.id, a.principalId, a.directoryScopeId, NULL AS status,
       lower(coalesce(d.templateId, a.roleDefinitionId)) AS templateId, d.id AS definitionId,
       coalesce(d.displayName, a.roleDefinitionId) AS roleName
FROM roleAssignments a
LEFT JOIN roleDefinitions d ON d.id = a.roleDefinitionId OR d.templateId = a.roleDefinitionId
WHERE lower(a.principalId) IN (SELECT unnest($ids))
UNION ALL
SELECT 'eligible', e.id, e.principalId, e.directoryScopeId, e.status,
       lower(coalesce(d.templateId, e.roleDefinitionId)), d.id,
       coalesce(d.displayName, e.roleDefinitionId)
FROM roleEligibilitySchedules e
LEFT JOIN roleDefinitions d ON d.id = e.roleDefinitionId OR d.templateId = e.roleDefinitionId
WHERE lower(e.principalId) IN (SELECT unnest($ids))
ORDER BY 1, 8, 2
"""


def roles_of_principals(store: Store, principal_ids: list[str]) -> list[dict[str, Any]]:
    """Active assignments and PIM eligibilities of these principals (a user and its groups).

    Each row: assignment (active | eligible), id, principalId, directoryScopeId, status,
    templateId (lower-cased), definitionId and roleName.
    """
    if not principal_ids:
        return []
    return store.query(_ROLES_OF, {"ids": [p.lower() for p in principal_ids]})
