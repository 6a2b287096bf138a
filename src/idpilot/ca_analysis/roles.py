"""The roles that decide whether a role-targeted policy applies to a user, and what PIM changes.

A policy that includes or excludes directory roles sees only ACTIVE assignments; a PIM-eligible
role counts once activated. For a what-if, idpilot names the user's active and eligible roles
(cited) and re-evaluates the sign-in with each eligible role activated, to say which policy
that does not apply now would apply then.
"""

from __future__ import annotations

from typing import Any

from idpilot.ca_analysis.scenario import NOT_APPLIED, decided_outcome
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access import Directory, Evaluation, SignInContext
from idpilot.conditional_access.user_scope import UsersCondition
from idpilot.model.records import Record
from idpilot.skills.base import SkillResult
from idpilot.store import Store
from idpilot.store.ca_names import roles_of_principals

ASSIGNMENT_KINDS = {
    "active": "unifiedRoleAssignment",
    "eligible": "unifiedRoleEligibilitySchedule",
}


class WithActivatedRole:
    """A Directory in which one user also holds one more role (a PIM role, activated)."""

    def __init__(self, inner: Directory, user_id: str, template_id: str) -> None:
        self._inner = inner
        self._user = user_id.lower()
        self._template = template_id.lower()

    def group_ids_of(self, user_id: str) -> set[str]:
        """As the inner directory."""
        return self._inner.group_ids_of(user_id)

    def role_template_ids_of(self, user_id: str) -> set[str]:
        """The inner directory's roles, plus the activated one for this user."""
        roles = set(self._inner.role_template_ids_of(user_id))
        if user_id.lower() == self._user:
            roles.add(self._template)
        return roles

    def user_type_of(self, user_id: str) -> str | None:
        """As the inner directory."""
        return self._inner.user_type_of(user_id)


def role_targeting_policies(tenant: TenantPolicies) -> list[str]:
    """Ids of the policies whose users condition includes or excludes directory roles."""
    return [
        policy.id
        for policy in tenant.policy_set.policies
        if any(
            isinstance(c, UsersCondition) and (c.include_roles or c.exclude_roles)
            for c in policy.conditions
        )
    ]


def role_facts(
    store: Store,
    result: SkillResult,
    tenant: TenantPolicies,
    context: SignInContext,
    evaluation: Evaluation,
) -> dict[str, Any] | None:
    """The user's active and eligible roles, and what each eligible role would change.

    None when no policy targets roles (then roles do not decide anything).
    """
    targeting = role_targeting_policies(tenant)
    if not targeting:
        return None
    user_id = context.user_id
    principals = [user_id, *sorted(tenant.directory.group_ids_of(user_id))]
    rows = roles_of_principals(store, principals)
    active_templates = {row["templateId"] for row in rows if row["assignment"] == "active"}
    roles: dict[str, list[dict[str, Any]]] = {"active": [], "eligible": []}
    for row in rows:
        if row["assignment"] == "eligible" and row["templateId"] in active_templates:
            continue  # already active: activating it changes nothing
        roles[row["assignment"]].append(_cite_role(result, row, user_id))
    applying_now = {p.policy_id for p in evaluation.policies if p.result not in NOT_APPLIED}
    once_activated = []
    seen: set[str] = set()
    for role in roles["eligible"]:
        if role["templateId"] in seen:
            continue
        seen.add(role["templateId"])
        directory = WithActivatedRole(tenant.directory, user_id, role["templateId"])
        after = tenant.policy_set.evaluate(context, directory)
        newly = [
            {"id": p.policy_id, "displayName": p.display_name}
            for p in after.policies
            if p.result not in NOT_APPLIED and p.policy_id not in applying_now
        ]
        no_longer = [
            {"id": p.policy_id, "displayName": p.display_name}
            for p in after.policies
            if p.result in NOT_APPLIED and p.policy_id in applying_now
        ]
        once_activated.append(
            {
                "role": role,
                "would_apply": newly,
                "would_stop_applying": no_longer,
                "outcome": decided_outcome(after)["outcome"],
            }
        )
    return {
        "targeting_policy_ids": targeting,
        "active": roles["active"],
        "eligible": roles["eligible"],
        "once_activated": once_activated,
    }


def _cite_role(result: SkillResult, row: dict[str, Any], user_id: str) -> dict[str, Any]:
    definition = row["definitionId"] or row["templateId"]
    result.add_evidence(
        Record(
            kind="unifiedRoleDefinition",
            id=definition,
            label=f"role {row['roleName']}",
            fields={"displayName": row["roleName"], "templateId": row["templateId"]},
        )
    )
    via_group = row["principalId"].lower() != user_id.lower()
    record = result.add_evidence(
        Record(
            kind=ASSIGNMENT_KINDS[row["assignment"]],
            id=row["id"],
            label=f"{row['assignment']} assignment of role {row['roleName']}",
            fields={
                "principalId": row["principalId"],
                "roleDefinitionId": definition,
                "directoryScopeId": row["directoryScopeId"],
                "status": row["status"],
            },
        )
    )
    return {
        "name": row["roleName"],
        "templateId": row["templateId"],
        "role_ref": f"unifiedRoleDefinition:{definition}",
        "assignment_ref": f"{record.kind}:{record.id}",
        "via_group": row["principalId"] if via_group else None,
    }
