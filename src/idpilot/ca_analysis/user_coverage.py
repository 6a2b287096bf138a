"""One person against the policies that require MFA: which reach them, and what leaves them out
("why isn't the SCADA sync account covered by MFA?": excluded through the CA-Exclusion group).

Each enabled policy that requires MFA or blocks is checked against the person's users
condition only (who they are: their groups, roles, user type), as Conditional Access decides
whom a policy is for; whether a given sign-in then meets its other conditions is the what-if's
question. The reason names the group, role or exclusion that decides, each cited.
"""

from __future__ import annotations

from typing import Any

from idpilot.ca_analysis.coverage import covers_every_sign_in, requires_mfa
from idpilot.ca_analysis.evidence import ReasonObjects
from idpilot.ca_analysis.policy_reach import users_condition
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access import SignInContext
from idpilot.conditional_access.facts import Facts
from idpilot.conditional_access.policy import PolicyState
from idpilot.conditional_access.result import condition_check
from idpilot.skills.base import SkillResult
from idpilot.store import Store


def mfa_policies_for(
    store: Store, tenant: TenantPolicies, user_id: str, result: SkillResult
) -> list[dict[str, Any]]:
    """Each enabled MFA-or-block policy with whether its users condition takes the person in
    (`reaches`: True, False, or None when the snapshot cannot tell), why in words with the
    objects named, their citations, and whether it covers every sign-in of theirs (all apps,
    no narrowing condition but "outside trusted locations")."""
    facts = Facts(SignInContext(user_id=user_id), tenant.directory)
    checked = []
    for policy in tenant.policy_set.policies:
        condition = users_condition(policy)
        if policy.state != PolicyState.enabled.value or condition is None:
            continue
        if not requires_mfa(policy):
            continue
        matched, why, _ = condition.check(facts, True)
        checked.append((policy, condition_check("users", matched, why)))
    objects = ReasonObjects(store, tenant, result)
    objects.prepare(check for _, check in checked)
    return [
        {
            "id": policy.id,
            "displayName": policy.display_name,
            "reaches": check.matched,
            "why": check.text(objects.name),
            "cites": objects.cites(check),
            "every_sign_in": covers_every_sign_in(policy, tenant),
        }
        for policy, check in checked
    ]
