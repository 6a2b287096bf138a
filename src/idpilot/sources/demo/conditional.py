"""Records Conditional Access on generated sign-ins, as Microsoft documents the sign-in log.

What the log holds, from MicrosoftDocs/entra-docs (the engine is then proven against it by
`idpilot ca replay`):
- Every policy that could apply is listed on each sign-in, disabled ones as `notEnabled`
  (monitoring-health/concept-sign-in-log-activity-details.md, "Conditional Access").
- Policies are enforced after first-factor authentication completes
  (conditional-access/overview.md): a sign-in that failed primary authentication is not
  evaluated. Every enabled policy is `notApplied`, every report-only one `reportOnlyNotApplied`,
  every disabled one `notEnabled`, and conditionalAccessStatus `notApplied`. The recorder writes
  this from the policies' states alone, without the engine.
- conditionalAccessStatus (same page, "Sign-in details and considerations"): `failure` when an
  enforced policy's grant controls are unmet or block; `success` when an enforced policy applied
  or was evaluated for the user and application, even if another condition kept it from
  applying; `notApplied` when no enforced policy applied to the user and application. Report-only
  policies are reported apart and do not set it.
- Report-only results (conditional-access/concept-conditional-access-report-only.md): success,
  failure (block or an unmet non-interactive control), user action required
  (`reportOnlyInterrupted`: an MFA prompt or terms of use would be needed), not applied.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from ._ca import Evaluation, PolicySet, context_from_sign_in
from .tenant import Tenant

BLOCKED = "blocked"
CONTROLS_REQUIRED = "controlsRequired"
NOT_EVALUATED = "notEvaluated"
MFA_REQUIREMENT = "multiFactorAuthentication"
ENABLED = "enabled"
NOT_EVALUATED_RESULTS = {  # policy state -> result when primary authentication failed
    ENABLED: "notApplied",
    "enabledForReportingButNotEnforced": "reportOnlyNotApplied",
    "disabled": "notEnabled",
}
_USER_AND_APPLICATION = frozenset({"users", "applications"})


class DemoDirectory:
    """The evaluator's Directory protocol over the generated users, groups and roles."""

    def __init__(self, tenant: Tenant) -> None:
        parents: dict[str, list[str]] = {}
        direct: dict[str, list[str]] = {}
        for group in tenant.groups:
            for member in group["members"]:
                target = parents if member["@odata.type"].endswith("group") else direct
                target.setdefault(member["id"], []).append(group["id"])
        self._parents = parents
        self._direct = direct
        self._types = {u["id"]: u["userType"] for u in tenant.users}
        self._groups: dict[str, frozenset[str]] = {}
        self._assignments: dict[str, set[str]] = {}
        self.reload_roles(tenant)

    def reload_roles(self, tenant: Tenant) -> None:
        """Roles as Conditional Access sees them: Microsoft documents that policies are not
        enforced for administrative unit-scoped (or object-scoped) role assignments."""
        self._assignments = {}
        for assignment in tenant.role_assignments:
            if assignment.get("directoryScopeId", "/") != "/":
                continue
            roles = self._assignments.setdefault(assignment["principalId"], set())
            roles.add(assignment["roleDefinitionId"])
        self._roles: dict[str, frozenset[str]] = {}

    def group_ids_of(self, user_id: str) -> set[str]:
        found = self._groups.get(user_id)
        if found is None:
            seen: set[str] = set()
            stack = list(self._direct.get(user_id, ()))
            while stack:
                gid = stack.pop()
                if gid not in seen:
                    seen.add(gid)
                    stack.extend(self._parents.get(gid, ()))
            found = self._groups[user_id] = frozenset(seen)
        return set(found)

    def role_template_ids_of(self, user_id: str) -> set[str]:
        found = self._roles.get(user_id)
        if found is None:
            roles = set(self._assignments.get(user_id, ()))
            for gid in self.group_ids_of(user_id):
                roles |= self._assignments.get(gid, set())
            found = self._roles[user_id] = frozenset(roles)
        return set(found)

    def user_type_of(self, user_id: str) -> str | None:
        return self._types.get(user_id)


@dataclass(frozen=True)
class Recorded:
    """What one evaluation writes into a sign-in."""

    applied: list[dict]
    status: str  # conditionalAccessStatus
    outcome: str
    required: tuple[str, ...]


