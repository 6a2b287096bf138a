"""Identity Protection checks: risky users and workload identities left unremediated."""

from __future__ import annotations

from typing import Any

from idpilot.model.records import Record
from idpilot.posture.base import Baseline, Outcome, check, failed_if, unknown
from idpilot.posture.data import PostureData
from idpilot.security.severity import Severity

OPEN_RISK_STATES = frozenset({"atRisk", "confirmedCompromised"})
SERIOUS_LEVELS = frozenset({"medium", "high"})


def _open_and_serious(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Risk records still open at medium or high risk, by id."""
    return [
        r
        for r in sorted(records, key=lambda r: r["id"])
        if r["riskState"] in OPEN_RISK_STATES and r["riskLevel"] in SERIOUS_LEVELS
    ]


def _risk_detail(record: dict[str, Any]) -> str:
    return f"{record['riskLevel']} risk, {record['riskState']}"


@check(
    "IDP-RSK-001",
    "No risky user is left unremediated",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.2.1v1 Users detected as high risk SHALL be blocked (remediate user risk)",
    "Investigate each risky user: require a secure password reset or confirm compromised; "
    "dismiss only false positives.",
    controls=(),
)
def risky_users_open(data: PostureData) -> Outcome:
    return failed_if(
        [
            Record(
                kind="riskyUser",
                id=r["id"],
                label=r["userPrincipalName"] or r["id"],
                detail=_risk_detail(r),
                fields={
                    "userPrincipalName": r["userPrincipalName"],
                    "userDisplayName": r["userDisplayName"],
                },
            )
            for r in _open_and_serious(data.risky_users)
        ]
    )


@check(
    "IDP-RSK-002",
    "No risky workload identity is left unremediated",
    Severity.high,
    Baseline.microsoft,
    "Workload identity risk: investigate and remediate risky service principals",
    "Review the detections; rotate or remove the credentials and confirm compromised or dismiss.",
)
def risky_workloads_open(data: PostureData) -> Outcome:
    return failed_if(
        [
            Record(
                kind="riskyServicePrincipal",
                id=r["id"],
                label=r["displayName"] or r["id"],
                detail=_risk_detail(r),
                fields={"displayName": r["displayName"], "appId": r["appId"]},
            )
            for r in _open_and_serious(data.risky_service_principals)
        ]
    )


@check(
    "IDP-RSK-003",
    "Administrators are notified when high-risk users are detected",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.2.2v1 A notification SHOULD be sent to the administrator when high-risk users "
    "are detected",
    "In Identity Protection > Settings > Users at risk detected alerts, add the security "
    "team's mailbox and set the alert level to High.",
)
def risky_user_alerts(data: PostureData) -> Outcome:
    """Undecidable from a snapshot: the alert recipients are a portal setting Graph does not
    publish."""
    return unknown(
        [NOTIFICATION_SETTING],
        f"not in the snapshot: {NOTIFICATION_SETTING} (a portal setting, not in Microsoft Graph)",
    )


NOTIFICATION_SETTING = "Identity Protection 'users at risk detected' alert recipients"
