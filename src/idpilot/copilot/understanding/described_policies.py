"""A Conditional Access policy named by what it does, in other words than its name: "the block
on sign-ins from outside our countries" for "VK-05 Block sign-ins outside operating countries",
"the rule that blocks old email protocols".

Read only when the prompt speaks of a policy, a rule or a block and names none surely. The
content words of each policy's name (its code, function words and the words every policy
shares dropped, a plural read as its singular) are compared with the prompt's: the policy that
shares the most, at least three and at least half of its own, and more than any other, is the
one meant. Otherwise nothing is named."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from idpilot.copilot.entities import FUNCTION_WORDS, PromptEntities
from idpilot.copilot.time_phrases import parse_time_window
from idpilot.copilot.understanding.policies_by_effect import policy_by_effect
from idpilot.copilot.understanding.prompt_names import NAMED_OUTRIGHT, maskable
from idpilot.store import Store
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.queries.policies import policy_names
from idpilot.store.version_memo import per_snapshot

MIN_SHARED = 3
"""Content words the prompt must share with a policy's name before it names it."""
_SPEAKS_OF_A_POLICY = re.compile(
    r"\b(?:polic(?:y|ies)|rules?|blocks?|ca\b|conditional\s+access|requirements?)\b", re.I
)
_WORD = re.compile(r"sign-?ins?|log-?ins?|[a-z0-9]+")
_CODE = re.compile(r"^[a-z]{1,4}-?\d+[a-z]?$|^\d+$")
_CODES = re.compile(r"\b[a-z]{1,4}-\d+[a-z]?\b")
"""A policy's code written with a hyphen ("VK-09", "ca-003"): no content word of its own."""
_GENERIC = FUNCTION_WORDS | frozenset(
    {"policy", "policies", "rule", "rules", "ca", "conditional", "access", "report", "only",
     "users", "user", "all"}
)  # fmt: skip


def swap_for_described_policy(store: Store, prompt: str, entities: PromptEntities) -> None:
    """Name the one policy whose name the prompt describes (see the module), when it names no
    policy surely itself."""
    if any(
        m.kind == "conditionalAccessPolicy" and maskable(m) and m.quality in NAMED_OUTRIGHT
        for m in entities.matches
    ):
        return  # a policy named by its name (a partial match is improved on, if at all)
    said = _content(prompt)
    chosen = None
    if _SPEAKS_OF_A_POLICY.search(prompt):
        chosen = _by_its_words(store, said) or _by_when_added(store, prompt, said)
    phrase = _span(prompt, chosen[2] & said) if chosen is not None else ""
    if chosen is None and (by_effect := policy_by_effect(store, prompt)) is not None:
        chosen = (by_effect[0], by_effect[1], frozenset())
        phrase = by_effect[2]  # "the rule that kicks out old mail apps"
    if chosen is None:
        return
    policy_id, name, _ = chosen
    entities.matches = [m for m in entities.matches if m.kind != "conditionalAccessPolicy"]
    entities.matches.append(
        EntityMatch(
            kind="conditionalAccessPolicy",
            id=policy_id,
            label=name,
            detail="",
            phrase=phrase,
            quality=MatchQuality.alias,
        )
    )


def _by_its_words(store: Store, said: frozenset[str]) -> _Policy | None:
    """The one policy sharing the most content words with the prompt, enough of them."""
    ranked = sorted(
        _policies(store), key=lambda p: (len(p[2] & said), len(p[2]), p[0]), reverse=True
    )
    if not ranked:
        return None
    shared = len(ranked[0][2] & said)
    if shared < MIN_SHARED or 2 * shared < len(ranked[0][2]):
        return None
    if len(ranked) > 1 and len(ranked[1][2] & said) == shared:
        return None
    return ranked[0]


_NEWLY = re.compile(
    r"\b(?:new|newly|added|created|introduced|rolled\s+out|set\s+up|put\s+in|brought\s+in)\b",
    re.I,
)
RECENT_DAYS = 30
"""A policy said "new" with no time: created in the snapshot's last this many days."""


def _by_when_added(store: Store, prompt: str, said: frozenset[str]) -> _Policy | None:
    """ "The sign-in risk policy that was added this month": of the policies created in the
    time the prompt states (else the last `RECENT_DAYS` days), the one, or the one sharing
    the most words with the prompt (at least one, more than any other)."""
    if not _NEWLY.search(prompt):
        return None
    anchor = store.captured_at()
    window = parse_time_window(prompt, anchor)
    start = window.start if window else anchor - timedelta(days=RECENT_DAYS)
    end = window.end if window else anchor
    created = [
        (policy_id, name, words)
        for policy_id, name, words, when in _dated_policies(store)
        if isinstance(when, datetime) and start <= when < end
    ]
    if len(created) == 1:
        return created[0]
    shares = sorted(((len(p[2] & said), p) for p in created), key=lambda s: s[0], reverse=True)
    if len(shares) > 1 and shares[0][0] >= 1 and shares[0][0] > shares[1][0]:
        return shares[0][1]
    return None


def _span(prompt: str, shared: frozenset[str]) -> str:
    """The words of the prompt from the first to the last that describe the policy (lower
    case), so that they read as its name."""
    text = prompt.lower()
    found = [
        (m.start(), m.end())
        for m in _WORD.finditer(text)
        if _singular(m.group(0).replace("-", "")) in shared
    ]
    return text[found[0][0] : found[-1][1]] if found else ""


def _content(text: str) -> frozenset[str]:
    """Content words, a plural read as its singular ("countries": "country")."""
    words = set()
    for word in _WORD.findall(_CODES.sub(" ", text.lower())):
        if word in _GENERIC or _CODE.match(word):
            continue
        words.add(_singular(word.replace("-", "")))
    return frozenset(words)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


_Policy = tuple[str, str, frozenset[str]]


def _policies(store: Store) -> list[_Policy]:
    """Each policy's id, name and the content words of its name."""
    return [(policy_id, name, words) for policy_id, name, words, _ in _dated_policies(store)]


def _dated_policies(store: Store) -> list[tuple[str, str, frozenset[str], Any]]:
    """Each policy's id, name, content words of its name and creation time, once per store
    version."""

    def read() -> list[tuple[str, str, frozenset[str], Any]]:
        return [
            (r["id"], r["displayName"], _content(r["displayName"] or ""), r["createdDateTime"])
            for r in policy_names(store)
        ]

    return per_snapshot(store, "described policies", read)
