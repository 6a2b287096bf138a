"""Reading list filters ("disabled guests with licences created this month") from a prompt."""

from __future__ import annotations

import re
from typing import Any

DEFAULT_INACTIVE_DAYS = 90
"""'Stale' / 'inactive' without a number: Microsoft's access-review guidance uses 90 days."""

_INACTIVE_DAYS = re.compile(
    r"\b(?:no sign-?ins?|not signed in|haven'?t signed in|hasn'?t signed in|inactive|"
    r"no logins?|not logged in|haven'?t logged in)\b[^0-9]{0,30}?(\d+)\s*(day|week|month)s?\b"
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}


def _has(text: str, *phrases: str) -> bool:
    return any(re.search(rf"\b{p}\b", text) for p in phrases)


def user_filters(prompt: str, departments: list[str]) -> dict[str, Any]:
    """Typed list_users filters found in free text (only the ones the text states)."""
    text = " ".join(prompt.lower().split())
    found: dict[str, Any] = {}
    if _has(text, "guests?", "external users?", "b2b"):
        found["user_type"] = "Guest"
    elif _has(text, "member accounts?", "internal users?", "employees"):
        found["user_type"] = "Member"
    if _has(text, "disabled", "blocked from sign-?in", "deactivated"):
        found["account_enabled"] = False
    elif _has(text, "enabled accounts?", "active accounts?"):
        found["account_enabled"] = True
    if _has(text, "unlicensed", "without (?:a |any )?licen[cs]es?", "no licen[cs]es?"):
        found["has_licences"] = False
    elif _has(text, "licen[cs]ed", "licen[cs]es?"):
        found["has_licences"] = True
    if _has(text, "never signed in", "never logged in", "never used", "never signed-in"):
        found["never_signed_in"] = True
    elif match := _INACTIVE_DAYS.search(text):
        found["inactive_days"] = int(match.group(1)) * _UNIT_DAYS[match.group(2)]
    elif _has(text, "stale", "inactive", "dormant"):
        found["inactive_days"] = DEFAULT_INACTIVE_DAYS
    if _has(text, "created", "new", "added", "joined", "invited"):
        found["created_in_window"] = True
    if _has(text, "synced", "synchronized", "synchronised", "on-?prem(?:ises)?"):
        found["synced"] = True
    elif _has(text, "cloud-only", "cloud only"):
        found["synced"] = False
    for department in sorted(departments, key=len, reverse=True):
        if department and re.search(rf"\b{re.escape(department.lower())}\b", text):
            found["department"] = department
            break
    return found


def group_filters(prompt: str) -> dict[str, Any]:
    """Typed list_groups filters found in free text."""
    text = " ".join(prompt.lower().split())
    found: dict[str, Any] = {}
    if _has(text, "role-?assignable", "role assignable", "can be assigned roles"):
        found["role_assignable"] = True
    if _has(text, "ownerless", "without (?:an |any )?owners?", "no owners?", "orphaned"):
        found["ownerless"] = True
    if _has(text, "empty", "without (?:any )?members", "no members"):
        found["empty"] = True
    if _has(text, "guests?", "external users?"):
        found["with_guests"] = True
    if _has(text, "dynamic"):
        found["dynamic"] = True
    elif _has(text, "assigned membership", "static"):
        found["dynamic"] = False
    if _has(text, "microsoft 365 groups?", "m365 groups?", "unified groups?"):
        found["unified"] = True
    return found
