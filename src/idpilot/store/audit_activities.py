"""Audit activity names: which ones a phrase of a prompt names ("password resets"), and which kind
of change to a user account one records (password, account state, MFA method, group or role)."""

from __future__ import annotations

import re
from enum import StrEnum

from idpilot.store.database import Store

MEMBERSHIP_ACTIVITY = re.compile(r"\b(?:member|owner)s?\b.*\b(?:to|from)\b.*\b(role|group)\b", re.I)
"""An audit activity that changes a role's or group's members or owners (its group 1: which).
An RE2 expression too: the log reader matches it where the logs are (DuckDB or Kusto)."""
_WORD = re.compile(r"[a-z]+")
# Words of an activity name that do not tell one kind of change from another.
_GENERIC = frozenset({"user", "users", "to", "from", "a", "an", "the", "of", "for", "by", "in"})
MIN_STEM = 3
_ARTICLES = frozenset({"to", "from", "a", "an", "the", "of", "for", "by", "in"})
_VERBS = frozenset(
    {"add", "update", "delete", "remove", "disable", "enable", "reset", "restore", "create",
     "change", "set", "register", "revoke", "assign", "consent", "invite"}
)  # fmt: skip
"""The actions activity names open with."""
_ACCOUNT_WORDS = frozenset({"account", "accounts", "employee", "employees", "person", "people"})


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= MIN_STEM}


def _same_word(one: str, other: str) -> bool:
    """ "added" ~ "add", "passwords" ~ "password", "deleted" ~ "delete": a shared stem."""
    shorter, longer = sorted((one, other), key=len)
    stem = shorter[:-1] if shorter.endswith("e") and len(shorter) > MIN_STEM else shorter
    return longer.startswith(stem)


def activities_named(store: Store, text: str) -> list[str]:
    """The recorded activity names whose every telling word appears in the text."""
    said = _words(text)
    if said & _ACCOUNT_WORDS:
        said.add("user")  # "who updated her account?" says what "Update user" says
    names = [row[0] for row in store.con.execute(
        "SELECT DISTINCT activityDisplayName FROM directoryAudits "
        "WHERE activityDisplayName IS NOT NULL ORDER BY 1"
    ).fetchall()]  # fmt: skip
    kinds = changes_named(text)
    found = []
    for name in names:
        telling = _words(name) - _GENERIC
        if telling <= _VERBS:
            # "Add user": the verb alone names it no more than any other addition; its object
            # must be said too ("who added users?", not "add a new secret").
            telling = _words(name) - _ARTICLES
        if telling and all(any(_same_word(w, s) for s in said) for w in telling):
            found.append(name)
        elif kinds and user_change(name) in kinds:
            found.append(name)  # "who disabled ..." names "Disable account"
    return found


# How admins name a kind of account change; an activity of that kind is then meant whatever
# its exact name ("who reset passwords" means "Reset password (by admin)" as well).
_KIND_PHRASES: tuple[tuple[UserChange, tuple[re.Pattern[str], ...]], ...] = ()


def changes_named(text: str) -> set[UserChange]:
    """The kinds of account change a phrase names ("who disabled", "password resets")."""
    return {kind for kind, patterns in _KIND_PHRASES if all(p.search(text) for p in patterns)}


class UserChange(StrEnum):
    """The kinds of change to a user account that explain what happens at sign-in."""

    password = "password"  # reset, change or forced change of the password
    unlock = "unlock"  # a locked account unlocked (self-service or admin)
    disabled = "disabled"
    enabled = "enabled"
    deleted = "deleted"
    restored = "restored"
    security_info = "securityInfo"  # an authentication (MFA) method added, changed or removed
    sessions_revoked = "sessionsRevoked"
    group = "group"  # added to or removed from a group (member or owner)
    role = "role"  # added to or removed from a directory role (active or eligible)


# Entra's documented activity names, matched by their telling words so variants across services
# ("Reset password (by admin)", "Reset user password", "User Password Reset", "Change user
# password", "Set force change user password") are one kind. Application passwords are not a
# user's password.
_PASSWORD = re.compile(r"\bpassword\b", re.I)
_PASSWORD_ACTION = re.compile(r"\b(reset|change|set force)\b", re.I)
_NOT_USER_PASSWORD = re.compile(r"application password|password (registration|policy|writeback)|"
                                r"password rollover|passwordless", re.I)  # fmt: skip
