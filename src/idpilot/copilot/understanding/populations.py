"""A kind of person a what-if asks about when it names no one: "someone in Finance", "a
contractor", "guests from Adatum", "an admin", "a new starter".

Each part is read only in the tenant's own words: a department its users record, a group
named after what the prompt calls the people (the Contractors group for "a contractor"; one
whose description says it, when no name does), else a word of its users' job titles, companies
or employee types; an outside company its users record; guests; admins (holders of a privileged
role); new starters (created in the last `NEW_DAYS` days). The parts found are the `population`
input of `ca_whatif` (every part must hold); a prompt with none of them gets no population.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from idpilot.copilot.described_people import NEW_DAYS
from idpilot.copilot.entities import FUNCTION_WORDS
from idpilot.knowledge.countries import fold
from idpilot.store import Store
from idpilot.store.directory import departments
from idpilot.store.queries.group_links import group_texts
from idpilot.store.queries.populations import employee_types
from idpilot.store.queries.users import describing_values
from idpilot.store.version_memo import per_snapshot

POPULATION = "population"
"""The stated value (and `ca_whatif` input) a population is read into."""
_PERSON = (
    r"(?:someone|somebody|anyone|anybody|everyone|everybody|a\s+user|a\s+person|"
    r"an?\s+(?:employee|colleague|member\s+of\s+staff|staff\s+member|team\s+member)|people|"
    r"users|employees|staff|colleagues|members?)"
)
"""Words for people that say nothing more about them ("someone", "users")."""
_KIND_NOUNS = (
    r"(?:users?|employees?|people|person|staff(?:\s+members?)?|(?:team|crew)\s+members?|"
    r"members?|crew)"
)
_DETERMINER = r"\b(?:an?|any|some|our|all(?:\s+(?:the|our))?|every)\s+"
_GUESTS = re.compile(
    _DETERMINER + r"(?:b2b\s+|external\s+)?guest(?:\s+(?:user|account)s?)?s?\b"
    r"|\b(?:guests|external\s+users|b2b\s+guests)\b"
)
_ADMINS = re.compile(
    r"(?:" + _DETERMINER + r"|\b)(?:(?:it|tenant)\s+)?(?:admins?|administrators?)\b"
    r"(?!\s+(?:portal|cent(?:er|re)|console|roles?|consent|page|site|tools?|api|rights|"
    r"permissions|access|account|accounts|units?))"
    r"|\bprivileged\s+(?:users?|accounts?|people|admins?)\b"
)
_NEW_STARTER = re.compile(
    r"\b(?:(?:an?|any|our|some)\s+)?(?:new|newly\s+hired|recently\s+hired)\s+(?:starter|hire|joiner|employee|colleague|"
    r"recruit|staff\s+member|member\s+of\s+staff)s?\b"
    r"|\bsomeone\s+who\s+(?:just\s+|has\s+just\s+)?(?:joined|started)\b"
)
_NOUN = re.compile(_DETERMINER + r"(?:new\s+)?(?P<noun>[a-z][a-z-]{3,})\b")
"""A word after "a", "any", "our" ... that may say what the people are ("a contractor")."""
_GENERIC = FUNCTION_WORDS | frozenset(
    {
        "user", "users", "person", "people", "employee", "employees", "staff", "member",
        "members", "colleague", "colleagues", "someone", "anyone", "team", "teams", "group",
        "groups", "all", "every", "everyone", "guest", "guests", "admin", "admins",
        "administrator", "administrators", "account", "accounts", "new", "starter", "starters",
        "hire", "sign-in", "device", "phone", "laptop", "app", "apps", "application", "policy",
    }
)  # fmt: skip
"""Words that say nothing about which people (or that other readings cover)."""
_NAME_FILLER = frozenset({"all", "users", "user", "team", "group", "staff", "members", "sg", "app"})
"""Words of a group's name that do not say who is in it ("SG-App-Jira-Users" is Jira)."""


@dataclass(frozen=True)
class _TenantWords:
    """The tenant's departments, groups (id, name words, description words) and the values its
    users' job titles, companies and employee types hold, folded to lower case."""

    departments: tuple[str, ...]
    groups: tuple[tuple[str, str, frozenset[str], frozenset[str]], ...]
    described: frozenset[str]
    companies: tuple[tuple[str, str], ...]


_WHAT_HAPPENS = re.compile(
    r"\bwhat\s+(?:happens|would\s+happen|will\s+happen)\s+(?:when|if)\b", re.I
)
"""A what-if said as "what happens when ..." (the planner's own cue needs "what happens if")."""


def asks_what_happens(prompt: str) -> bool:
    """Whether the prompt asks what happens when something is done (a what-if)."""
    return bool(_WHAT_HAPPENS.search(prompt))


