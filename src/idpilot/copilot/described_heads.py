"""A person named as the head of a department: "the head of procurement in München", "our
finance boss", "the manager of the Sales team".

No job title need say so: the head is whom the directory's manager chain puts above the
department's people. Of everyone above them, the head is the one above nearly all of them
(`HEAD_SHARE` of the members other than the head), nearest to them (least mean distance): a
department whose 23 buyers report to Jörg has Jörg as its head, not Jörg's own manager, who is
above all 24. A department without such a person (its people report to managers nothing joins)
has no head, and nobody is named.
"""

from __future__ import annotations

import re
from collections import defaultdict

from idpilot.knowledge.countries import fold
from idpilot.store import Store
from idpilot.store.directory import departments, user_by_id
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.queries.users import department_manager_chains, members_of_department
from idpilot.store.version_memo import per_snapshot

HEAD_SHARE = 0.8
"""The share of a department's other members a head must be above."""
MIN_MEMBERS = 2
"""A department of fewer people than this has no head to find."""
_HEAD_NOUNS = r"(?:head|boss|lead|leader|manager|director|chief)"
_OF_DEPARTMENT = (
    r"\b(?:the|our|my)\s+{head}\s+of\s+(?:the\s+|our\s+)?{name}"
    r"(?:\s+(?:team|department|dept|function))?\b"
)
_DEPARTMENT_HEAD = r"\b(?:the|our|my)\s+{name}\s+(?:team\s+|department\s+|dept\s+)?{head}\b(?!s)"


def department_head(store: Store, prompt: str, city: str | None = None) -> list[EntityMatch]:
    """The head of the department `prompt` names as "the head of X" or "the X boss" (of its
    people in `city` when given), as one sure match; none when it names no such person or the
    directory's manager chain shows no one head."""
    said = _said_department(store, fold(prompt))
    if said is None:
        return []
    department, phrase = said
    head = _head(store, department, city)
    if head is None:
        return []
    person = user_by_id(store, head)
    if person is None:
        return []
    return [
        EntityMatch(
            kind="user",
            id=head,
            label=person.get("displayName") or head,
            detail=person.get("userPrincipalName") or "",
            phrase=phrase,
            quality=MatchQuality.alias,
        )
    ]


def _said_department(store: Store, folded: str) -> tuple[str, str] | None:
    """The department said with a head noun, and the words that said it."""
    for department, patterns in _department_patterns(store):
        for pattern in patterns:
            if match := pattern.search(folded):
                return department, match.group(0)
    return None


def _department_patterns(store: Store) -> list[tuple[str, tuple[re.Pattern[str], ...]]]:
    """Each department, longest first, with the patterns that say its head; read and compiled
    once per store version (this runs on every prompt that names no person)."""

    def read() -> list[tuple[str, tuple[re.Pattern[str], ...]]]:
        found = []
        for department in sorted(departments(store), key=len, reverse=True):
            name = r"\s+".join(map(re.escape, fold(department).split()))
            found.append(
                (
                    department,
                    tuple(
                        re.compile(p.format(head=_HEAD_NOUNS, name=name))
                        for p in (_OF_DEPARTMENT, _DEPARTMENT_HEAD)
                    ),
                )
            )
        return found

    return per_snapshot(store, "department heads", read)


def _head(store: Store, department: str, city: str | None) -> str | None:
    """The one person above nearly all of the department's other members, nearest to them."""
    members = set(members_of_department(store, department, city))
    if len(members) < MIN_MEMBERS:
        return None
    below: dict[str, dict[str, int]] = defaultdict(dict)
    for row in department_manager_chains(store, department, city):
        member, ancestor = row["member"], row["ancestor"]
        if ancestor != member:
            below[ancestor][member] = min(row["depth"], below[ancestor].get(member, row["depth"]))
    candidates = []
    for ancestor, depths in below.items():
        others = len(members - {ancestor})
        if others and len(depths) >= HEAD_SHARE * others:
            candidates.append((sum(depths.values()) / len(depths), ancestor))
    if not candidates:
        return None
    candidates.sort()
    if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
        return None
    return candidates[0][1]
