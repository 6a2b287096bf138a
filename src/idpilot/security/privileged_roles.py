"""Who holds a privileged directory role (active or eligible, directly or via groups).

Which roles are privileged comes from `idpilot.knowledge.privileged_roles` (the shared,
versioned list); the read-only tier (Global Reader, Security Reader, ...) is left out here,
since these checks and detections are about who can change the tenant.
"""

from __future__ import annotations

from typing import Any

from idpilot.knowledge.privileged_roles import PRIVILEGED_ROLES, PrivilegeTier
from idpilot.store import Store
from idpilot.store.queries.roles import role_holders_of_templates

GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"

PRIVILEGED_ROLE_TEMPLATES: dict[str, str] = {
    template_id: role.display_name
    for template_id, role in PRIVILEGED_ROLES.items()
    if role.tier is not PrivilegeTier.read
}
"""Template id -> name of the roles that can change the tenant, its identities or workloads."""


def privileged_template_ids() -> list[str]:
    """Template ids of the privileged roles."""
    return list(PRIVILEGED_ROLE_TEMPLATES)


def privileged_role_holders(store: Store) -> list[dict[str, Any]]:
    """Every (principal, privileged role) pair: active or eligible, direct or via a group.

    Role-assignable groups cannot contain other groups, so one level of expansion is complete.
    Rows: assignment_id, assignment ('active'|'eligible'), template_id, role_name, user_id,
    via_group_id.
    """
    return role_holders_of_templates(store, privileged_template_ids())


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