_SECURITY_INFO = re.compile(
    r"security info|strong authentication|fido2|windows hello|passwordless phone|"
    r"authentication method|temporary access pass|phone app detail|platform credential",
    re.I,
)
_MEMBERSHIP = re.compile(r"\b(member|owner)s?\b.*\b(to|from)\b.*\b(role|group)\b", re.I)
_ACCOUNT_ENABLED = "AccountEnabled"


def user_change(activity: str, account_enabled: str | None = None) -> UserChange | None:
    """The kind of user change an audit activity records, or None for any other activity.

    `account_enabled` is the decoded new value of an `AccountEnabled` modified property when the
    event has one ("Update user" can disable an account without saying so in its name)."""
    name = " ".join(activity.split())
    low = name.lower()
    if low.startswith("disable account"):
        return UserChange.disabled
    if low.startswith("enable account"):
        return UserChange.enabled
    if low.startswith("unlock user account") or low.startswith("unlock account"):
        return UserChange.unlock
    if low in ("delete user", "hard delete user"):
        return UserChange.deleted
    if low == "restore user":
        return UserChange.restored
    if "stsrefreshtokenvalidfrom" in low.replace(" ", "") or ("revoke" in low and "session" in low):
        return UserChange.sessions_revoked
    if _SECURITY_INFO.search(name):
        return UserChange.security_info
    if _PASSWORD.search(name) and _PASSWORD_ACTION.search(name):
        return None if _NOT_USER_PASSWORD.search(name) else UserChange.password
    if m := _MEMBERSHIP.search(name):
        return UserChange.role if m.group(3).lower() == "role" else UserChange.group
    if account_enabled is not None and low.startswith("update user"):
        enabled = account_enabled.strip().lower()
        if enabled in ("false", "true"):
            return UserChange.enabled if enabled == "true" else UserChange.disabled
    return None


def account_enabled_value(changes: list[tuple[str, str | None]]) -> str | None:
    """The new AccountEnabled value among (property name, new value) pairs, if it changed."""
    for name, new in changes:
        if name == _ACCOUNT_ENABLED:
            return new
    return None


_KIND_PHRASES = (
    (
        UserChange.disabled,
        (
            re.compile(
                r"\b(disabl|deactivat|suspend)\w*|\b(?:switch|turn|shut)(?:ed|s|ing)?\s+"
                r"(?:off\s+(?:[\w-]+\s+){0,2}?(?:[\w-]+['’]s\s+)?(?:\w+\s+)?accounts?\b|"
                r"(?:[\w-]+\s+){0,2}?(?:[\w-]+['’]s\s+)?(?:\w+\s+)?accounts?\s+off\b)",
                re.I,
            ),
        ),
    ),
    (UserChange.enabled, (re.compile(r"\b(re-?enabl|enabl|reactivat)\w*", re.I),)),
    (
        UserChange.password,
        (re.compile(r"\bpasswords?\b", re.I), re.compile(r"\b(reset|chang)\w*", re.I)),
    ),
    (UserChange.unlock, (re.compile(r"\bunlock\w*", re.I),)),
    (
        UserChange.security_info,
        (
            re.compile(
                r"security info|\b(mfa|authentication|auth) methods?\b|\b(?:set\s*up|setup|"
                r"registered|enrol(?:l?ed)?|added)\s+(?:(?:their|his|her|a|new)\s+)?(?:mfa|2fa|"
                r"authenticator|passkeys?|fido2?(?:\s+keys?)?)\b",
                re.I,
            ),
        ),
    ),
    (UserChange.sessions_revoked, (re.compile(r"\brevok\w*.*\bsessions?\b", re.I),)),
    (
        UserChange.role,
        (
            re.compile(
                r"\brole\s+(?:assignments?|memberships?)\b|\bassignments?\s+to\s+\w*\s*roles?\b"
                r"|\b(?:given|granted|gave|grant|got|get|gets|received|assigned|added\s+to)\s+"
                r"(?:an?\s+|the\s+|any\s+)?(?:new\s+)?(?:(?:admin|administrator|privileged|"
                r"directory|entra)\s+)?roles?\b",
                re.I,
            ),
        ),
    ),
)
