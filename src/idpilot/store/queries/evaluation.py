"""Queries of the evaluation: case authors' SQL, citation checks, the names of the directory."""

from __future__ import annotations

from typing import Any

from idpilot.model.collections import Collection
from idpilot.store.database import Store

# The table each citable evidence kind lives in: a fixed allow-list, the only names pasted in
# (every collection's record kind, tenant settings included).
CITABLE_TABLES = {
    **{collection.kind: collection.value for collection in Collection},
    "user": "users",
    "group": "groups",
    "servicePrincipal": "servicePrincipals",
    "application": "applications",
    "signIn": "signIns",
    "directoryAudit": "directoryAudits",
    "riskyUser": "riskyUsers",
    "riskDetection": "riskDetections",
    "riskyServicePrincipal": "riskyServicePrincipals",
    "servicePrincipalRiskDetection": "servicePrincipalRiskDetections",
    "conditionalAccessPolicy": "conditionalAccessPolicies",
    "namedLocation": "namedLocations",
    "unifiedRoleAssignment": "roleAssignments",
    "unifiedRoleEligibilitySchedule": "roleEligibilitySchedules",
    "unifiedRoleDefinition": "roleDefinitions",
    "userRegistrationDetails": "userRegistrationDetails",
    "appRoleAssignment": "appRoleAssignments",
    "oAuth2PermissionGrant": "oauth2PermissionGrants",
    "workflow": "lifecycleWorkflows",
}


def citable_record_exists(store: Store, kind: str, record_id: str) -> bool:
    """Whether a record of this evidence kind with this id exists (unknown kinds: False)."""
    table = CITABLE_TABLES.get(kind)
    return bool(table and store.scalar(f'SELECT count(*) FROM "{table}" WHERE id = ?', [record_id]))


def display_names(store: Store, min_length: int) -> list[str]:
    """Distinct display names of users, groups, apps and policies at least `min_length` long
    (not those that are also a directory role's name: an answer may name the role)."""
    rows = store.con.execute(
        "SELECT DISTINCT displayName FROM (SELECT displayName FROM users UNION ALL "
        "SELECT displayName FROM groups UNION ALL SELECT displayName FROM servicePrincipals "
        "UNION ALL SELECT displayName FROM conditionalAccessPolicies) "
        "WHERE displayName IS NOT NULL AND length(displayName) >= ? AND displayName NOT IN "
        "(SELECT displayName FROM roleDefinitions WHERE displayName IS NOT NULL)",
        [min_length],
    ).fetchall()
    return [row[0] for row in rows]


def run_author_query(store: Store, sql: str) -> list[tuple[Any, ...]]:
    """The rows of a query an evaluation case's author wrote (`contains_sql`).

    The text comes from the shipped case files, never from a prompt or the tenant.
    """
    return store.con.execute(sql).fetchall()


def author_query_value(store: Store, sql: str) -> Any:
    """The first column of the first row of a case author's `{sql:...}` placeholder query."""
    return store.scalar(sql)
