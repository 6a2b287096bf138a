"""A what-if asked about a kind of person ("a contractor", "someone in Finance", "an admin"):
who fits, and how the sign-in ends for them.

Conditional Access looks at a user through four facts only: the user's id (a policy may name
it), the groups they are in, the directory roles they hold and their userType. Members who agree
on the ones the tenant's policies name are one cohort: one sign-in is evaluated per cohort (its
first member by name stands for it), so a population of thousands costs a few evaluations.
Holders of a privileged role who are only eligible through PIM are evaluated as if they had
activated it, as the role what-if does (`role_whatif`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from idpilot.ca_analysis.evidence import ReasonObjects, cite_user
from idpilot.ca_analysis.role_whatif import (
    TENANT_SCOPES,
    outcome_group,
    outcome_key,
    outcome_policies,
    policy_brief,
)
from idpilot.ca_analysis.scenario import decided_outcome, ordered_policies
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access import Directory, Evaluation, SignInContext
from idpilot.conditional_access.catalog import BuiltInControl
from idpilot.conditional_access.directory import UserFacts, WithPrincipal
from idpilot.conditional_access.result import AppliedPolicyResult
from idpilot.security.privileged_roles import privileged_role_holders
from idpilot.skills.base import SkillResult
from idpilot.skills.builtin._whatif_population import Population
from idpilot.store import Store
from idpilot.store.directory import members_of
from idpilot.store.queries.populations import population_users

MAX_EXAMPLES = 3
"""Members named per outcome or per policy difference (the counts are exact)."""
OUTCOME_ORDER = {"blocked": 0, "controlsRequired": 1, "allowed": 2}
"""Of two equally large outcomes, the more restricted one is said first."""

ContextOf = Callable[[str], SignInContext]
"""The hypothetical sign-in for a user id."""


@dataclass
class Members:
    """The users a population holds: enabled ones (evaluated), disabled ones (counted), and the
    privileged roles each admin holds only as eligible (activated for the what-if)."""

    enabled: list[dict[str, Any]] = field(default_factory=list)
    disabled: int = 0
    activated: dict[str, frozenset[str]] = field(default_factory=dict)


def population_members(store: Store, population: Population, group_id: str | None) -> Members:
    """The users who fit every part of the population (`group_id`: the group it names,
    already resolved), by display name."""
    ids: set[str] | None = None
    activated: dict[str, set[str]] = {}
    if group_id is not None:
        ids = {m["id"] for m in members_of(store, group_id) if m["member_type"] == "user"}
    if population.admins:
        holders = _privileged_holders(store, activated)
        ids = holders if ids is None else ids & holders
    created_since = None
    if population.new_days:
        created_since = store.captured_at() - timedelta(days=population.new_days)
    rows = population_users(
        store,
        department=population.department,
        user_type=population.user_type,
        company=population.company,
        described_pattern=described_pattern(population.described),
        created_since=created_since,
        user_ids=sorted(ids) if ids is not None else None,
    )
    enabled = [row for row in rows if row["accountEnabled"] is not False]
    return Members(
        enabled=enabled,
        disabled=len(rows) - len(enabled),
        activated={
            row["id"]: frozenset(activated[row["id"]]) for row in enabled if row["id"] in activated
        },
    )


def described_pattern(word: str | None) -> str | None:
    """The regular expression a described word is found by: the word, singular or plural."""
    if not word:
        return None
    stem = word.lower().removesuffix("s")
    return rf"\b{re.escape(stem)}s?\b"


def _privileged_holders(store: Store, eligible_only: dict[str, set[str]]) -> set[str]:
    """Users holding a privileged role tenant-wide, active or eligible; `eligible_only` gets,
    per user, the roles they hold only as eligible."""
    active: dict[str, set[str]] = {}
    eligible: dict[str, set[str]] = {}
    for row in privileged_role_holders(store):
        if (row["directory_scope_id"] or "/") not in TENANT_SCOPES:
            continue  # Conditional Access does not count a scoped assignment
        kind = active if row["assignment"] == "active" else eligible
        kind.setdefault(row["user_id"], set()).add(row["template_id"].lower())
    for user_id, roles in eligible.items():
        if only := roles - active.get(user_id, set()):
            eligible_only[user_id] = only
    return set(active) | set(eligible)


@dataclass
class Cohort:
    """Members Conditional Access cannot tell apart, and their sign-in's evaluation."""

    members: list[dict[str, Any]]
    evaluation: Evaluation


