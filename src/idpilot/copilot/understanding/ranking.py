"""The order and count a prompt asks of a list ("the last 3 accounts we created", "the very
first person Identity Protection flagged", "the 5 most recent resets").

A rank needs a count or a noun of the things ranked next to its word: "last week", "his last
sign-in", "first name" and "the first time" rank nothing. One thing asked for by a singular
noun ("the last person to reset") is a count of one; a plural without a count ("the first
people to register") is the list in that order.
"""

from __future__ import annotations

import re

from idpilot.model.ranking import RANK_LIMIT_MAX, Rank

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "couple": 2, "few": 3,
}  # fmt: skip
_N = r"(?P<n>\d{1,2}|" + "|".join(_NUMBERS) + r")"
_SINGULAR = (
    r"(?:person|user|account|guest|admin|employee|member|guy|identity|sign-?in|log-?in|logon|"
    r"attempt|event|change|entry|record|reset|failure|detection|alert|app|application|group|"
    r"device|workflow|run|hire|joiner|starter|leaver|one)"
)
_PLURAL = (
    r"(?:people|persons|users|accounts|guests|admins|employees|members|guys|folks|identities|"
    r"sign-?ins|log-?ins|logons|attempts|events|changes|entries|records|resets|failures|"
    r"detections|alerts|apps|applications|groups|devices|workflows|runs|hires|joiners|"
    r"starters|leavers|ones)"
)
_NEWEST = r"(?:last|latest|newest|most\s+recent|most\s+recently\s+\w+)"
_OLDEST = r"(?:first|earliest|oldest)"
_ADJECTIVE = (
    r"(?:(?!(?:minutes?|hours?|days?|weeks?|months?|years?|of|in|on|at|for|from)\b)[a-z-]+\s+){0,2}"
)
"""Words between the count and the noun ("the last 3 new guest accounts")."""
_AFTER_SINGULAR = r"(?=\s+(?:to|who|that|which|we|they|identity|conditional|ca|mfa|entra|in|on)\b)"
"""A singular noun ranks when the clause that says what it did follows ("the last person
to ...", "the first user Identity Protection flagged"); "the last one" alone points back."""


_COUNTED = {
    "newest": (
        re.compile(rf"\b(?:the\s+)?(?:very\s+)?{_NEWEST}\s+{_N}\s+{_ADJECTIVE}{_PLURAL}\b"),
        re.compile(rf"\b{_N}\s+(?:most\s+recent|newest|latest)\s+{_ADJECTIVE}{_PLURAL}\b"),
    ),
    "oldest": (
        re.compile(rf"\b(?:the\s+)?(?:very\s+)?{_OLDEST}\s+{_N}\s+{_ADJECTIVE}{_PLURAL}\b"),
        re.compile(rf"\b{_N}\s+(?:earliest|oldest)\s+{_ADJECTIVE}{_PLURAL}\b"),
    ),
}
_ONE = {
    "newest": re.compile(
        rf"\bthe\s+(?:very\s+)?{_NEWEST}\s+{_SINGULAR}{_AFTER_SINGULAR}"
        r"|\bthe\s+(?:very\s+)?(?:last|latest)\s+to\s+[a-z]"
        r"|\b(?:who|which(?:\s+\w+){0,2})\s+(?:was|got|has\s+been|were)\s+(?:\w+\s+){1,3}?most\s+"
        r"recently\b"
    ),
    "oldest": re.compile(
        rf"\bthe\s+(?:very\s+)?{_OLDEST}\s+{_SINGULAR}{_AFTER_SINGULAR}"
        r"|\bthe\s+(?:very\s+)?first\s+(?:one\s+)?to\s+[a-z]"
    ),
}
_ORDERED = {
    "newest": re.compile(rf"\bthe\s+(?:very\s+)?{_NEWEST}\s+{_PLURAL}{_AFTER_SINGULAR}"),
    "oldest": re.compile(rf"\bthe\s+(?:very\s+)?{_OLDEST}\s+{_PLURAL}{_AFTER_SINGULAR}"),
}


def _count(word: str) -> int:
    value = int(word) if word.isdigit() else _NUMBERS[word]
    return max(1, min(value, RANK_LIMIT_MAX))


def read_rank(prompt: str) -> Rank | None:
    """The order (and count) the prompt asks of a list, or None when it asks none."""
    text = " ".join(prompt.lower().replace("’", "'").split())
    found: list[tuple[int, Rank]] = []
    for order in ("newest", "oldest"):
        for counted in _COUNTED[order]:
            if match := counted.search(text):
                found.append((match.start(), Rank(order=order, limit=_count(match.group("n")))))
        if match := _ONE[order].search(text):
            found.append((match.start(), Rank(order=order, limit=1)))
        if match := _ORDERED[order].search(text):
            found.append((match.start(), Rank(order=order)))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


_MORE_THAN = r"(?P<cmp>more\s+than|over|above|greater\s+than|at\s+least|a\s+minimum\s+of)"
_FAILURE_WORDS = r"(?:failed|failures?|failing|fails|wrong|bad|unsuccessful|lockouts?)"
_FAILURES_OVER = (
    re.compile(rf"\b{_MORE_THAN}\s+{_N}\s+(?:[a-z-]+\s+){{0,2}}?{_FAILURE_WORDS}\b", re.I),
    re.compile(
        rf"\b{_FAILURE_WORDS}\b[^.?!]{{0,60}}?\b{_MORE_THAN}\s+{_N}\s+(?:times|attempts|tries)\b",
        re.I,
    ),
)
_AT_LEAST = ("at least", "a minimum of")


def min_failures(prompt: str) -> int | None:
    """The number of failed sign-ins a question sets as a condition ("more than 5 failures" is
    6, "at least 3 failed sign-ins" 3, "typed a wrong password more than 5 times" 6), or
    None."""
    text = " ".join(prompt.lower().split())
    for pattern in _FAILURES_OVER:
        if match := pattern.search(text):
            count = _count(match.group("n"))
            at_least = " ".join(match.group("cmp").split()) in _AT_LEAST
            return count if at_least else count + 1
    return None
