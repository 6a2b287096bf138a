"""A what-if asked about a role: who holds it as Conditional Access sees it, and their outcomes.

Microsoft documents the directory-role condition (includeRoles / excludeRoles of
conditionalAccessUsers) as targeting users ACTIVELY assigned a built-in role, directly or
through a role-assignable group; a PIM-eligible role counts only once activated; roles scoped
to an administrative unit or to one object are not supported. So:

- active holders with a tenant-wide assignment are evaluated as they are (their own groups,
  roles and exclusions);
- users only eligible through PIM are evaluated as if they had activated the role;
- users whose assignment is scoped are named, not evaluated as holders;
- a hypothetical holder, a Member with no groups and no other role, says what the role alone
  brings (and stands in for the holders when there are none).

Holders are grouped by how their sign-in ends and for which policies, each cited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from idpilot.ca_analysis.evidence import ReasonObjects, cite_policy, cite_user
from idpilot.ca_analysis.roles import WithActivatedRole
from idpilot.ca_analysis.scenario import NOT_APPLIED, decided_outcome, ordered_policies
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access import Directory, Evaluation, SignInContext
from idpilot.conditional_access.catalog import BuiltInControl
from idpilot.conditional_access.directory import UserFacts, WithPrincipal
from idpilot.conditional_access.result import AppliedPolicyResult
from idpilot.model.records import Record
from idpilot.skills.base import SkillResult
from idpilot.store import Store
from idpilot.store.directory import objects_by_id
from idpilot.store.queries.roles import role_holders_of_templates

MAX_HOLDERS_EVALUATED = 20
"""Holders evaluated one by one (by name); as many eligible ones again. The counts are exact."""
TENANT_SCOPES = frozenset({"", "/"})
"""directoryScopeId values of a tenant-wide assignment (the only ones Conditional Access sees)."""
OUTCOME_ORDER = {"blocked": 0, "controlsRequired": 1, "allowed": 2}
"""Of two equally large groups of holders, the more restricted one is said first."""
ASSIGNMENT_KINDS = {"active": "unifiedRoleAssignment", "eligible": "unifiedRoleEligibilitySchedule"}

ContextOf = Callable[[str], SignInContext]
"""The hypothetical sign-in for a user id."""


@dataclass
class Holder:
    """One user holding the role: the user row, the assignment and the group it came through."""

    user: dict[str, Any]
    assignment: str
    assignment_id: str
    scope: str
    via_group: dict[str, Any] | None = None


@dataclass
class RoleHolders:
    """The role's holders as Conditional Access sees them, each list ordered by name."""

    active: list[Holder] = field(default_factory=list)
    eligible: list[Holder] = field(default_factory=list)
    scoped: list[Holder] = field(default_factory=list)
    other_principals: int = 0


def role_holders(store: Store, template_id: str) -> RoleHolders:
    """Users holding the role: active tenant-wide, eligible only, or scoped; non-users counted.

    A user who holds it several ways is listed once, under the way that counts most (active,
    then eligible, then scoped), a direct assignment before one through a group.
    """
    rows = role_holders_of_templates(store, [template_id])
    ids = {row["user_id"] for row in rows} | {row["via_group_id"] for row in rows}
    objects = objects_by_id(store, sorted(i for i in ids if i))
    best: dict[str, tuple[tuple[int, int], Holder]] = {}
    others: set[str] = set()
    for row in rows:
        user = objects.get(row["user_id"])
        if user is None or user["type"] != "user":
            others.add(row["user_id"])
            continue
        scope = row["directory_scope_id"] or "/"
        tenant_wide = scope in TENANT_SCOPES
        rank = (0 if row["assignment"] == "active" else 1) if tenant_wide else 2
        group = objects.get(row["via_group_id"]) if row["via_group_id"] else None
        holder = Holder(
            user=user,
            assignment=row["assignment"],
            assignment_id=row["assignment_id"],
            scope=scope,
            via_group=group or ({"id": row["via_group_id"]} if row["via_group_id"] else None),
        )
        key = (rank, 1 if row["via_group_id"] else 0)
        if user["id"] not in best or key < best[user["id"]][0]:
            best[user["id"]] = (key, holder)
    found = RoleHolders(other_principals=len(others))
    lists = (found.active, found.eligible, found.scoped)
    for (rank, _), holder in sorted(
        best.values(), key=lambda item: (item[1].user.get("displayName") or "", item[1].user["id"])
    ):
        lists[rank].append(holder)
    return found


def cite_holder(result: SkillResult, holder: Holder, role_name: str) -> dict[str, Any]:
    """Cite the user, the assignment and the group it came through; the holder as facts."""
    user_ref = f"user:{cite_user(result, holder.user)}"
    kind = ASSIGNMENT_KINDS[holder.assignment]
    principal = holder.via_group["id"] if holder.via_group else holder.user["id"]
    assignment = result.add_evidence(
        Record(
            kind=kind,
            id=holder.assignment_id,
            label=f"{holder.assignment} assignment of role {role_name}",
            fields={"principalId": principal, "directoryScopeId": holder.scope},
        )
    )
    via = None
    if holder.via_group:
        name = holder.via_group.get("displayName") or holder.via_group["id"]
        group = result.add_evidence(
            Record(
                kind="group",
                id=holder.via_group["id"],
                label=f"group {name}",
                fields={"displayName": name},
            )
        )
        via = {"id": f"group:{group.id}", "displayName": name}
    return {
        "ref": user_ref,
        "displayName": holder.user.get("displayName"),
        "userPrincipalName": holder.user.get("userPrincipalName"),
        "assignment": holder.assignment,
        "assignment_ref": f"{kind}:{assignment.id}",
        "via_group": via,
        "scope": holder.scope,
    }


