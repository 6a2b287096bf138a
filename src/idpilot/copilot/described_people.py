"""People named by what they are rather than by name: "our Head of IT", "the new accountant in
Kraków who started this week", "the new starter in Valencia", "the Iberwind consultant", "the
head of procurement in München" (`described_heads`: whom the manager chain puts above the
department's people).

A description is read only when the prompt names no person and speaks of one person ("the",
"our", "my", "that" before it; the title not in the plural). Its parts are the tenant's own
values: a job title the tenant's users hold, a city they are based in, the company of an
outside account (not the tenant's own, the one most users have), and "new" (created in the
window the prompt states when it says when they started, else the last `NEW_DAYS` days). The
people who fit every part are the matches: one is named as surely as by name, several make the
question ask which.

A person may also be described by an app role they hold ("the person who approves payments in
the finance portal", "our payment approver"): `described_by_app_role` reads that when nothing
else describes them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from idpilot.copilot.described_by_app_role import people_by_app_role
from idpilot.copilot.described_heads import department_head
from idpilot.copilot.time_phrases import parse_time_window
from idpilot.knowledge.countries import fold
from idpilot.store import Store
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.queries.users import describing_values, users_described
from idpilot.store.version_memo import per_snapshot

NEW_DAYS = 30
"""A "new" person without a stated window: created in the snapshot's last this many days."""
MAX_DESCRIBED = 5
"""More people than this fit: the description does not pick anyone out (a list question)."""
_SINGULAR = r"\b(?:the|our|my|that|this)\s+(?:(?:new|newest|latest|recently\s+hired)\s+)?"
_NEW = re.compile(
    r"\b(?:new|newest|latest|recently\s+(?:hired|joined|added|created))\b"
    r"|\b(?:started|joined)\s+(?:this|last|on|in|yesterday|today)\b",
    re.I,
)
_COULD_NOT = re.compile(
    r"\b(?:couldn[’']?t|could\s+not|can[’']?t|cannot|can\s+not|wasn[’']?t\s+able|unable|"
    r"failed|fails|failing|locked\s+out|blocked|wouldn[’']?t\s+let)\b",
    re.I,
)
"""The person is described by a failed sign-in ("who couldn't get into the portal")."""
_STARTED = re.compile(r"\b(?:started|joined|hired|onboarded|created|added)\b", re.I)
"""Words that make the prompt's time the person's start."""
_PERSON_NOUNS = (
    r"(?:starter|hire|joiner|employee|colleague|guy|girl|man|woman|lady|person|user|"
    r"consultant|contractor|intern|guest|engineer|technician)"
)


@dataclass(frozen=True)
class _Values:
    """Each kind of value as (folded lower case, as stored) pairs, longest first."""

    titles: tuple[tuple[str, str], ...]
    cities: tuple[tuple[str, str], ...]
    companies: tuple[tuple[str, str], ...]


def described_people(
    store: Store,
    prompt: str,
    anchor: datetime,
    apps: Collection[str] = (),
    *,
    by_app_role: bool = True,
) -> list[EntityMatch]:
    """The people a description in `prompt` fits (none when it describes no one person): by
    what the directory says of them, else (with `by_app_role`) by an app role they hold,
    within `apps` (the service principals the prompt names) when it names any."""
    found = _by_profile(store, prompt, anchor, apps)
    if found or not by_app_role:
        return found
    return people_by_app_role(store, prompt, apps)


def _by_profile(
    store: Store, prompt: str, anchor: datetime, apps: Collection[str] = ()
) -> list[EntityMatch]:
    """The people a job title, city, outside company or "new" in `prompt` fits, and, when it
    says they could not get into one of `apps`, who failed to sign in to it ("the guy in
    Kraków who couldn't get into the Azure portal")."""
    values = _values(store)
    folded = fold(prompt)
    title = _said_singular(folded, values.titles)
    company = _said(
        folded,
        values.companies,
        lead=r"\b",
        tail=r"(?:\s+[\w-]+)?\s+" + _PERSON_NOUNS + r"\b",
    ) or _said(folded, values.companies, lead=_PERSON_NOUNS + r"\s+(?:from|at|of)\s+")
    city = _said(folded, values.cities, lead=r"\b(?:in|from|at|based\s+in)\s+(?:the\s+)?")
    if title is None and (head := department_head(store, prompt, city[1] if city else None)):
        return head
    new = bool(_NEW.search(prompt))
    described_noun = re.search(_SINGULAR + _PERSON_NOUNS + r"\b", folded)
    if not (title or company or (described_noun and (new or city))):
        return []
    said = {
        column: value[1]
        for column, value in (("jobTitle", title), ("companyName", company), ("city", city))
        if value is not None
    }
    since = None
    if new:
        # "who started this week" dates the start; "since Monday" in "the new guy: any failed
        # sign-ins since Monday?" dates the sign-ins, not when he was created.
        window = parse_time_window(prompt, anchor) if _STARTED.search(prompt) else None
        since = window.start if window else anchor - timedelta(days=NEW_DAYS)
    failed_at = list(apps) if apps and _COULD_NOT.search(prompt) else []
    rows = users_described(store, said, since, MAX_DESCRIBED + 1, failed_at)
    if not rows or len(rows) > MAX_DESCRIBED:
        return []
    if title:
        phrase = title[0]
    elif company:
        phrase = company[0].split()[0]
    else:
        assert described_noun is not None
        phrase = described_noun.group(0)
    quality = MatchQuality.alias if len(rows) == 1 else MatchQuality.first_name
    return [
        EntityMatch(
            kind="user",
            id=row["id"],
            label=row["displayName"],
            detail=row["upn"],
            phrase=phrase,
            quality=quality,
        )
        for row in rows
    ]


def _said_singular(folded: str, titles: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
    """The longest job title said after "the/our/my" and not in the plural."""
    for title in titles:
        words = r"\s+".join(map(re.escape, title[0].split()))
        if re.search(_SINGULAR + r"(?:[\w-]+\s+){0,2}?" + words + r"(?!s\b)(?!\w)", folded):
            return title
    return None


MIN_NAME_WORD = 4
"""A company's or city's first word shorter than this is too often a word of its own."""


def _said(
    folded: str, names: tuple[tuple[str, str], ...], lead: str, tail: str = ""
) -> tuple[str, str] | None:
    """The longest of `names` said between `lead` and `tail`, by its first word at least ("the
    Iberwind consultant" names Iberwind Consulting)."""
    for name in names:
        first, *rest = name[0].split()
        if len(first) < MIN_NAME_WORD:
            continue
        words = re.escape(first) + r"\b" + "".join(rf"(?:\s+{re.escape(w)}\b)?" for w in rest)
        if re.search(lead + words + tail, folded):
            return name
    return None


def _values(store: Store) -> _Values:
    """The tenant's job titles, cities and outside companies, longest first, folded to lower
    case (read once per store version or snapshot)."""

    def read() -> _Values:
        rows = describing_values(store)

        def of(kind: str) -> tuple[tuple[str, str], ...]:
            names = {(fold(r["v"]), r["v"]) for r in rows if r["k"] == kind and r["v"].strip()}
            return tuple(sorted(names, key=lambda n: (-len(n[0]), n)))

        return _Values(of("title"), of("city"), of("company"))

    return per_snapshot(store, "described people", read)
