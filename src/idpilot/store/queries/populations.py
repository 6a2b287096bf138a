"""The users a described population holds ("someone in Finance", "a contractor", "a guest from
Adatum", "a new starter"): each part of the description is a bound value, never pasted SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.store.database import Store

_COLUMNS = (
    "u.id, u.displayName, u.userPrincipalName, u.userType, u.accountEnabled, u.department, "
    "u.jobTitle, u.companyName, u.raw ->> '$.employeeType' AS employeeType, u.createdDateTime"
)
_DESCRIBED = (
    "regexp_matches(concat_ws(' | ', u.jobTitle, u.companyName, u.raw ->> '$.employeeType'), "
    "?, 'i')"
)
"""A word in the user's job title, company or employee type (the pattern is bound)."""


def population_users(
    store: Store,
    *,
    department: str | None = None,
    user_type: str | None = None,
    company: str | None = None,
    described_pattern: str | None = None,
    created_since: datetime | None = None,
    user_ids: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Every user who fits every part given (department, userType and company compared without
    case; `described_pattern` a regular expression over job title, company and employee type;
    `user_ids` the users a group or a role already gave), enabled or not, by display name."""
    clauses: list[str] = []
    bound: list[Any] = []
    if department is not None:
        clauses.append("lower(u.department) = lower(?)")
        bound.append(department)
    if user_type is not None:
        clauses.append("lower(coalesce(u.userType, 'Member')) = lower(?)")
        bound.append(user_type)
    if company is not None:
        clauses.append("lower(u.companyName) = lower(?)")
        bound.append(company)
    if described_pattern is not None:
        clauses.append(_DESCRIBED)
        bound.append(described_pattern)
    if created_since is not None:
        clauses.append("u.createdDateTime >= ?")
        bound.append(created_since)
    if user_ids is not None:
        clauses.append("u.id IN (SELECT unnest(?))")
        bound.append(user_ids)
    where = " AND ".join(clauses) or "TRUE"
    return store.query(
        f"SELECT {_COLUMNS} FROM users u WHERE {where} ORDER BY u.displayName, u.id", bound
    )


def employee_types(store: Store) -> list[str]:
    """The distinct employeeType values the tenant's users record."""
    rows = store.query(
        "SELECT DISTINCT raw ->> '$.employeeType' AS v FROM users "
        "WHERE raw ->> '$.employeeType' IS NOT NULL ORDER BY 1"
    )
    return [row["v"] for row in rows]
