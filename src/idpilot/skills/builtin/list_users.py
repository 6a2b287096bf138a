"""Skill `list_users`: users matching typed filters, with an exact count and a capped list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel, Field

from idpilot.skills.base import SkillResult, Slot, WindowInput, define_skill, slot
from idpilot.skills.builtin._admin_common import LIST_LIMIT, iso, user_record, window_bounds
from idpilot.skills.builtin._list_filters import user_filters
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

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
    """Filters; any left empty are read from `query` (the prompt) when it states them."""

    query: str | None = slot(Slot.free_text, "The question, to read filters from.", default=None)
    window: WindowInput | None = slot(
        Slot.time_window, "Creation window for 'created ...' questions.", default=None
    )
    user_type: str | None = Field(None, description="Member or Guest.")
    account_enabled: bool | None = Field(None, description="Enabled (true) or disabled (false).")
    has_licences: bool | None = Field(None, description="Holds at least one licence.")
    never_signed_in: bool | None = Field(None, description="No sign-in recorded anywhere.")
    inactive_days: int | None = Field(None, description="No sign-in in this many days.")
    created_in_window: bool | None = Field(None, description="Created inside `window`.")
    department: str | None = Field(None, description="Department (exact, case-insensitive).")
    synced: bool | None = Field(None, description="Synchronised from on-premises AD.")


def list_users(store: Store, params: ListUsersInput) -> SkillResult:
    """List users by type, state, licences, sign-in activity, creation date or department."""
    departments = [
        r[0] for r in store.con.execute(
            "SELECT DISTINCT department FROM users WHERE department IS NOT NULL"
        ).fetchall()
    ]  # fmt: skip
    stated = user_filters(params.query or "", departments)
    filters = {
        name: getattr(params, name) if getattr(params, name) is not None else stated.get(name)
        for name in (
            "user_type", "account_enabled", "has_licences", "never_signed_in", "inactive_days",
            "created_in_window", "department", "synced",
        )
    }  # fmt: skip
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
