"""Privileged directory roles and who holds them (active or eligible, directly or via groups).

A minimal local list of privileged role template ids; `idpilot.knowledge.privileged_roles`
(written on another branch) will replace it when it lands.
"""

from __future__ import annotations

from typing import Any

from idpilot.store import Store

GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"

PRIVILEGED_ROLE_TEMPLATES: dict[str, str] = {
    GLOBAL_ADMINISTRATOR: "Global Administrator",
    "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
    "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
    "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
    "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
    "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
    "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
    "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
    "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
    "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
    "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2": "Hybrid Identity Administrator",
    "3a2c62db-5318-420d-8d74-23affee5d9d5": "Intune Administrator",
    "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8": "Partner Tier2 Support",
}
"""Built-in roles Microsoft marks privileged (template id -> name)."""

_HOLDERS_SQL = """
WITH defs AS (
    SELECT id, coalesce(templateId, id) AS template_id, displayName FROM roleDefinitions
), grants AS (
    SELECT a.id AS assignment_id, 'active' AS assignment, a.principalId, a.roleDefinitionId
    FROM roleAssignments a
    UNION ALL
    SELECT e.id, 'eligible', e.principalId, e.roleDefinitionId FROM roleEligibilitySchedules e
), resolved AS (
    SELECT g.*, coalesce(d.template_id, g.roleDefinitionId) AS template_id,
           coalesce(d.displayName, g.roleDefinitionId) AS role_name
    FROM grants g
    LEFT JOIN defs d ON d.id = g.roleDefinitionId OR d.template_id = g.roleDefinitionId
)
SELECT r.assignment_id, r.assignment, r.template_id, r.role_name,
       coalesce(m.member_id, r.principalId) AS user_id,
       CASE WHEN m.member_id IS NULL THEN NULL ELSE r.principalId END AS via_group_id
FROM resolved r
LEFT JOIN group_members m ON m.group_id = r.principalId
WHERE r.template_id IN (SELECT unnest($templates))
"""


def privileged_template_ids() -> list[str]:
    """Template ids of the privileged roles."""
    return list(PRIVILEGED_ROLE_TEMPLATES)


def privileged_role_holders(store: Store) -> list[dict[str, Any]]:
    """Every (principal, privileged role) pair: active or eligible, direct or via a group.

    Role-assignable groups cannot contain other groups, so one level of expansion is complete.
    Rows: assignment_id, assignment ('active'|'eligible'), template_id, role_name, user_id,
    via_group_id.
    """
    rows = store.con.execute(_HOLDERS_SQL, {"templates": privileged_template_ids()}).fetchall()
    names = ["assignment_id", "assignment", "template_id", "role_name", "user_id", "via_group_id"]
    return [dict(zip(names, row, strict=True)) for row in rows]


def privileged_users(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Principal id -> its privileged role grants."""
    holders: dict[str, list[dict[str, Any]]] = {}
    for row in privileged_role_holders(store):
        holders.setdefault(row["user_id"], []).append(row)
    return holders


def is_privileged_role(template_or_name: str | None) -> bool:
    """Whether a role (by template id or display name) is privileged."""
    if not template_or_name:
        return False
    value = template_or_name.strip().lower()
    return value in PRIVILEGED_ROLE_TEMPLATES or value in {
        name.lower() for name in PRIVILEGED_ROLE_TEMPLATES.values()
    }