class ConditionalAccessRecorder:
    """Evaluates sign-ins with the CA engine and caches results by everything they depend on."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self.policy_set = PolicySet.from_graph(tenant.policies, tenant.named_locations)
        self.directory = DemoDirectory(tenant)
        self._cache: dict[tuple, Recorded] = {}
        self._profiles: dict[str, tuple] = {}
        self._ip_classes: dict[str, tuple] = {}
        self._networks = [
            (loc["id"], ipaddress.ip_network(r["cidrAddress"], strict=False))
            for loc in tenant.named_locations
            for r in loc.get("ipRanges", [])
        ]
        users, groups, roles = set(), set(), set()
        for policy in tenant.policies:
            u = policy["conditions"]["users"]
            users |= set(u["includeUsers"]) | set(u["excludeUsers"])
            groups |= set(u["includeGroups"]) | set(u["excludeGroups"])
            roles |= set(u["includeRoles"]) | set(u["excludeRoles"])
        self._policy_users, self._policy_groups, self._policy_roles = users, groups, roles
        self.evaluations = 0
        self._not_evaluated = Recorded(
            [
                {
                    "id": policy["id"],
                    "displayName": policy["displayName"],
                    "enforcedGrantControls": [],
                    "enforcedSessionControls": [],
                    "result": NOT_EVALUATED_RESULTS.get(policy["state"], "unknown"),
                }
                for policy in tenant.policies
            ],
            "notApplied",
            NOT_EVALUATED,
            (),
        )

    def record_not_evaluated(self, sign_in: dict) -> Recorded:
        """Primary authentication failed: Conditional Access did not run (see module docstring)."""
        found = self._not_evaluated
        sign_in["appliedConditionalAccessPolicies"] = [dict(entry) for entry in found.applied]
        sign_in["conditionalAccessStatus"] = found.status
        return found

    def refresh_roles(self) -> None:
        """Call after role assignments change (the planted role grant)."""
        self.directory.reload_roles(self.tenant)
        self._profiles.clear()
        self._cache.clear()

    def _profile(self, user_id: str) -> tuple:
        """The user facts a policy can see: named user, policy groups, policy roles, type."""
        found = self._profiles.get(user_id)
        if found is None:
            d = self.directory
            found = self._profiles[user_id] = (
                user_id if user_id in self._policy_users else None,
                tuple(sorted(d.group_ids_of(user_id) & self._policy_groups)),
                tuple(sorted(d.role_template_ids_of(user_id) & self._policy_roles)),
                d.user_type_of(user_id),
            )
        return found

    def _ip_class(self, ip: str) -> tuple:
        found = self._ip_classes.get(ip)
        if found is None:
            addr = ipaddress.ip_address(ip)
            found = self._ip_classes[ip] = tuple(
                sorted({loc_id for loc_id, net in self._networks if addr in net})
            )
        return found

    def record(self, sign_in: dict) -> Recorded:
        """Evaluate `sign_in` (as it stands) and write the CA fields into it."""
        device = sign_in["deviceDetail"]
        context = context_from_sign_in(sign_in)
        key = (
            self._profile(sign_in["userId"]),
            sign_in["appId"],
            sign_in["resourceId"],
            sign_in["clientAppUsed"],
            device["operatingSystem"],
            device["isCompliant"],
            device["isManaged"],
            device["trustType"],
            self._ip_class(sign_in["ipAddress"]),
            sign_in["location"]["countryOrRegion"],
            sign_in["riskLevelDuringSignIn"],
            frozenset(context.satisfied_controls),  # the engine's own reading of the MFA facts
        )
        found = self._cache.get(key)
        if found is None:
            self.evaluations += 1
            evaluation = self.policy_set.evaluate(context, self.directory)
            applied = [
                {
                    "id": p.policy_id,
                    "displayName": p.display_name,
                    "enforcedGrantControls": list(p.enforced_grant_controls),
                    "enforcedSessionControls": list(p.enforced_session_controls),
                    "result": str(p.result),
                }
                for p in evaluation.policies
            ]
            status = conditional_access_status(evaluation)
            found = self._cache[key] = Recorded(
                applied, status, str(evaluation.outcome), tuple(evaluation.required_controls)
            )
        sign_in["appliedConditionalAccessPolicies"] = found.applied
        sign_in["conditionalAccessStatus"] = found.status
        return found


def conditional_access_status(evaluation: Evaluation) -> str:
    """The sign-in's conditionalAccessStatus as documented (see the module docstring)."""
    status = "notApplied"
    for policy in evaluation.policies:
        if policy.state != ENABLED:
            continue
        result = str(policy.result)
        if result == "failure":
            return "failure"
        if result == "success":
            status = "success"
        elif {c.condition for c in policy.checks if c.matched is True} >= _USER_AND_APPLICATION:
            status = "success"  # evaluated for the user and application
    return status
