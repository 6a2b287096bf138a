"""Skill `risky_users`: the tenant's risky users ranked by what matters, each with a reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from idpilot.model.collections import Collection
from idpilot.model.ranking import Rank
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._security_common import ProposalFact, add_plain, pick, plain
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

NAME = "risky_users"
MAX_LISTED = 25
"""Risky users the answer lists; the rest are counted."""

RISKY_USER_FIELDS = (
    "userPrincipalName", "userDisplayName", "riskLevel", "riskState", "riskLastUpdatedDateTime",
)  # fmt: skip
"""Fields of a risky user its evidence record carries."""


class RiskyUsersInput(BaseModel):
    """Whether to include users whose risk was remediated or dismissed."""

    include_closed: bool = False
    levels: list[str] | None = slot(
        Slot.stated, "Only users at these risk levels (low, medium, high).", default=None
    )
    window: TimeWindow | None = slot(
        Slot.time_window,
        "When the risk asked about changed (applied with risk_changed_in_window).",
        default=None,
    )
    risk_changed_in_window: bool = slot(
        Slot.stated,
        'The window is when the users\' risk changed ("who became risky this week", '
        '"dismissed in November"), not when to act on it ("to deal with today").',
        default=False,
    )
    order: Literal["first_flagged", "last_flagged"] | None = slot(
        Slot.stated,
        "List by when each user was first flagged (their earliest risk detection): "
        'first_flagged ("who was flagged first"), last_flagged ("the most recently flagged").',
        default=None,
    )
    rank: Rank | None = slot(
        Slot.stated,
        "The last or first users flagged, and how many ('the last two users flagged'): "
        "ordered by when each was first flagged.",
        default=None,
    )
    risk_closed: str | None = slot(
        Slot.stated,
        "Only users whose risk was closed this way (closed ones included): self_remediated "
        "(a secure password reset or change, or risk-based MFA, by the user), remediated, "
        "dismissed or confirmed_compromised; any: every user, open or closed, each with its state.",
        default=None,
    )


ALL_LEVELS = frozenset({"low", "medium", "high"})
SELF_REMEDIATED_DETAILS = frozenset(
    {
        "userPerformedSecuredPasswordReset",
        "userPerformedSecuredPasswordChange",
        "userPassedMFADrivenByRiskBasedPolicy",
        "userChangedPasswordOnPremises",
    }
)
"""Graph's riskDetail values for a risk the user closed themselves."""
CLOSED_STATES = {
    "remediated": "remediated",
    "dismissed": "dismissed",
    "confirmed_compromised": "confirmedCompromised",
}
"""Graph's riskState for each way a risk was closed (other than by the user)."""


def _in_window(value: Any, window: TimeWindow) -> bool:
    """Whether a Graph time (a datetime or its ISO text) lies in the window."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return isinstance(value, datetime) and window.contains(value)


def _last_updated(row: dict[str, Any]) -> Any:
    """When the user's risk was last updated."""
    return row.get("riskLastUpdatedDateTime")


def _first_flagged(row: dict[str, Any]) -> Any:
    """When the user was first flagged: their earliest risk detection, else their last risk
    update."""
    return row.get("first_flagged") or row.get("riskLastUpdatedDateTime")


def _closed_that_way(row: dict[str, Any], how: str) -> bool:
    if how == "any":
        return True
    if how == "self_remediated":
        return str(row.get("riskDetail")) in SELF_REMEDIATED_DETAILS
    return row.get("riskState") == CLOSED_STATES.get(how)


def _by_first_flagged(ranked: list[dict[str, Any]], latest_first: bool) -> list[dict[str, Any]]:
    """The users by when each was first flagged (earliest detection; the last risk update for
    one without a detection), earliest first unless `latest_first`; the unknown last."""

    def when(row: dict[str, Any]) -> str:
        value = _first_flagged(row)
        return value.isoformat() if isinstance(value, datetime) else str(value or "")

    known = sorted((r for r in ranked if when(r)), key=when, reverse=latest_first)
    return known + [r for r in ranked if not when(r)]


class RiskyUserLine(SkillFacts):
    """A ranked risky user: risk, state, open detections, privileged roles held."""

    id: str
    userPrincipalName: str | None
    userDisplayName: str | None
    riskLevel: str | None
    riskState: str | None
    riskDetail: str | None
    riskLastUpdatedDateTime: str | None
    first_flagged: str | None = None
    """When the user's earliest risk detection was made."""
    first_detection: str | None = None
    """That detection's id (cited when the list is ordered by it)."""
    detections: int
    open_types: list[str]
    unresolved: bool
    privileged_roles: list[str]