def read_population(store: Store, prompt: str) -> dict[str, Any] | None:
    """The population the prompt describes (the `population` input of `ca_whatif`), or None."""
    words = _tenant_words(store)
    written = " ".join(prompt.split())
    text = fold(written)  # one character for one: a span of `text` is a span of `written`
    found: dict[str, Any] = {}
    spans: list[tuple[int, int]] = []
    if department := _department(words, written, text):
        found["department"] = department[0]
        spans.append(department[1].span())
    if company := _company(words, text):
        found["company"] = company[0]
        spans.append(company[1].span())
    # A guest of no company and not in the plural is a hypothetical guest (`someone`).
    if (match := _GUESTS.search(text)) and (company or match.group(0).rstrip().endswith("s")):
        found["user_type"] = "Guest"
        spans.append(match.span())
    for pattern, part, value in ((_ADMINS, "admins", True), (_NEW_STARTER, "new_days", NEW_DAYS)):
        if match := pattern.search(text):
            found[part] = value
            spans.append(match.span())
    if kind := _kind(words, text, found):
        found.update(kind[0])
        spans.append(kind[1].span())
    if not found:
        return None
    found["said"] = " / ".join(written[a:b].strip() for a, b in _merged(spans))
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, overlapping ones joined ("a guest" and "guest from Adatum": one)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _department(words: _TenantWords, prompt: str, text: str) -> tuple[str, re.Match[str]] | None:
    """A department of the tenant said of people: "someone in Finance", "a Sales user",
    "Finance staff", "one of the Offshore Operations crew" (a department written in capitals,
    "IT", only so)."""
    for department in sorted(words.departments, key=len, reverse=True):
        name = r"\s+".join(map(re.escape, department.split()))
        acronym = department.isupper()
        haystack, flags = (prompt, 0) if acronym else (text, re.I)
        patterns = (
            rf"\b{_PERSON}\s+(?:in|from|of|on)\s+(?:the\s+|our\s+)?{name}"
            r"(?:\s+(?:team|department|dept))?\b",
            rf"\b(?:an?|any|some|our|all)\s+{name}\s+{_KIND_NOUNS}\b",
            rf"\b{name}\s+(?:users|employees|staff|people|team\s+members|crew)\b",
            rf"\bone\s+of\s+(?:the\s+|our\s+)?{name}"
            r"(?:\s+(?:crew|team|staff|people|folks|department|dept|users|employees))?\b",
        )
        for pattern in patterns:
            if match := re.search(pattern, haystack, flags):
                return department, match
    return None


def _company(words: _TenantWords, text: str) -> tuple[str, re.Match[str]] | None:
    """An outside company said of people: "a guest from Adatum", "Adatum guests"."""
    for folded, company in words.companies:
        name = r"\s+".join(map(re.escape, folded.split()))
        if match := re.search(
            rf"\b(?:{_PERSON}|guests?|contractors?|consultants?|partners?|vendors?)\s+"
            rf"(?:from|at|of)\s+{name}\b"
            rf"|(?:\b(?:an?|any|some|our|all)\s+)?\b{name}\s+(?:guests?|contractors?|consultants?|"
            rf"{_KIND_NOUNS})\b",
            text,
        ):
            return company, match
    return None


def _kind(
    words: _TenantWords, text: str, found: dict[str, Any]
) -> tuple[dict[str, Any], re.Match[str]] | None:
    """What the people are called, in the tenant's words: a group named (or described) so,
    else a word of job titles, companies or employee types ("a contractor")."""
    if match := _member_of_group(words, text):
        return match
    for match in _NOUN.finditer(text):
        noun = match.group("noun")
        if noun in _GENERIC or (found.get("department") or "").lower() == noun:
            continue
        forms = {noun, noun.removesuffix("s"), noun + "s"}
        named = [g for g in words.groups if g[2] and g[2] <= forms]
        if len(named) == 1:
            return {"group": named[0][0]}, match
        if forms & words.described:
            return {"described": noun.removesuffix("s")}, match
        described = [g for g in words.groups if forms & g[3]]
        if len(described) == 1:
            return {"group": described[0][0]}, match
    return None


def _member_of_group(words: _TenantWords, text: str) -> tuple[dict[str, Any], re.Match[str]] | None:
    """People said to be in a group the tenant has: "someone in the Contractors group",
    "members of Project Phoenix"."""
    for group_id, name, _, _ in sorted(words.groups, key=lambda g: -len(g[1])):
        if len(name) <= 2 or name not in text:
            continue  # most groups' names are not said: no pattern built for them (12,000 groups)
        pattern = rf"\b{_PERSON}\s+(?:in|of|from)\s+(?:the\s+)?{re.escape(name)}(?:\s+group)?\b"
        if match := re.search(pattern, text):
            return {"group": group_id}, match
    return None


def _word_set(value: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z][a-z-]*", fold(value)))


def _tenant_words(store: Store) -> _TenantWords:
    """The tenant's words for people (read once per store version or snapshot)."""

    def read() -> _TenantWords:
        values = describing_values(store)
        described: set[str] = set()
        for row in values:
            if row["k"] in ("title", "company"):
                described |= _word_set(row["v"])
        for value in employee_types(store):
            described |= _word_set(value)
        companies = sorted(
            {(fold(r["v"]), r["v"]) for r in values if r["k"] == "company" and r["v"].strip()},
            key=lambda c: (-len(c[0]), c),
        )
        groups = tuple(
            (
                group_id,
                fold(name),
                frozenset(w for w in re.split(r"[^a-z]+", fold(name)) if w) - _NAME_FILLER,
                _word_set(description) - _GENERIC,
            )
            for group_id, name, description in group_texts(store)
            if name
        )
        return _TenantWords(
            departments=tuple(departments(store)),
            groups=groups,
            described=frozenset(described - _GENERIC),
            companies=tuple(companies),
        )

    return per_snapshot(store, "population words", read)
