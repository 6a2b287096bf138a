"""Skill `ca_coverage`: gaps and risks across every Conditional Access policy."""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.model.records import Record
from idpilot.skills.base import NextStep, SkillResult, define_skill
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.queries.groups import group_names_by_lower_ids
from idpilot.store.queries.users import users_by_ids

NAME = "ca_coverage"


class CoverageInput(BaseModel):
    """Nothing is required: the analysis covers every policy."""


def ca_coverage(store: Store, params: CoverageInput) -> SkillResult:
    """Find users and apps no policy protects, unblocked legacy auth, break-glass, dead policies."""
    from idpilot.ca_analysis.coverage import analyse
    from idpilot.ca_analysis.evidence import cite_policy, cite_user
    from idpilot.ca_analysis.tenant_policies import TenantPolicies

    tenant = TenantPolicies.load(store)
    facts = analyse(store, tenant)
    result = SkillResult(skill=NAME, facts=facts)
    for policy in tenant.policy_set.policies:
        cite_policy(result, tenant, policy.id)
    group_ids = sorted({g for p in facts["never_apply"] for g in p["groups"]})
    names = {}
    if group_ids:
        for row in group_names_by_lower_ids(store, group_ids):
            names[row["id"].lower()] = row
            result.add_evidence(
                Record(
                    kind="group",
                    id=row["id"],
                    label=f"group {row['displayName']}",
                    fields={"displayName": row["displayName"]},
                )
            )
    for policy in facts["never_apply"]:
        policy["groups"] = [
            {"id": names[g]["id"], "displayName": names[g]["displayName"]}
            for g in policy["groups"]
            if g in names
        ]
    user_ids = {u["id"] for u in facts["mfa_gap"]["uncovered"]}
    user_ids |= {u["id"] for u in facts["break_glass"]}
    user_ids |= {u["id"] for hole in facts["exclusion_holes"] for u in hole["affected"]}
    if user_ids:
        rows = users_by_ids(store, sorted(user_ids))
        for row in rows:
            cite_user(result, row)
    steps = result.next_steps
    if facts["mfa_gap"]["uncovered_count"]:
        steps.append(
            NextStep(
                action="Bring the users outside every MFA policy into one (or document why not).",
                evidence_ids=[u["id"] for u in facts["mfa_gap"]["uncovered"]],
            )
        )
    if not facts["legacy"]["blocked"]:
        steps.append(NextStep(action="Create a policy that blocks legacy authentication."))
    for account in facts["break_glass"]:
        if account["not_excluded_from_block_policy_ids"]:
            steps.append(
                NextStep(
                    action="Exclude the emergency-access account from every block policy, "
                    "so a misconfiguration cannot lock the tenant out.",
                    evidence_ids=[account["id"], *account["not_excluded_from_block_policy_ids"]],
                )
            )
    for policy in facts["report_only"]:
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


def register(registry: SkillRegistry) -> None:
    """Register `ca_coverage`."""
    registry.add(
        define_skill(
            ca_coverage,
            name=NAME,
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