class RiskLevelCounts(SkillFacts):
    """Risky users by risk level."""

    high: int
    medium: int
    low: int


class RiskyUsersFacts(SkillFacts):
    """The risky users, most urgent first, with counts by level and privilege."""

    risk_closed: str | None = None
    """How the listed users' risk was closed, when the question asked for that."""
    window: TimeWindow | None = None
    """When the listed users' risk was last updated, when the question said."""
    order: str | None = None
    """first_flagged or last_flagged when the question asked for that order."""
    rank: str = ""
    """The order and count asked ("the last 2, newest first"), when the question said."""

    users: list[RiskyUserLine]
    total: int
    more: int
    by_level: RiskLevelCounts
    privileged: int
    proposals: list[ProposalFact]


def risky_users(store: Store, params: RiskyUsersInput) -> SkillResult:
    """Rank risky users: unresolved first, then risk level, privilege and recency."""
    from idpilot.security.risk_summary import rank_risky_users

    order = params.order
    if params.rank and not order:
        order = "last_flagged" if params.rank.order == "newest" else "first_flagged"
    # Being flagged is history: "the first person flagged this month" may have been
    # remediated since, and the window is when they were flagged.
    ranked = rank_risky_users(
        store, params.include_closed or bool(params.risk_closed) or bool(order)
    )
    if params.risk_closed:
        ranked = [r for r in ranked if _closed_that_way(r, params.risk_closed)]
    window = params.window if params.risk_changed_in_window else None
    if window is not None:
        when = _first_flagged if order else _last_updated
        ranked = [r for r in ranked if _in_window(when(r), window)]
    if params.levels and set(params.levels) != ALL_LEVELS:
        # Every level said ("risky at any level") is no filter: a closed risk has level none.
        ranked = [r for r in ranked if str(r.get("riskLevel")) in params.levels]
    if order:
        ranked = _by_first_flagged(ranked, latest_first=order == "last_flagged")
    result = SkillResult(skill=NAME)
    listed = ranked[: params.rank.shown(len(ranked), MAX_LISTED) if params.rank else MAX_LISTED]
    for row in listed:
        add_plain(
            result,
            "riskyUser",
            row["id"],
            f"risk state of {row['userPrincipalName']}",
            pick(row, RISKY_USER_FIELDS),
        )
        if order and row.get("first_detection"):
            add_plain(
                result,
                "riskDetection",
                row["first_detection"],
                f"earliest risk detection of {row['userPrincipalName']}",
                {"detectedDateTime": row.get("first_flagged")},
            )
    result.facts = RiskyUsersFacts(
        risk_closed=params.risk_closed,
        window=window,
        order=order,
        rank=params.rank.words("flagged") if params.rank else "",
        users=plain(listed),
        total=len(ranked),
        more=0 if params.rank else max(0, len(ranked) - MAX_LISTED),
        by_level=RiskLevelCounts(
            **{
                level: sum(1 for r in ranked if r["riskLevel"] == level)
                for level in ("high", "medium", "low")
            }
        ),
        privileged=sum(1 for r in ranked if r["privileged_roles"]),
        proposals=[],
    )
    if listed:
        top = listed[0]
        result.next_steps = [
            NextStep(
                action=f"Summarise the risk of {top['userPrincipalName']} and remediate",
                evidence_ids=[top["id"]],
            )
        ]
        result.followups = [f"Summarize the risk for {top['userPrincipalName']}"]
    result.followups += ["Anything suspicious in the last 24 hours?", "Run a posture assessment"]
    return result


def register(registry: SkillRegistry) -> None:
    """Register `risky_users`."""
    registry.add(
        define_skill(
            risky_users,
            name=NAME,
            remote_logs=True,
            facts=RiskyUsersFacts,
            reads=(
                Collection.risky_users,
                Collection.risk_detections,
            ),
            keywords={
                "risky users": 4.0,
                "users are risky": 3.0,
                "users at risk": 4.0,
                "at risk": 2.0,
                "which users": 1.5,
                "who is at risk": 4.0,
                "risky": 1.5,
                "risk report": 3.0,
                "identity protection": 2.0,
                "compromised users": 3.5,
                "high risk users": 4.0,
                "list": 0.5,
            },
        )
    )
