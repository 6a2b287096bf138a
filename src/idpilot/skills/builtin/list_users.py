"""Skill `list_users`: users matching typed filters, with an exact count and a capped list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from idpilot.knowledge.licences import licence_name
from idpilot.knowledge.privileged_roles import privileged_template_ids
from idpilot.model.collections import Collection
from idpilot.model.ranking import Rank
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import (
    LIST_LIMIT,
    audit_record,
    iso,
    user_record,
    window_bounds,
)
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.audit import AuditEvent, events_about
from idpilot.store.directory import user_by_id
from idpilot.store.queries.users import count_matching_users, count_users, matching_users

NAME = "list_users"
NEVER = "0001-01-01"
"""Graph writes 0001-01-01T00:00:00Z in signInActivity for 'never'."""


class ListUsersInput(BaseModel):
    """Filters; none means every user."""

    window: TimeWindow | None = slot(
        Slot.time_window, "Creation window for 'created ...' questions.", default=None
    )
    user_type: str | None = slot(Slot.stated, "Member or Guest.", default=None)
    account_enabled: bool | None = slot(
        Slot.stated, "Enabled (true) or disabled (false).", default=None
    )
    has_licences: bool | None = slot(Slot.stated, "Holds at least one licence.", default=None)
    never_signed_in: bool | None = slot(Slot.stated, "No sign-in recorded anywhere.", default=None)
    inactive_days: int | None = slot(Slot.stated, "No sign-in in this many days.", default=None)
    created_in_window: bool | None = slot(Slot.stated, "Created inside `window`.", default=None)
    department: str | None = slot(
        Slot.stated, "Department (exact, case-insensitive).", default=None
    )
    department_excluded: bool | None = slot(
        Slot.stated, "Everyone but `department`'s people ('outside IT').", default=None
    )
    break_glass: bool | None = slot(
        Slot.stated,
        "Emergency access (break-glass) accounts only (true) or left out (false), by name.",
        default=None,
    )
    synced: bool | None = slot(Slot.stated, "Synchronised from on-premises AD.", default=None)
    mfa_registered: bool | None = slot(
        Slot.stated,
        "Registered for MFA (true) or not (false), per the registration report.",
        default=None,
    )
    sms_only: bool | None = slot(
        Slot.stated, "Registered MFA methods are only SMS or voice calls.", default=None
    )
    weak_mfa: bool | None = slot(
        Slot.stated,
        "Weak MFA: no MFA method registered, or only SMS or voice calls.",
        default=None,
    )
    cities: list[str] | None = slot(
        Slot.stated, "The user's city (its directory property), any of these.", default=None
    )
    licence_skus: list[str] | None = slot(
        Slot.stated, "Holds one of these licences (skuIds).", default=None
    )
    privileged: bool | None = slot(
        Slot.stated,
        "Holds a privileged directory role (active or eligible, directly or via a group).",
        default=None,
    )
    service_accounts: bool | None = slot(
        Slot.stated,
        "Service accounts (a `svc-` name, or 'service account' in the name or job title): "
        "only them (true) or all but them (false).",
        default=None,
    )
    reports_to: str | None = slot(
        Slot.stated, "The object id of a manager: only their direct reports.", default=None
    )
    rank: Rank | None = slot(
        Slot.stated,
        "The newest or oldest accounts by creation date, and how many ('the last 3 accounts "
        "we created').",
        default=None,
    )


class UserLine(SkillFacts):
    """A listed user: type, state, department, licence count and last sign-in."""

    id: str
    displayName: str | None
    userPrincipalName: str | None
    userType: str | None
    accountEnabled: bool | None
    department: str | None
    createdDateTime: datetime | None
    licences: int
    lastSignIn: datetime | None
    created_by: str | None = None
    """Who created the account, when the list is of accounts created in a window and the audit
    log holds the event (its id in `created_event`)."""
    created_event: str | None = None


class ListUsersFacts(SkillFacts):
    """The users matching the filters: exact count, the first `limit` by name."""

    filters: dict[str, str | bool | int]
    """The filters applied (a date as its ISO string)."""
    window: str
    total: int
    tenant_total: int
    users: list[UserLine]
    limit: int
    window_not_applied: str = ""
    """The time the question states, when it filters nothing: a user list is dated only by
    when the accounts were created, and the question did not ask that."""
    rank: str = ""
    """The order and count asked ("the last 3"): the users are then the newest (or oldest)
    accounts by creation date, not the first by name."""
    alone: dict[str, int] = Field(default_factory=dict)
    """With two conditions or more, how many users each matches on its own ("how many were
    created this week, and which of them never signed in?" asks both numbers)."""


def list_users(store: Store, params: ListUsersInput) -> SkillResult:
    """List users by type, state, licences, sign-in activity, creation date or department."""
    filters = params.model_dump(exclude={"window", "rank"})
    start, end, phrase = window_bounds(params.window)
    if filters["created_in_window"] and start is None:
        filters["created_in_window"] = None
    roles = privileged_template_ids() if params.privileged else None
    rank = params.rank
    limit = rank.shown(LIST_LIMIT, LIST_LIMIT) if rank else LIST_LIMIT
    total, rows = matching_users(
        store,
        {**filters, "privileged_roles": roles},
        start,
        end,
        limit,
        order=rank.order if rank else "name",
    )
    everyone = count_users(store)
    alone = _each_alone(store, filters, roles, start, end)
    result = SkillResult(skill=NAME)
    users = []
    for row in rows:
        result.add_evidence(user_record(row, "department", "createdDateTime"))
        users.append(UserLine(**row))
    if (filters["created_in_window"] or rank) and users:
        _link_creators(store, users, result)
    active = {k: iso(v) for k, v in filters.items() if v is not None}
    if params.cities:
        active["cities"] = " or ".join(params.cities)
    if params.reports_to:
        manager = user_by_id(store, params.reports_to)
        if manager is not None:
            result.add_evidence(user_record(manager))
            active["reports_to"] = manager.get("displayName") or params.reports_to
    if active.pop("department_excluded", None) and params.department:
        active["department"] = f"not {params.department}"
    if params.break_glass is not None:
        del active["break_glass"]
        active["break-glass accounts"] = "only" if params.break_glass else "left out"
    if params.licence_skus:
        names = [licence_name(sku) or sku for sku in params.licence_skus]
        active["licence"] = " or ".join(names)
        del active["licence_skus"]
    result.facts = ListUsersFacts(
        filters=active,
        window=phrase if filters["created_in_window"] else "",
        window_not_applied=(
            "" if filters["created_in_window"] or filters["inactive_days"] else (phrase or "")
        ),
        total=total,
        tenant_total=everyone,
        users=users,
        limit=limit,
        rank=rank.words("created") if rank else "",
        alone=alone,
    )
    if total and filters["account_enabled"] is False and filters["has_licences"]:
        result.followups.append("Which licences do these disabled accounts hold?")
    result.followups.append("Which groups have guests as members?")
    return result


_SHOWN_AS = {"break_glass": "break-glass accounts", "licence_skus": "licence"}
"""The name a condition is shown under, where it is not its input field's."""
_SAID_WITH = {"department": ("department_excluded",), "created_in_window": ()}
"""Fields that qualify a condition rather than make one of their own."""


def _each_alone(
    store: Store, filters: dict[str, Any], roles: Any, start: Any, end: Any
) -> dict[str, int]:
    """How many users each condition matches on its own, when there are two or more."""
    qualifiers = {q for extra in _SAID_WITH.values() for q in extra}
    applied = [k for k, v in filters.items() if v is not None and k not in qualifiers]
    if len(applied) < MIN_CONDITIONS_TO_SPLIT:
        return {}
    counts: dict[str, int] = {}
    for key in applied:
        kept = {key, *_SAID_WITH.get(key, ())}
        single = {k: (v if k in kept else None) for k, v in filters.items()}
        if key == "created_in_window" and filters.get("created_in_window"):
            single["created_in_window"] = True
        single["privileged_roles"] = roles
        counts[_SHOWN_AS.get(key, key)] = count_matching_users(store, single, start, end)
    return counts


MIN_CONDITIONS_TO_SPLIT = 2


_CREATIONS = ("add user", "invite external user", "create user")
"""Audit activities that create an account (Entra's documented names, compared lower-case)."""


def _link_creators(store: Store, users: list[UserLine], result: SkillResult) -> None:
    """Each listed account's creation event in the audit log: who created it, cited."""
    events, _ = events_about(store, [u.id for u in users], relations=("target",))
    created: dict[str, AuditEvent] = {}
    for event in events:  # newest first: the earliest creation of each account wins
        if event.activity.lower() in _CREATIONS:
            for target in event.targets:
                if target.id:
                    created[target.id.lower()] = event
    for user in users:
        event = created.get(user.id.lower())
        if event is not None:
            result.add_evidence(audit_record(event))
            user.created_by = event.actor_upn or event.actor_name or "an unknown actor"
            user.created_event = event.id


def register(registry: SkillRegistry) -> None:
    """Register `list_users`."""
    registry.add(
        define_skill(
            list_users,
            name=NAME,
            facts=ListUsersFacts,
            reads=(Collection.users,),
            keywords={
                "list users": 3.0,
                "which accounts": 3.0,
                "accounts are disabled": 3.0,
                "list all users": 3.0,
                "which users": 3.0,
                "how many users": 3.5,
                "how many guests": 4.0,
                "how many accounts": 3.5,
                "guests": 2.5,
                "guest users": 3.0,
                "guest accounts": 3.0,
                "disabled accounts": 3.0,
                "disabled users": 3.0,
                "never signed in": 3.5,
                "never logged in": 3.5,
                "inactive users": 3.5,
                "stale accounts": 3.5,
                "stale users": 3.5,
                "dormant": 2.5,
                "unlicensed": 3.0,
                "still hold licences": 3.0,
                "still have licenses": 3.0,
                "users created": 3.0,
                "accounts created": 3.0,
                "users who": 2.5,
                "accounts that": 2.0,
                "show me users": 3.0,
                "count of users": 3.0,
                "in the department": 1.5,
            },
        )
    )
