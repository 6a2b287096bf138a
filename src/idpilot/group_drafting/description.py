"""An admin's description of a group, read into typed parts: who belongs (as dynamic rule
clauses), the group's kind, role-assignability, expiry and guest wishes.

Pure: the words and the tenant's departments, cities and countries in; a `GroupDescription`
out, with what the words asked that a group definition cannot express.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, Field


class GroupKind(StrEnum):
    """Security group, or Microsoft 365 group (mailbox, Teams, SharePoint)."""

    security = "security"
    microsoft_365 = "microsoft365"


class RuleClause(BaseModel):
    """One clause of the membership rule, and the words it came from."""

    property: str
    """A dynamic rule property (`user.department`)."""
    value: str
    words: str


_EMPLOYEE_TYPES = (
    (r"\bcontractors?\b|\bconsultants?\b|\bfreelancers?\b", "Contractor"),
    (r"\binterns?\b|\btrainees?\b", "Intern"),
    (r"\bemployees?\b|\bstaff\b|\bfull[- ]time\b", "Employee"),
)  # fmt: skip
_M365_WORDS = r"\b(?:teams?|mailbox|shared inbox|sharepoint|collaborat\w*|channel|microsoft 365)\b"


class GroupDescription(BaseModel):
    """The typed reading of a described group."""

    text: str
    kind: GroupKind = GroupKind.security
    clauses: list[RuleClause] = Field(default_factory=list)
    guests_only: bool = False
    role_assignable: bool = False
    expiring: bool = False
    """The words ask for the group or its members to expire (said how it can be done)."""
    not_expressed: list[str] = Field(default_factory=list)


def read_group_description(
    text: str,
    departments: Sequence[str] = (),
    cities: Sequence[str] = (),
    countries: Sequence[str] = (),
) -> GroupDescription:
    """Read a described group; the tenant's departments, cities and countries find its scope."""
    words = " ".join(text.split())
    lower = words.lower()
    found = GroupDescription(text=words)
    if re.search(_M365_WORDS, lower):
        found.kind = GroupKind.microsoft_365
    for prop, known in (
        ("user.department", departments),
        ("user.city", cities),
        ("user.country", countries),
    ):
        for value in sorted(known, key=len, reverse=True):
            if value and re.search(rf"\b{re.escape(value.lower())}\b", lower):
                found.clauses.append(RuleClause(property=prop, value=value, words=value))
                break
    said = {c.value.lower() for c in found.clauses}
    for match in re.finditer(r"\b(?:in|from|at|based in)\s+([A-Z][\w-]+(?:\s[A-Z][\w-]+)*)", words):
        place = match.group(1)
        if place.lower() not in said:
            # A place the tenant's users never record: kept (the admin asked), said, and the
            # evaluation shows whom it matches (nobody yet).
            found.clauses.append(RuleClause(property="user.city", value=place, words=place))
            found.not_expressed.append(
                f"{place}: no user records it as a city, country or department; the rule "
                "uses city, so it matches nobody until the attribute is filled"
            )
    for pattern, value in _EMPLOYEE_TYPES:
        if match := re.search(pattern, lower):
            found.clauses.append(
                RuleClause(property="user.employeeType", value=value, words=match.group(0))
            )
            break
    if re.search(r"\bguests?\b|\bexternal users?\b", lower):
        found.guests_only = True
        found.clauses.append(RuleClause(property="user.userType", value="Guest", words="guests"))
    if re.search(r"\broles?\b|\badmins?\b|\bprivileged\b", lower):
        found.role_assignable = True
    if re.search(r"\bexpir\w*\b|\bend of (?:their|the) contract\b|\buntil\b", lower):
        found.expiring = True
    if not found.clauses:
        found.not_expressed.append(
            "who belongs: name a department, city, country, or contractors, interns or guests"
        )
    return found
