"""Skill `explain_error`: what a sign-in error code means, and where it occurs in this tenant."""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.skills.base import (
    EvidenceRecord,
    NextStep,
    SkillResult,
    Slot,
    WindowInput,
    define_skill,
    slot,
)
from idpilot.skills.builtin._admin_common import window_bounds
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

NAME = "explain_error"
TOP_USERS = 5

_OCCURRENCES_SQL = """
SELECT count(*) AS attempts, count(DISTINCT userId) AS users,
       min(createdDateTime) AS first_seen, max(createdDateTime) AS last_seen
FROM signIns
WHERE errorCode = $code AND ($start IS NULL OR createdDateTime >= $start)
  AND ($end IS NULL OR createdDateTime < $end)
"""
_TOP_USERS_SQL = """
SELECT userId, any_value(userPrincipalName) AS upn, count(*) AS attempts,
       arg_max(id, createdDateTime) AS latest_id, max(createdDateTime) AS latest,
       arg_max(appDisplayName, createdDateTime) AS app, arg_max(ipAddress, createdDateTime) AS ip
FROM signIns
WHERE errorCode = $code AND ($start IS NULL OR createdDateTime >= $start)
  AND ($end IS NULL OR createdDateTime < $end)
GROUP BY userId ORDER BY attempts DESC, upn LIMIT $limit
"""


class ExplainErrorInput(BaseModel):
    """Which error code, and over which window to count it."""

    code: int = slot(Slot.error_code, "The AADSTS error code, e.g. 50126 or AADSTS50053.")
    window: WindowInput | None = slot(
        Slot.time_window, "When to count it (default: the whole snapshot).", default=None
    )


def explain_error(store: Store, params: ExplainErrorInput) -> SkillResult:
    """Explain a sign-in error code and show where it occurs in this tenant."""
    from idpilot.knowledge import default_catalog  # the catalogue's files load when it runs

    explanation = default_catalog().explain(params.code)
    start, end, _ = window_bounds(params.window)
    window = {"code": params.code, "start": start, "end": end}
    result = SkillResult(skill=NAME)
    occurrences = store.query(_OCCURRENCES_SQL, window)[0]
    top = store.query(_TOP_USERS_SQL, {**window, "limit": TOP_USERS})
    for row in top:
        result.add_evidence(
            EvidenceRecord(
                kind="signIn",
                id=row["latest_id"],
                label=f"latest {params.code} failure of {row['upn'] or row['userId']}",
                fields={
                    "userPrincipalName": row["upn"],
                    "userId": row["userId"],
                    "errorCode": params.code,
                    "appDisplayName": row["app"],
                    "ipAddress": row["ip"],
                },
            )
        )
    result.facts = {
        "explanation": explanation.model_dump(mode="json"),
        "occurrences": occurrences,
        "top_users": top,
        "window": params.window.model_dump(mode="json") if params.window else None,
    }
    result.kql = (
        "union SigninLogs, AADNonInteractiveUserSignInLogs\n"
        f'| where ResultType == "{params.code}"\n'
        "| summarize Attempts = count(), Users = dcount(UserPrincipalName)"
        " by bin(TimeGenerated, 1d)"
    )
    if explanation.found and top and not explanation.is_interrupt:
        result.next_steps.append(
            NextStep(
                action=f"Troubleshoot the most affected user: ask why {top[0]['upn'] or 'they'} "
                "failed to sign in.",
                evidence_ids=[top[0]["latest_id"]],
            )
        )
    if top:
        result.followups.append(f"Why did {top[0]['upn'] or top[0]['userId']} fail to sign in?")
    result.followups.append("How many sign-ins failed in the last 24 hours?")
    return result


def register(registry: SkillRegistry) -> None:
    """Register `explain_error`."""
    registry.add(
        define_skill(
            explain_error,
            name=NAME,
            keywords={
                "error": 1.5,
                "error code": 3.0,
                "aadsts": 3.0,
                "what does": 1.0,
                "mean": 1.5,
                "meaning": 1.5,
                "explain error": 3.0,
                "explain": 0.5,
            },
        )
    )
