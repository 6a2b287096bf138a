"""Keeping the longest matched phrase is linear in the matches (issue #8, item 4)."""

from __future__ import annotations

from idpilot.copilot.entities import _keep_longest
from idpilot.store.lookup import EntityMatch, MatchQuality

COMPARISONS = 0


class _CountedInt(int):
    """A word position that counts how often it is compared."""

    def __le__(self, other: object) -> bool:
        global COMPARISONS
        COMPARISONS += 1
        return int(self) <= int(other)  # type: ignore[call-overload]


def _comparisons(lookalikes: int) -> tuple[int, list[EntityMatch]]:
    """Comparisons made for `lookalikes` objects matching each of three nested phrases."""
    global COMPARISONS
    spans = {
        "jordan lee": (_CountedInt(2), _CountedInt(4)),
        "jordan": (_CountedInt(2), _CountedInt(3)),
        "lee": (_CountedInt(3), _CountedInt(4)),
    }
    matches = [
        EntityMatch(
            kind="user",
            id=f"id-{phrase}-{n}",
            label="Jordan Lee",
            phrase=phrase,
            quality=MatchQuality.exact,
        )
        for n in range(lookalikes)
        for phrase in spans
    ]
    COMPARISONS = 0
    kept = _keep_longest(matches, spans)
    return COMPARISONS, kept


def test_containment_is_decided_per_span_not_per_match() -> None:
    small, kept_small = _comparisons(100)
    large, kept_large = _comparisons(2_000)
    assert len(kept_small) == 100 and len(kept_large) == 2_000  # only "jordan lee" survives
    assert {m.phrase for m in kept_large} == {"jordan lee"}
    assert large <= small  # twenty times the look-alikes, no more comparisons


def test_quoted_phrases_and_prompt_order_are_kept() -> None:
    spans = {"bob": (5, 6), "alice": (1, 2), '"alice"': (-1, -1)}
    matches = [
        EntityMatch(
            kind="user", id="b", label="Bob", phrase="bob", quality=MatchQuality.first_name
        ),
        EntityMatch(
            kind="user", id="a", label="Alice", phrase="alice", quality=MatchQuality.first_name
        ),
        EntityMatch(
            kind="user", id="q", label="Alice", phrase='"alice"', quality=MatchQuality.exact
        ),
    ]
    assert [m.id for m in _keep_longest(matches, spans)] == ["q", "a", "b"]
