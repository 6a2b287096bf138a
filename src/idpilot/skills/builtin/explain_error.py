"""Skill `explain_error`: what a sign-in error code means, and where it occurs in this tenant."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from idpilot.logs import log_reader
from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import window_bounds
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.queries.sign_ins import error_occurrences, error_top_users

NAME = "explain_error"
TOP_USERS = 5


class Occurrences(SkillFacts):
    """How often the error occurs in the store (in the window, when one was asked)."""

    attempts: int
    users: int
    first_seen: datetime | None
    last_seen: datetime | None


class AffectedUser(SkillFacts):
    """A user the error hits most, with their first and latest failure."""

    userId: str | None
    upn: str | None
    attempts: int
    first_id: str
    first: datetime
    latest_id: str
    latest: datetime
    app: str | None
    ip: str | None


class ExplainErrorFacts(SkillFacts):
    """What an error code means (the catalog), and where it occurs in this tenant."""

    explanation: dict[str, Any]
    """The catalog's explanation as JSON (`knowledge.ErrorExplanation`)."""
    occurrences: Occurrences
    top_users: list[AffectedUser]
    window: dict[str, Any] | None
    """The time window asked about, as JSON (`TimeWindow`)."""
    focus: str | None = None
    """"occurrences" puts who hits the code in this tenant first."""


class ExplainErrorInput(BaseModel):
    """Which error code, and over which window to count it."""

    code: int = slot(Slot.error_code, "The AADSTS error code, e.g. 50126 or AADSTS50053.")
    window: TimeWindow | None = slot(
        Slot.time_window, "When to count it (default: the whole snapshot).", default=None
    )
    focus: Literal["meaning", "occurrences"] | None = slot(
        Slot.stated,
        "What the question asks first: what the code means, or who hits it.",
        default=None,
    )


def explain_error(store: Store, params: ExplainErrorInput) -> SkillResult:
    """Explain a sign-in error code and show where it occurs in this tenant."""
    from idpilot.knowledge import default_catalog  # the catalogue's files load when it runs

    explanation = default_catalog().explain(params.code)
    start, end, _ = window_bounds(params.window)
    result = SkillResult(skill=NAME)
    failed = log_reader(store).sign_ins_to_count(start, end, error_code=params.code)
    occurrences = error_occurrences(failed, params.code, start, end)
    top = error_top_users(failed, params.code, start, end, TOP_USERS)
    for row in top:
        for which in ("latest", "first") if row["first_id"] != row["latest_id"] else ("latest",):
            result.add_evidence(
                Record(
                    kind="signIn",
                    id=row[f"{which}_id"],
                    label=f"{which} {params.code} failure of {row['upn'] or row['userId']}",
                    fields={
                        "userPrincipalName": row["upn"],
                        "userId": row["userId"],
                        "errorCode": params.code,
                        "createdDateTime": row[which].isoformat(),
                        **(
                            {"appDisplayName": row["app"], "ipAddress": row["ip"]}
                            if which == "latest"
                            else {}
                        ),
                    },
                )
            )
    result.facts = ExplainErrorFacts(
        explanation=explanation.model_dump(mode="json"),
        occurrences=occurrences,
        top_users=top,
        window=params.window.model_dump(mode="json") if params.window else None,
        focus=params.focus,
    )
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
            remote_logs=True,
            facts=ExplainErrorFacts,
            reads=(Collection.sign_ins,),
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
