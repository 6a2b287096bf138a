"""The posture checks a question names ("do we pass the legacy authentication check?", "does
activating Global Admin need anyone's approval?"): the checks sharing the most content words
with it, by their first letters ("activating" and "activation"), compared with each check's
title and the control text it implements. A question about the whole posture names none.

The check catalog is read only when the question is a posture question (the import registers
every check)."""

from __future__ import annotations

import re

STEM_CHARS = 5
"""Words compared by their first letters ("admin" and "administrator")."""
MIN_SHARED_STEMS = 2
MAX_ASKED = 2
_NOT_ASKING = frozenset(
    {
        *("check", "checks", "control", "pass", "passes", "fail", "fails", "tenant", "should"),
        *("shall", "confirm", "sure", "fairly", "think", "right", "correct", "baseline"),
        *("scuba", "about", "there", "which", "would", "where", "still", "anyone", "people"),
        *("users", "user", "every", "their", "other", "this", "that", "does", "need", "needs"),
        *("show", "shows", "shown", "tell", "give", "list", "explain", "please", "have", "make"),
        *("makes", "what", "when", "doing", "done", "actually", "really", "know"),
    }
)


def _stems(text: str) -> set[str]:
    """The content words of a text, by their first letters."""
    return {
        w[:STEM_CHARS]
        for w in re.findall(r"[a-z]+", text.lower())
        if len(w) >= 4 and w not in _NOT_ASKING
    }


def checks_asked(prompt: str) -> list[str]:
    """The ids of the checks the prompt names (at most `MAX_ASKED`, tied best first by catalog
    order), or none when no check shares `MIN_SHARED_STEMS` words with it."""
    from idpilot.posture import CHECKS

    asked = _stems(prompt)
    if len(asked) < MIN_SHARED_STEMS:
        return []
    words = {c.id: _stems(f"{c.title} {c.control}") for c in CHECKS}
    checks_with: dict[str, int] = {}
    for stems in words.values():
        for stem in stems:
            checks_with[stem] = checks_with.get(stem, 0) + 1
    # Most words shared first; of as many, the rarer words ("legacy" over "authentication").
    scored = [
        (len(shared), sum(1 / checks_with[s] for s in shared), check_id)
        for check_id, stems in words.items()
        if (shared := asked & stems)
    ]
    if not scored or max(s[0] for s in scored) < MIN_SHARED_STEMS:
        return []
    best = max(s[:2] for s in scored)
    return [check_id for count, rarity, check_id in scored if (count, rarity) == best][:MAX_ASKED]
