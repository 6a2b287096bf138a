"""An app named by who uses it or what for: "the app the finance people use for the finance
website", "the app the field techs use", "the tool finance uses for expenses".

The words that describe it name the app when exactly one app of the tenant (not Microsoft's
own) has one of them in its name ("field" in Contoso Field Service); otherwise the people
described, a department or a job title, name it when the sign-ins show one app that is theirs
above all others (most of its users are among them, and clearly more so than any other app).
When nothing stands out, nothing is named."""

from __future__ import annotations

import re

from idpilot.copilot.entities import FUNCTION_WORDS, PromptEntities
from idpilot.store import Store
from idpilot.store.directory import departments
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.queries.apps import apps_named_with, apps_signed_in_by
from idpilot.store.queries.users import user_ids_described

_USED_BY = re.compile(
    r"\b(?:the|our|that|this)\s+(?:\w+\s+){0,2}?(?:app|application|tool|system|portal|"
    r"website|site|software|thing|platform)\s+(?:that\s+|which\s+)?(?P<who>(?:[\w&-]+\s+){0,7}?"
    r"[\w&-]+)\s+(?:use|uses|used|log\s+into|logs\s+into|sign\s+into|signs\s+into|work\s+in|"
    r"works\s+in)\b(?:\s+(?:for|to)\s+(?P<purpose>(?:the\s+|their\s+|our\s+)?(?:[\w-]+\s+){0,2}?"
    r"[\w-]+))?",
    re.I,
)
_PEOPLE = frozenset(
    {"people", "folks", "staff", "team", "guys", "department", "dept", "users", "employees",
     "crew", "colleagues", "lot", "ones", "all"}
)  # fmt: skip
MIN_WORD = 3
OWN_SHARE = 0.5
"""At least this share of an app's users are the people described, for it to be theirs."""
CLEAR_LEAD = 1.5
"""The app's share must be this many times the next app's."""


def swap_for_app_by_usage(store: Store, prompt: str, entities: PromptEntities) -> None:
    """Name the one app the prompt describes by who uses it or what for, when the prompt names
    no app surely itself."""
    if any(
        m.kind == "servicePrincipal" and m.quality is not MatchQuality.partial
        for m in entities.matches
    ):
        return
    said = _USED_BY.search(prompt)
    if said is None:
        return
    who = _words(said.group("who"))
    purpose = _words(said.group("purpose") or "")
    app = _one_named(store, who + purpose) or _theirs(store, who)
    if app is None:
        return
    entities.matches = [m for m in entities.matches if m.kind != "servicePrincipal"]
    entities.matches.append(
        EntityMatch(
            kind="servicePrincipal",
            id=app["id"],
            label=app["displayName"] or app["id"],
            detail="",
            phrase=said.group(0).lower(),
            quality=MatchQuality.alias,
        )
    )


def _words(text: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[\w&-]+", text.lower())
        if len(w) >= MIN_WORD and w not in FUNCTION_WORDS and w not in _PEOPLE
    ]


def _one_named(store: Store, words: list[str]) -> dict[str, str] | None:
    """The one app whose name holds one of the words."""
    singular = [w[:-1] if w.endswith("s") and len(w) > MIN_WORD + 1 else w for w in words]
    found = apps_named_with(store, [re.escape(w) for w in singular]) if singular else []
    return found[0] if len(found) == 1 else None


def _theirs(store: Store, who: list[str]) -> dict[str, str] | None:
    """The app the people described (a department, else a job title) use above all others."""
    people = _department_users(store, who) or user_ids_described(store, who)
    if not people:
        return None
    apps = apps_signed_in_by(store, people)
    shares = [app["ours"] / app["everyone"] for app in apps]
    if not shares or shares[0] < OWN_SHARE:
        return None
    if len(shares) > 1 and shares[0] < CLEAR_LEAD * shares[1]:
        return None
    return apps[0]


def _department_users(store: Store, who: list[str]) -> list[str]:
    """The users of the one department that shares a word with the description."""
    said = set(who)
    named = [d for d in departments(store) if said & set(_words(d))]
    if len(named) != 1:
        return []
    return user_ids_described(store, [], department=named[0])
