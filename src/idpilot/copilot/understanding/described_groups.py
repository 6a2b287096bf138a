"""A group named by what its description says: "the everyone-in-the-company group", "the
group for everyone at HQ in Seattle", "the group that lets the emergency accounts skip
conditional access".

Read only when the prompt speaks of one group ("the ... group", "the group for/that ...") and
names none. The description's content words (function words and words every group shares
dropped; "everyone" and "all", "the company" and the tenant's own name, "conditional access"
and "CA" counted as one) are compared with each group's name and description: the group that
shares the most of them, at least two and at least half, and shares more than any other group,
is the one meant. Otherwise nothing is named, and the question goes on as it was asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from idpilot.copilot.entities import FUNCTION_WORDS, PromptEntities
from idpilot.store import Store
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.queries.group_links import group_texts
from idpilot.store.queries.report_series import organization
from idpilot.store.version_memo import per_snapshot

MIN_SHARED = 2
"""Content words a description must share with a group before it names it."""

_THE_X_GROUP = re.compile(
    r"\bthe\s+(?P<words>(?:[\w'-]+\s+){0,5}?[\w'-]+)\s+group\b(?!\s*(?:that|which|for|of|whose)\b)",
    re.I,
)
_GROUP_THAT = re.compile(
    r"\bthe\s+group\s+(?:that|which|for|of|with|whose|where)\s+(?P<words>[^?.!;,]+)",
    re.I,
)
_CLAUSE_END = re.compile(r"\s+\b(?:and|but|who|what|how|when|why|so)\b.*", re.I | re.S)
_WORD = re.compile(r"[a-z0-9]+")
_CONDITIONAL_ACCESS = re.compile(r"\bconditional\s+access\b")
_EVERYONE = frozenset({"every", "everyone", "everybody", "all", "whole", "entire"})
_ORGANISATION = frozenset({"company", "organisation", "organization", "org", "firm", "business"})
_GENERIC = FUNCTION_WORDS | frozenset(
    [
        *("group", "groups", "team", "teams", "people", "users", "user", "members", "member"),
        *("accounts", "account", "folks", "guys", "lets", "let", "allows", "allow", "gets"),
        "get",
        # What kind of group, not which: "the engineering dynamic group" asks about its rule.
        *("dynamic", "automatic", "security", "distribution", "unified", "assignable"),
        "nested",
    ]
)


@dataclass(frozen=True)
class _Described:
    """A group and the content words of its name and description."""

    id: str
    name: str
    words: frozenset[str]


def swap_for_described_group(store: Store, prompt: str, entities: PromptEntities) -> None:
    """Name the one group the prompt describes by what its description says, when it names no
    group itself (a word that merely occurs in some group's name does not count)."""
    if any(m.kind == "group" and m.quality is not MatchQuality.partial for m in entities.matches):
        return
    said = _description(prompt)
    if said is None:
        return
    span, words = said
    groups, tenant_words = _groups(store)
    wanted = _content_words(words, tenant_words)
    if len(wanted) < MIN_SHARED:
        return
    shared = sorted(((len(wanted & g.words), g) for g in groups), key=lambda x: -x[0])
    if not shared:
        return
    best, group = shared[0]
    runner_up = shared[1][0] if len(shared) > 1 else 0
    if best < MIN_SHARED or best * 2 < len(wanted) or best == runner_up:
        return
    lowered = span.lower()
    entities.matches = [
        m
        for m in entities.matches
        if not (m.phrase and m.phrase.lower() in lowered and m.quality is not MatchQuality.exact)
        and not (m.kind == "group" and m.quality is MatchQuality.partial)
    ]
    entities.matches.append(
        EntityMatch(
            kind="group",
            id=group.id,
            label=group.name or group.id,
            detail="",
            phrase=lowered,
            quality=MatchQuality.alias,
        )
    )


def _description(prompt: str) -> tuple[str, str] | None:
    """The words describing one group, as (the span that says it, the describing words)."""
    found = _GROUP_THAT.search(prompt)
    if found is not None:
        words = _CLAUSE_END.sub("", found.group("words")).strip()
        return prompt[found.start() : found.start("words") + len(words)], words
    found = _THE_X_GROUP.search(prompt)
    if found is not None:
        return found.group(0), found.group("words")
    return None


def _content_words(text: str, tenant_words: frozenset[str]) -> frozenset[str]:
    """The words that say what a group is, one word for each way of saying the same thing."""
    lowered = _CONDITIONAL_ACCESS.sub(" ca ", text.lower().replace("-", " "))
    words = set()
    for word in _WORD.findall(lowered):
        if word in _EVERYONE:
            words.add("all")
        elif word in _ORGANISATION or word in tenant_words:
            words.add("organisation")
        elif word not in _GENERIC and len(word) > 1:
            words.add(word.removesuffix("s") if len(word) > 3 else word)
    return frozenset(words)


def _groups(store: Store) -> tuple[list[_Described], frozenset[str]]:
    """Every group's content words, and the tenant's own name's words (read once per snapshot)."""

    def read() -> tuple[list[_Described], frozenset[str]]:
        org = organization(store) or {}
        tenant_words = frozenset(_WORD.findall(str(org.get("displayName") or "").lower()))
        groups = [
            _Described(id=gid, name=name, words=_content_words(f"{name} {text}", tenant_words))
            for gid, name, text in group_texts(store)
        ]
        return groups, tenant_words

    return per_snapshot(store, "described_groups", read)
