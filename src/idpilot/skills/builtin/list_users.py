"""Skill `list_users`: users matching typed filters, with an exact count and a capped list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from idpilot.model.windows import TimeWindow
from idpilot.skills.base import SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import LIST_LIMIT, iso, user_record, window_bounds
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.directory import PHONE_METHODS

NAME = "list_users"
NEVER = "0001-01-01"
"""Graph writes 0001-01-01T00:00:00Z in signInActivity for 'never'."""

# The newest sign-in the snapshot knows of: directory signInActivity or a recorded signIn.
_LAST_SIGN_IN = """
greatest(
    CASE WHEN u.signInActivity ->> '$.lastSignInDateTime' > '0001-12-31'
         THEN TRY_CAST(u.signInActivity ->> '$.lastSignInDateTime' AS TIMESTAMPTZ) END,
    CASE WHEN u.signInActivity ->> '$.lastNonInteractiveSignInDateTime' > '0001-12-31'
         THEN TRY_CAST(u.signInActivity ->> '$.lastNonInteractiveSignInDateTime' AS TIMESTAMPTZ)
    END,
    (SELECT max(s.createdDateTime) FROM signIns s WHERE s.userId = u.id)
)
"""


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
    synced: bool | None = slot(Slot.stated, "Synchronised from on-premises AD.", default=None)
    mfa_registered: bool | None = slot(
        Slot.stated,
        "Registered for MFA (true) or not (false), per the registration report.",
        default=None,
    )
    sms_only: bool | None = slot(
        Slot.stated, "Registered MFA methods are only SMS or voice calls.", default=None
    )


def list_users(store: Store, params: ListUsersInput) -> SkillResult:
    """List users by type, state, licences, sign-in activity, creation date or department."""
    filters = params.model_dump(exclude={"window"})
    start, end, phrase = window_bounds(params.window)
    if filters["created_in_window"] and start is None:
        filters["created_in_window"] = None
    clauses, bound = _where(filters, start, end, store)
    where = " AND ".join(clauses) or "TRUE"
    total = store.scalar(f"SELECT count(*) FROM users u WHERE {where}", bound)
    everyone = store.scalar("SELECT count(*) FROM users")
    rows = store.query(
        f"SELECT u.id, u.displayName, u.userPrincipalName, u.userType, u.accountEnabled, "
        f"u.department, u.createdDateTime, "
        f"coalesce(json_array_length(u.assignedLicenses), 0) AS licences, "
        f"{_LAST_SIGN_IN} AS lastSignIn "
        f"FROM users u WHERE {where} ORDER BY u.displayName, u.id LIMIT {LIST_LIMIT}",
        bound,
    )
    result = SkillResult(skill=NAME)
    users = []
    for row in rows:
        result.add_evidence(user_record(row, "department", "createdDateTime"))
        users.append({**row, "lastSignIn": row["lastSignIn"]})
    active = {k: iso(v) for k, v in filters.items() if v is not None}
    result.facts = {
        "filters": active,
        "window": phrase if filters["created_in_window"] else "",
        "total": total,
        "tenant_total": everyone,
        "users": users,
        "limit": LIST_LIMIT,
    }
    if total and filters["account_enabled"] is False and filters["has_licences"]:
        result.followups.append("Which licences do these disabled accounts hold?")
    result.followups.append("Which groups have guests as members?")
    return result


def _where(
    filters: dict[str, Any], start: Any, end: Any, store: Store
) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    bound: list[Any] = []
    if filters["user_type"]:
        # Without userType (a $select that left it out), an #EXT# sign-in name marks a B2B guest.
        clauses.append(
            "lower(coalesce(u.userType, CASE WHEN contains(CAST(u.raw AS VARCHAR), '#EXT#') "
            "THEN 'Guest' ELSE 'Member' END)) = lower(?)"
        )
        bound.append(filters["user_type"])
    if filters["account_enabled"] is not None:
        clauses.append("u.accountEnabled = ?")
        bound.append(filters["account_enabled"])
    if filters["has_licences"] is not None:
        clauses.append(
            ("" if filters["has_licences"] else "NOT ")
            + "coalesce(json_array_length(u.assignedLicenses), 0) > 0"
        )
    if filters["never_signed_in"]:
        clauses.append(f"({_LAST_SIGN_IN}) IS NULL")
    elif filters["inactive_days"]:
        cutoff = store.captured_at() - timedelta(days=int(filters["inactive_days"]))
        clauses.append(f"coalesce(({_LAST_SIGN_IN}) < ?, TRUE)")
        bound.append(cutoff)
    if filters["created_in_window"]:
        clauses.append("u.createdDateTime >= ? AND u.createdDateTime < ?")
        bound += [start, end]
    if filters["department"]:
        clauses.append("lower(u.department) = lower(?)")
        bound.append(filters["department"])
    if filters["synced"] is not None:
        clauses.append("coalesce(u.onPremisesSyncEnabled, FALSE) = ?")
        bound.append(filters["synced"])
    if filters["mfa_registered"] is not None:
        # A user absent from the registration report has registered nothing.
        clauses.append(
            "coalesce((SELECT r.isMfaRegistered FROM userRegistrationDetails r "
            "WHERE r.id = u.id), FALSE) = ?"
        )
        bound.append(filters["mfa_registered"])
    if filters["sms_only"]:
        # At least one phone method (SMS or voice), and no other MFA method (email is for
        # password reset only, so it does not count either way).
        clauses.append(
            "EXISTS (SELECT 1 FROM userRegistrationDetails r WHERE r.id = u.id "
            "AND list_has_any(CAST(r.methodsRegistered AS VARCHAR[]), ?) "
            "AND len(list_filter(CAST(r.methodsRegistered AS VARCHAR[]), "
            "m -> NOT list_contains(?, m))) = 0)"
        )
        bound += [list(PHONE_METHODS), [*PHONE_METHODS, "email"]]
    return clauses, bound


def register(registry: SkillRegistry) -> None:
    """Register `list_users`."""
    registry.add(
        define_skill(
            list_users,
            name=NAME,
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