def applying_ids(evaluation: Evaluation) -> set[str]:
    """Ids of the policies that apply (enforced or report-only)."""
    return {p.policy_id for p in evaluation.policies if p.result not in NOT_APPLIED}


@dataclass
class PlainHolder:
    """A hypothetical holder of the role (no groups, no other role) and a plain Member
    (no role at all), evaluated for the same sign-in."""

    directory: WithPrincipal
    evaluation: Evaluation
    role_policies: list[str]
    """Policies that apply to the holder but not to the plain Member: the role brings them."""
    role_exempts_from: list[str]
    """Policies that apply to the plain Member but not to the holder: the role is excluded."""


def plain_holder(tenant: TenantPolicies, template_id: str, context_of: ContextOf) -> PlainHolder:
    """Evaluate the sign-in for a hypothetical holder, and what the role changes for it."""
    holder = WithPrincipal.holding(tenant.directory, {template_id})
    member = WithPrincipal(tenant.directory, UserFacts())
    with_role = tenant.policy_set.evaluate(context_of(holder.principal_id), holder)
    without = tenant.policy_set.evaluate(context_of(member.principal_id), member)
    applying, before = applying_ids(with_role), applying_ids(without)
    order = [p.policy_id for p in with_role.policies]
    return PlainHolder(
        directory=holder,
        evaluation=with_role,
        role_policies=[p for p in order if p in applying - before],
        role_exempts_from=[p for p in order if p in before - applying],
    )


def policy_brief(result: SkillResult, tenant: TenantPolicies, policy: dict[str, Any]) -> dict:
    """A policy named in the answer: cited, with its name and whether it is report-only."""
    cite_policy(result, tenant, policy["id"])
    return {
        "id": policy["id"],
        "displayName": policy["displayName"],
        "report_only": policy["report_only"],
    }


Policies = list[dict[str, Any]]


def outcome_policies(
    policies: Policies, decided: dict[str, Any]
) -> tuple[Policies, Policies, Policies]:
    """The policies that block the sign-in, that require more of it, and that depend on facts
    not given, for one evaluation's decided outcome."""
    by_id = {p["id"]: p for p in policies}
    requiring = [
        p for p in policies
        if p["result"] == AppliedPolicyResult.failure and not p["missing_facts"]
        and BuiltInControl.block not in p["unsatisfied_controls"]
    ]  # fmt: skip
    blocking = [by_id[i] for i in decided["blocking_policy_ids"]]
    depends = [by_id[d["id"]] for d in decided["depends"]]
    return blocking, requiring, depends


def outcome_key(
    decided: dict[str, Any], blocking: Policies, requiring: Policies, depends: Policies
) -> tuple[Any, ...]:
    """What makes two sign-ins end the same way: the outcome, the controls it requires, and
    the policies that block, require more, or depend on facts not given."""
    return (
        decided["outcome"],
        tuple(decided["required_controls"]),
        tuple(p["id"] for p in blocking),
        tuple(sorted(p["id"] for p in requiring)),
        tuple(sorted(p["id"] for p in depends)),
    )


def outcome_group(
    result: SkillResult,
    tenant: TenantPolicies,
    decided: dict[str, Any],
    blocking: Policies,
    requiring: Policies,
    depends: Policies,
) -> dict[str, Any]:
    """One way sign-ins end: the outcome and its policies, cited (the members added after)."""
    return {
        "outcome": decided["outcome"],
        "required_controls": decided["required_controls"],
        "blocking": [policy_brief(result, tenant, p) for p in blocking],
        "requiring": [policy_brief(result, tenant, p) for p in requiring],
        "depends": [policy_brief(result, tenant, p) for p in depends],
    }


def outcome_groups(
    tenant: TenantPolicies,
    objects: ReasonObjects,
    result: SkillResult,
    holders: list[dict[str, Any]],
    evaluations: list[Evaluation],
    plain_applying: set[str],
) -> list[dict[str, Any]]:
    """Holders (cited facts) grouped by how their sign-in ends and for which policies.

    Each holder also says which policies that apply to a plain holder do not apply to them, with
    the condition that leaves them out (cited), and which apply to them only.
    """
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for holder, evaluation in zip(holders, evaluations, strict=True):
        policies = ordered_policies(evaluation, objects)
        decided = decided_outcome(evaluation, objects)
        blocking, requiring, depends = outcome_policies(policies, decided)
        holder["exempt_from"] = [
            {
                "policy": policy_brief(result, tenant, p),
                "reason": p["why_not"],
                "cites": p["why_not_cites"],
            }
            for p in policies
            if not p["applies"] and p["id"] in plain_applying
        ]
        holder["also_applies"] = [
            policy_brief(result, tenant, p)
            for p in policies
            if p["applies"] and p["id"] not in plain_applying
        ]
        key = outcome_key(decided, blocking, requiring, depends)
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                **outcome_group(result, tenant, decided, blocking, requiring, depends),
                "holders": [],
            }
        group["holders"].append(holder)
    return sorted(
        groups.values(), key=lambda g: (-len(g["holders"]), OUTCOME_ORDER.get(g["outcome"], 9))
    )


def evaluate_holders(
    tenant: TenantPolicies,
    context_of: ContextOf,
    holders: list[Holder],
    template_id: str,
) -> list[Evaluation]:
    """Each holder's sign-in; an eligible holder's as if the role were activated."""
    evaluations = []
    for holder in holders:
        user_id = holder.user["id"]
        directory: Directory = tenant.directory
        if holder.assignment == "eligible":
            directory = WithActivatedRole(tenant.directory, user_id, template_id)
        evaluations.append(tenant.policy_set.evaluate(context_of(user_id), directory))
    return evaluations
