"""The risk report: users at risk now, Identity Protection detections over time."""

from __future__ import annotations

from idpilot.reports.content._base import Content, ReportInputs, kql_between
from idpilot.reports.model import ChartSpec, ObjectRef, Query, ReportItem

_RESPONSE = (
    "Confirm with the user whether the activity was theirs",
    "If not: reset the password, revoke sessions, and check recent MFA registrations",
    "If it was: confirm the user safe so the risk is closed",
)


def build(inputs: ReportInputs, content: Content) -> None:
    """Add the risky users (each an issue), the counts by level and detections per day."""
    from idpilot.skills.builtin.risky_users import RiskyUsersInput, risky_users

    result = content.take(risky_users(inputs.store, RiskyUsersInput()))
    facts = result.facts
    users = [u for u in facts.users if inputs.user_id is None or u.id == inputs.user_id]
    refs = []
    for user in users:
        if not content.has("riskyUser", user.id):
            continue
        ref = content.figures.add(
            f"risky-{user.id}",
            f"risk of {user.userPrincipalName}",
            {
                "user": user.userPrincipalName,
                "riskLevel": user.riskLevel,
                "riskState": user.riskState,
                "detections": user.detections,
                "openTypes": user.open_types,
                "privilegedRoles": user.privileged_roles,
            },
            sources=[f"riskyUser:{user.id}"],
        )
        refs.append(ref)
        content.issues.append(
            ReportItem(
                title=f"{user.userPrincipalName} is at {user.riskLevel} risk",
                severity=user.riskLevel,
                impact="An account that may be in an attacker's hands",
                detail=", ".join(user.open_types),
                steps=list(_RESPONSE),
                objects=[ObjectRef(kind="riskyUser", id=user.id, label=user.userPrincipalName)],
                figure=ref,
                count=user.detections,
                count_noun="risk detection",
                refs=[f"riskyUser:{user.id}"],
            )
        )
    total = content.figures.add(
        "risky-users",
        "users at risk now",
        {
            "atRisk": len(refs),
            "high": sum(1 for u in users if u.riskLevel == "high"),
            "medium": sum(1 for u in users if u.riskLevel == "medium"),
            "privileged": sum(1 for u in users if u.privileged_roles),
        },
        sources=refs,
    )
    content.headline = [
        content.figures.value(total, "atRisk", "users at risk now"),
        content.figures.value(total, "high", "at high risk"),
        content.figures.value(total, "privileged", "holding an admin role"),
    ]
    _risk_chart(inputs, content)


def _risk_chart(inputs: ReportInputs, content: Content) -> None:
    """Risk detections per day of the window, by level."""
    from idpilot.store.queries.report_series import risk_detections_by_day

    window = inputs.window
    rows = risk_detections_by_day(inputs.store, window.start, window.end)
    kql = (
        f"AADUserRiskEvents\n| where {kql_between(window)}\n"
        "| summarize High = countif(RiskLevel == 'high'), Medium = countif(RiskLevel == 'medium'),"
        " Low = countif(RiskLevel == 'low') by Day = bin(TimeGenerated, 1d)\n| sort by Day asc"
    )
    levels = ("high", "medium", "low")
    ref = content.figures.add(
        "risk-by-day",
        "risk detections per day by level",
        {"labels": [r["day"] for r in rows], **{lvl: [r[lvl] for r in rows] for lvl in levels}},
        kql=kql,
    )
    content.charts.append(
        ChartSpec(
            id="risk-over-time",
            title="Risk detections per day",
            style="line",
            labels=[r["day"] for r in rows],
            series={lvl: [float(r[lvl]) for r in rows] for lvl in levels},
            ref=ref,
            caption="Identity Protection risk detections per day of the window, by level",
        )
    )
    content.queries.append(Query(title="Risk detections per day", kql=kql, ref=ref))
