"""Role grants (active and PIM-eligible, direct and through groups) as facts with evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.knowledge.privileged_roles import privileged_role
from idpilot.model.records import Record
from idpilot.skills.base import SkillFacts, SkillResult
from idpilot.store import Store
from idpilot.store.queries.roles import role_definition_names, role_grants


class GrantFact(SkillFacts):
    """A role grant, active or PIM-eligible, as a skill's facts show it (cited by `id`)."""

    id: str
    role: str
    """The role's display name (its definition id when the snapshot lacks the definition)."""
    role_id: str
    assignment: str
    """`active` or `eligible`."""
    principal_id: str
    scope: str
    scope_kind: str
    """`tenant`, `administrativeUnit`, `object` or `app` (`scope_kind`)."""
    privileged: bool
    why_privileged: str | None
    ends: datetime | None


def scope_kind(scope: str | None, app_scope: str | None = None) -> str:
    """'tenant', 'administrativeUnit' or 'object' for a directoryScopeId (Graph's forms)."""
    if app_scope and app_scope != "/":
        return "app"
    if not scope or scope == "/":
        return "tenant"
    if scope.startswith("/administrativeUnits/"):
        return "administrativeUnit"
    return "object"


def role_names(store: Store) -> dict[str, dict[str, Any]]:
    """Role definitions by id and by template id."""
    found = {}
    for row in role_definition_names(store):
        found[row["id"].lower()] = row
        if row["templateId"]:
            found[row["templateId"].lower()] = row
    return found


def grants(store: Store, *, principals: list[str] | None = None, roles: list[str] | None = None):
    """Active and eligible role grants to these principals and/or of these role ids."""
    return role_grants(store, principals=principals, roles=roles)


def grant_fact(
    grant: dict[str, Any], roles: dict[str, dict[str, Any]], result: SkillResult
) -> GrantFact:
    """A grant as template facts, with its role name, scope and privilege; adds evidence."""
    definition = roles.get((grant["roleDefinitionId"] or "").lower()) or {}
    template = definition.get("templateId") or grant["roleDefinitionId"]
    name = definition.get("displayName") or grant["roleDefinitionId"]
    privileged = privileged_role(template)
    kind = (
        "unifiedRoleAssignment"
        if grant["assignment"] == "active"
        else "unifiedRoleEligibilitySchedule"
    )
    result.add_evidence(
        Record(
            kind=kind,
            id=grant["id"],
            label=f"{grant['assignment']} assignment of {name}",
            fields={
                "roleDefinitionId": grant["roleDefinitionId"],
                "roleName": name,
                "principalId": grant["principalId"],
                "directoryScopeId": grant["directoryScopeId"],
            },
        )
    )
    return GrantFact(
        id=grant["id"],
        role=name,
        role_id=grant["roleDefinitionId"],
        assignment=grant["assignment"],
        principal_id=grant["principalId"],
        scope=grant["directoryScopeId"] or "/",
        scope_kind=scope_kind(grant["directoryScopeId"], grant.get("appScopeId")),
        privileged=privileged is not None,
        why_privileged=privileged.why if privileged else None,
        ends=grant.get("endDateTime"),
    )


def principal_record(principal: dict[str, Any]) -> Record:
    """The evidence record of a user, group or service principal (`type` names which)."""
    kind = principal.get("type") or "directoryObject"
    name = principal.get("displayName") or principal["id"]
    upn = principal.get("userPrincipalName")
    return Record(
        kind=kind,
        id=principal["id"],
        label=f"{kind} {name}" + (f" ({upn})" if upn else ""),
        fields={
            k: principal[k]
            for k in ("displayName", "userPrincipalName", "appId")
            if principal.get(k) is not None
        },
    )
