"""Word matching and ranking for free-text search over catalog entries."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# fmt: off
_STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "is", "it",
    "its", "not", "of", "on", "or", "the", "this", "to", "was", "with",
))
# fmt: on
_MIN_PREFIX = 4  # query words this long also match longer words ("lock" finds "locked")


def words(text: str) -> list[str]:
    """Lower-case words of `text`, CamelCase split ("IdsLocked" gives "ids", "locked")."""
    spaced = _CAMEL.sub(" ", text)
    return [w for w in _WORD.findall(spaced.lower()) if w not in _STOPWORDS]


def _matches(query_word: str, field_words: Iterable[str]) -> bool:
    """True when a field word equals the query word or, for longer query words, extends it."""
    for word in field_words:
        if word == query_word:
            return True
        if len(query_word) >= _MIN_PREFIX and word.startswith(query_word):
            return True
    return False


def score(query_words: list[str], weighted_fields: list[tuple[str, int]]) -> tuple[int, int]:
    """Rank key for one entry: (query words matched, sum of the best field weight per word)."""
    matched = 0
    weight = 0
    split_fields = [(set(words(text)), w) for text, w in weighted_fields if text]
    for query_word in query_words:
        hits = [w for field_words, w in split_fields if _matches(query_word, field_words)]
        if hits:
            matched += 1
            weight += max(hits)
    return matched, weight
