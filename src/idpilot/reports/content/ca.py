"""The Conditional Access report, and the protective measures other reports borrow from it."""

from __future__ import annotations

from typing import Any

from idpilot.reports.content._base import MAX_OBJECTS_PER_ITEM, Content, ReportInputs
from idpilot.reports.model import ChartSpec, ObjectRef, ReportItem


def _coverage(inputs: ReportInputs, content: Content) -> Any:
    from idpilot.skills.builtin.ca_coverage import CoverageInput, ca_coverage

    return content.take(ca_coverage(inputs.store, CoverageInput())).facts


def _policy(content: Content, policy: dict[str, Any]) -> ObjectRef | None:
    if content.has("conditionalAccessPolicy", policy["id"]):
        return ObjectRef(
            kind="conditionalAccessPolicy", id=policy["id"], label=policy["displayName"]
        )
    return None


def _users(content: Content, users: list[dict[str, Any]]) -> list[ObjectRef]:
    return [
        ObjectRef(kind="user", id=u["id"], label=u.get("userPrincipalName") or u["displayName"])
        for u in users
        if content.has("user", u["id"])
    ]


def _refs(objects: list[ObjectRef | None]) -> list[ObjectRef]:
    return [o for o in objects if o is not None]


def add_measures(inputs: ReportInputs, content: Content) -> Any:
    """The Conditional Access policies that protect the tenant, as measures; the coverage."""
    facts = _coverage(inputs, content)
    _add_measure(
        content,
        facts.mfa_gap["covering"],
        "Conditional Access requires MFA",
        "These enabled policies require multifactor authentication",
        "MS.AAD.3.2v1",
    )
    _add_measure(
        content,
        facts.legacy["blocking"],
        "Legacy authentication is blocked",
        "These enabled policies block protocols that cannot do MFA",
        "MS.AAD.1.1v1",
    )
    return facts


def _add_measure(
    content: Content, policies: list[dict[str, Any]], title: str, detail: str, control: str
) -> None:
    """A measure naming the policies that are in the evidence; none when no policy is."""
    objects = _refs([_policy(content, p) for p in policies])
    if objects:
        content.measures.append(
            ReportItem(
                title=title,
                detail=detail,
                controls=[control],
                objects=objects,
                refs=[f"{o.kind}:{o.id}" for o in objects],
            )
        )


def build(inputs: ReportInputs, content: Content) -> None:
    """Add the Conditional Access design: coverage, gaps, switched-off and report-only policies."""
    facts = add_measures(inputs, content)
    figures = content.figures
    gap = facts.mfa_gap
    uncovered = _users(content, gap["uncovered"])
    states = {
        "enabled": facts.enabled,
        "reportOnly": len(facts.report_only),
        "switchedOff": len(facts.switched_off),
        "neverApply": len(facts.never_apply),
    }
    policy_ref = figures.add(
        "ca-policies",
        "Conditional Access policies by state",
        {
            "policies": facts.policies,
            **states,
            "labels": ["enabled", "report-only", "switched off", "can never apply"],
            "count": list(states.values()),
        },
        sources=[f"conditionalAccessPolicy:{p['id']}" for p in facts.report_only]
        + [f"conditionalAccessPolicy:{p['id']}" for p in facts.switched_off]
        + [f"conditionalAccessPolicy:{p['id']}" for p in facts.never_apply],
    )
    covered = facts.users - gap["uncovered_count"]
    mfa_ref = figures.add(
        "mfa-coverage",
        "users covered by a policy requiring MFA",
        {
            "users": facts.users,
            "covered": covered,
            "uncovered": gap["uncovered_count"],
            "labels": ["covered by MFA policies", "not covered"],
            "count": [covered, gap["uncovered_count"]],
        },
        sources=[f"conditionalAccessPolicy:{p['id']}" for p in gap["covering"]]
        + [f"{o.kind}:{o.id}" for o in uncovered],
    )
    content.headline = [
        figures.value(mfa_ref, "uncovered", "enabled users no policy requires MFA of"),
        figures.value(policy_ref, "reportOnly", "policies only reporting"),
        figures.value(policy_ref, "neverApply", "policies that can never apply"),
    ]
    content.environment = [
        figures.value(policy_ref, "policies", "Conditional Access policies"),
        figures.value(policy_ref, "enabled", "enabled"),
        figures.value(mfa_ref, "users", "enabled users"),
    ]
    if gap["uncovered_count"]:
        content.issues.append(
            ReportItem(
                title="Users outside every MFA policy",
                severity="high",
                impact="Accounts that can sign in with a password alone",
                steps=[
                    "Include them in an MFA policy, or confirm each is an excluded "
                    "emergency access account that is monitored"
                ],
                controls=["MS.AAD.3.2v1"],
                objects=uncovered[:MAX_OBJECTS_PER_ITEM],
                figure=mfa_ref,
                count=gap["uncovered_count"],
                count_noun="user",
            )
        )
    for glass in facts.break_glass:
        blocked_by = [
            ObjectRef(kind="conditionalAccessPolicy", id=p, label=p)
            for p in glass["not_excluded_from_block_policy_ids"]
            if content.has("conditionalAccessPolicy", p)
        ]
        if blocked_by and content.has("user", glass["id"]):
            content.issues.append(
                ReportItem(
                    title=f"Emergency access account {glass['displayName']} can be locked out",
                    severity="critical",
                    impact="If the usual admins are locked out, the way back in is blocked too",
                    steps=["Exclude the emergency access account from the blocking policy"],
                    objects=[
                        ObjectRef(kind="user", id=glass["id"], label=glass["displayName"]),
                        *blocked_by,
                    ],
                    refs=[f"user:{glass['id']}", *(f"{o.kind}:{o.id}" for o in blocked_by)],
                )
            )
    for policy in facts.report_only:
        ref = figures.add(
            f"report-only-{policy['id']}",
            f"sign-ins report-only policy {policy['displayName']} would have blocked",
            {"wouldBlock": policy["would_block"], "wouldInterrupt": policy["would_interrupt"]},
            sources=[f"conditionalAccessPolicy:{policy['id']}"],
        )
        content.issues.append(
            ReportItem(
                title=f"Report-only: {policy['displayName']}",
                severity="medium",
                impact="A control that is designed but not enforced",
                steps=["Review the sign-ins it would block, then switch it on"],
                objects=_refs([_policy(content, policy)]),
                figure=ref,
                count=policy["would_block"],
                count_noun="would-be blocked sign-in",
            )
        )
    for policy in facts.switched_off + facts.never_apply:
        content.issues.append(
            ReportItem(
                title=f"Not in force: {policy['displayName']}",
                severity="medium",
                impact="A control people may believe protects them does not",
                detail="; ".join(policy.get("why", [])) or "switched off",
                steps=["Switch it on in report-only mode, or delete it"],
                objects=_refs([_policy(content, policy)]),
                refs=[f"conditionalAccessPolicy:{policy['id']}"],
            )
        )
    content.charts.append(
        ChartSpec(
            id="policy-coverage",
            title="Conditional Access policies by state",
            style="barh",
            labels=["enabled", "report-only", "switched off", "can never apply"],
            series={"count": [float(v) for v in states.values()]},
            ref=policy_ref,
            caption="Policies by state",
        )
    )
    content.charts.append(
        ChartSpec(
            id="mfa-coverage",
            title="Enabled users and MFA policy coverage",
            style="barh",
            labels=["covered by MFA policies", "not covered"],
            series={"count": [float(covered), float(gap["uncovered_count"])]},
            ref=mfa_ref,
            caption="Users a policy requiring MFA covers",
        )
    )