def evaluate_cohorts(
    tenant: TenantPolicies, context_of: ContextOf, members: Members
) -> list[Cohort]:
    """One evaluation per set of members who agree on every fact the policies look at."""
    users, groups, roles = tenant.referenced_principals()
    directory = tenant.directory
    cohorts: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    facts: dict[tuple[Any, ...], UserFacts] = {}
    for row in members.enabled:
        user_id = row["id"]
        held = directory.role_template_ids_of(user_id) | members.activated.get(user_id, set())
        user_facts = UserFacts(
            user_type=directory.user_type_of(user_id),
            group_ids=directory.group_ids_of(user_id),
            role_template_ids=held,
        )
        key = (
            user_id.lower() if user_id.lower() in users else None,
            user_facts.user_type,
            frozenset(g.lower() for g in user_facts.group_ids) & groups,
            frozenset(r.lower() for r in user_facts.role_template_ids) & roles,
        )
        cohorts.setdefault(key, []).append(row)
        facts.setdefault(key, user_facts)
    evaluated = []
    for key, rows in cohorts.items():
        first = rows[0]["id"]
        seen: Directory = WithPrincipal(directory, facts[key], principal_id=first)
        evaluated.append(Cohort(rows, tenant.policy_set.evaluate(context_of(first), seen)))
    return evaluated


def cite_member(result: SkillResult, row: dict[str, Any]) -> dict[str, Any]:
    """Cite a member; the member as facts (reference and name)."""
    return {"ref": f"user:{cite_user(result, row)}", "displayName": row.get("displayName")}


def population_outcomes(
    tenant: TenantPolicies,
    objects: ReasonObjects,
    result: SkillResult,
    cohorts: list[Cohort],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What each policy does to the population (most members first; those it applies to none
    of last), and the members grouped by how their sign-in ends (policies and example members
    cited)."""
    per_policy: dict[str, dict[str, Any]] = {}
    outcomes: dict[tuple[Any, ...], dict[str, Any]] = {}
    for cohort in cohorts:
        policies = ordered_policies(cohort.evaluation, objects)
        decided = decided_outcome(cohort.evaluation, objects)
        _count_policies(tenant, result, per_policy, cohort, policies)
        _count_outcome(tenant, result, outcomes, cohort, policies, decided)
    policy_lines = list(per_policy.values())
    policy_lines.sort(key=lambda line: (-line["applies_count"], line["policy"]["displayName"]))
    groups = sorted(
        outcomes.values(), key=lambda g: (-g["count"], OUTCOME_ORDER.get(g["outcome"], 9))
    )
    for line in policy_lines:
        line["examples"] = _examples(result, line.pop("_rows"))
        for left in line["left_out"]:
            left["examples"] = _examples(result, left.pop("_rows"))
    for group in groups:
        group["examples"] = _examples(result, group.pop("_rows"))
    return policy_lines, groups


def _examples(result: SkillResult, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first `MAX_EXAMPLES` members by name, cited."""
    named = sorted(rows, key=lambda row: (row.get("displayName") or "", row["id"]))
    return [cite_member(result, row) for row in named[:MAX_EXAMPLES]]


def _count_policies(
    tenant: TenantPolicies,
    result: SkillResult,
    per_policy: dict[str, dict[str, Any]],
    cohort: Cohort,
    policies: list[dict[str, Any]],
) -> None:
    """Add a cohort to each policy's line: applied to it, or left it out and why."""
    size = len(cohort.members)
    for policy in policies:
        line = per_policy.get(policy["id"])
        if line is None:
            line = per_policy[policy["id"]] = {
                "policy": policy_brief(result, tenant, policy),
                "applies_count": 0,
                "blocks_count": 0,
                "requires_count": 0,
                "grant_controls": policy["grant_controls"],
                "undecided": False,
                "left_out": [],
                "_rows": [],
            }
        if not policy["applies"]:
            reason = policy["why_not"]
            left = next((x for x in line["left_out"] if x["reason"] == reason), None)
            if left is None:
                left = {"reason": reason, "cites": policy["why_not_cites"], "count": 0, "_rows": []}
                line["left_out"].append(left)
            left["count"] += size
            left["_rows"] += cohort.members
            continue
        line["applies_count"] += size
        line["_rows"] += cohort.members
        line["undecided"] = line["undecided"] or policy["undecided"]
        failed = policy["result"] == AppliedPolicyResult.failure and not policy["missing_facts"]
        if failed and BuiltInControl.block in policy["unsatisfied_controls"]:
            line["blocks_count"] += size
        elif failed:
            line["requires_count"] += size


def _count_outcome(
    tenant: TenantPolicies,
    result: SkillResult,
    outcomes: dict[tuple[Any, ...], dict[str, Any]],
    cohort: Cohort,
    policies: list[dict[str, Any]],
    decided: dict[str, Any],
) -> None:
    """Add a cohort to the members whose sign-in ends the same way, for the same policies."""
    blocking, requiring, depends = outcome_policies(policies, decided)
    key = outcome_key(decided, blocking, requiring, depends)
    group = outcomes.get(key)
    if group is None:
        group = outcomes[key] = {
            **outcome_group(result, tenant, decided, blocking, requiring, depends),
            "count": 0,
            "_rows": [],
        }
    group["count"] += len(cohort.members)
    group["_rows"] += cohort.members
