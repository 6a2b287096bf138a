"""Skill `ca_coverage`: gaps and risks across every Conditional Access policy."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.skills.base import (
    NextStep,
    SkillFacts,
    SkillResult,
    Slot,
    UnresolvedFacts,
    define_skill,
    slot,
)
from idpilot.skills.registry import SkillRegistry
from idpilot.skills.resolve import resolve
from idpilot.store import Store
from idpilot.store.queries.groups import group_names_by_lower_ids
from idpilot.store.queries.users import users_by_ids

NAME = "ca_coverage"


class CoverageInput(BaseModel):
    """Nothing is required: the analysis covers every policy; a person asked about is put
    against the MFA policies first."""

    user: str | None = slot(
        Slot.user,
        "A person asked about ('why isn't X covered by MFA?'): which MFA policies reach them "
        "and what leaves them out.",
        default=None,
    )
    policy_asked: str | None = slot(
        Slot.stated,
        "A policy asked about ('is VK-09 on, and who would it hit?'): its state, what it does "
        "in words, and its effect on the recorded sign-ins (replayed as if switched on when "
        "it is report-only or off).",
        default=None,
    )


class CoverageFacts(SkillFacts):
    """Gaps across every Conditional Access policy (`ca_analysis.coverage.analyse`), with the
    groups and users they name resolved to their names and cited."""

    policies: int
    enabled: int
    users: int
    mfa_gap: dict[str, Any]
    legacy: dict[str, Any]
    break_glass: list[dict[str, Any]]
    report_only: list[dict[str, Any]]
    switched_off: list[dict[str, Any]]
    """Disabled policies, with what each would enforce when switched on."""
    never_apply: list[dict[str, Any]]
    overlaps: list[dict[str, Any]]
    exclusion_holes: list[dict[str, Any]]
    """Per enabled policy: the excluded groups, users and roles, how many users the
    exclusions take out, and what they exempt them from."""
    policy: dict[str, Any] | None = None
    """The policy asked about (`ca_analysis.policy_focus`): state, summary, effect."""
    person: dict[str, Any] | None = None
    """The person asked about ({id, displayName, policies}): each enabled MFA-or-block policy,
    whether it reaches them and why (`user_coverage.mfa_policies_for`)."""


def ca_coverage(store: Store, params: CoverageInput) -> SkillResult:
    """Find users and apps no policy protects, unblocked legacy auth, break-glass, dead policies."""
    from idpilot.ca_analysis.coverage import analyse
    from idpilot.ca_analysis.evidence import cite_policy, cite_user
    from idpilot.ca_analysis.tenant_policies import TenantPolicies

    tenant = TenantPolicies.load(store)
    found = analyse(store, tenant)
    result = SkillResult(skill=NAME)
    for policy in tenant.policy_set.policies:
        cite_policy(result, tenant, policy.id)
    group_ids = {g for p in found["never_apply"] for g in p["groups"]}
    group_ids |= {g for hole in found["exclusion_holes"] for g in hole["excluded_groups"]}
    names = _cite_groups(store, result, sorted({g.lower() for g in group_ids}))
    for policy in found["never_apply"]:
        policy["groups"] = _named(policy["groups"], names)
    for hole in found["exclusion_holes"]:
        hole["excluded_groups"] = _named(hole["excluded_groups"], names)
    user_ids = {u["id"] for u in found["mfa_gap"]["uncovered"]}
    user_ids |= {u["id"] for u in found["break_glass"]}
    user_ids |= {u["id"] for hole in found["exclusion_holes"] for u in hole["affected"]}
    user_ids |= {u for hole in found["exclusion_holes"] for u in hole["excluded_users"]}
    cited_users = {}
    if user_ids:
        for row in users_by_ids(store, sorted(user_ids)):
            cited_users[row["id"].lower()] = row
            cite_user(result, row)
    for hole in found["exclusion_holes"]:
        hole["excluded_users"] = _named(hole["excluded_users"], cited_users)
    facts = CoverageFacts(**found)
    if params.user:
        resolution = resolve(store, params.user, "user")
        if resolution.match is None and not resolution.candidates:
            return resolution.unresolved(NAME, "user")
        if resolution.match is not None:
            facts.person = _person(store, tenant, resolution.match.id, result)
        # Several people ("are both break-glass accounts excluded?"): the analysis of all.
    if params.policy_asked:
        from idpilot.ca_analysis.policy_focus import policy_focus

        wanted = params.policy_asked.lower()
        chosen = next(
            (p.id for p in tenant.policy_set.policies
             if wanted in (p.id.lower(), (p.display_name or "").lower())),
            None,
        )  # fmt: skip
        if chosen is None:
            return SkillResult(
                skill=NAME,
                status="notFound",
                query=params.policy_asked,
                facts=UnresolvedFacts(kind="conditionalAccessPolicy"),
            )
        facts.policy = policy_focus(store, tenant, chosen, result)
    result.facts = facts
    steps = result.next_steps
    if facts.mfa_gap["uncovered_count"]:
        steps.append(
            NextStep(
                action="Bring the users outside every MFA policy into one (or document why not).",
                evidence_ids=[u["id"] for u in facts.mfa_gap["uncovered"]],
            )
        )
    if not facts.legacy["blocked"]:
        steps.append(NextStep(action="Create a policy that blocks legacy authentication."))
    for account in facts.break_glass:
        if account["not_excluded_from_block_policy_ids"]:
            steps.append(
                NextStep(
                    action="Exclude the emergency-access account from every block policy, "
                    "so a misconfiguration cannot lock the tenant out.",
                    evidence_ids=[account["id"], *account["not_excluded_from_block_policy_ids"]],
                )
            )
    for policy in facts.report_only:
        if policy["would_block"]:
            steps.append(
                NextStep(
                    action="Review the report-only policy's impact, then enable it or retire it.",
                    evidence_ids=[policy["id"]],
                )
            )
    result.followups = [
        "Replay the recorded sign-ins against the policies",
        "What happens if a guest signs in from an unmanaged device?",
    ]
    return result


def _person(store: Store, tenant: Any, user_id: str, result: SkillResult) -> dict[str, Any] | None:
    """The person against the MFA policies, cited; None when the store lacks them."""
    from idpilot.ca_analysis.evidence import cite_user
    from idpilot.ca_analysis.user_coverage import mfa_policies_for

    rows = users_by_ids(store, [user_id])
    if not rows:
        return None
    cite_user(result, rows[0])
    policies = mfa_policies_for(store, tenant, user_id, result)
    return {
        "id": rows[0]["id"],
        "displayName": rows[0].get("displayName") or user_id,
        "policies": policies,
        "reached": sum(1 for p in policies if p["reaches"]),
        "every_sign_in": any(p["reaches"] and p["every_sign_in"] for p in policies),
    }


def _cite_groups(store: Store, result: SkillResult, lower_ids: list[str]) -> dict[str, dict]:
    """Cite the groups (by lower-cased id) and return lower id -> id and display name."""
    names: dict[str, dict] = {}
    if not lower_ids:
        return names
    for row in group_names_by_lower_ids(store, lower_ids):
        names[row["id"].lower()] = row
        result.add_evidence(
            Record(
                kind="group",
                id=row["id"],
                label=f"group {row['displayName']}",
                fields={"displayName": row["displayName"]},
            )
        )
    return names


def _named(ids: list[str], names: dict[str, dict]) -> list[dict[str, str]]:
    """The objects the store knows (groups, users), as id and display name (absent ones left
    out)."""
    return [
        {"id": names[g.lower()]["id"], "displayName": names[g.lower()]["displayName"]}
        for g in ids
        if g.lower() in names
    ]


def register(registry: SkillRegistry) -> None:
    """Register `ca_coverage`."""
    registry.add(
        define_skill(
            ca_coverage,
            name=NAME,
            facts=CoverageFacts,
            reads=(
                Collection.conditional_access_policies,
                Collection.sign_ins,
            ),
            keywords={
                "gaps": 3.0,
                "gap": 3.0,
                "coverage": 3.0,
                "covered": 2.0,
                "not covered": 3.0,
                "holes": 2.5,
                "conditional access policies": 1.5,
                "conditional access": 1.0,
                "ca policies": 2.0,
                "policies": 0.5,
                "legacy authentication": 2.0,
                "legacy auth": 2.0,
                "break-glass": 3.0,
                "break glass": 3.0,
                "breakglass": 3.0,
                "emergency access": 3.0,
                "report-only": 3.0,
                "report only": 3.0,
                "overlapping": 3.0,
                "overlap": 2.5,
                "conflicting": 3.0,
                "conflict": 2.5,
                "never apply": 3.0,
                "exclusions": 2.0,
                "without mfa": 2.5,
                "no mfa": 2.0,
                "audit": 1.0,
                "weaknesses": 2.0,
                "risks": 1.0,
            },
        )
    )
