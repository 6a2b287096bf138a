"""Which audit activities ("Reset user password", "Delete user") a phrase of a prompt names."""

from __future__ import annotations

import re

from idpilot.store.database import Store

_WORD = re.compile(r"[a-z]+")
# Words of an activity name that do not tell one kind of change from another.
_GENERIC = frozenset({"user", "users", "to", "from", "a", "an", "the", "of", "for", "by", "in"})
MIN_STEM = 3


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
    names = [row[0] for row in store.con.execute(
        "SELECT DISTINCT activityDisplayName FROM directoryAudits "
        "WHERE activityDisplayName IS NOT NULL ORDER BY 1"
    ).fetchall()]  # fmt: skip
    found = []
    for name in names:
        telling = _words(name) - _GENERIC
        if telling and all(any(_same_word(w, s) for s in said) for w in telling):
            found.append(name)
    return found
