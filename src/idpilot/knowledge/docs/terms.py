"""The words a documentation section is found by: lower case, stopwords out, plurals folded."""

from __future__ import annotations

import re

from idpilot.knowledge._text_search import words

# Words every question has ("what is the difference between ..."): they find nothing.
# fmt: off
QUESTION_WORDS = frozenset((
    "what", "whats", "how", "do", "does", "did", "i", "we", "you", "my", "our", "which", "why",
    "when", "where", "who", "can", "could", "need", "should", "would", "there", "about", "me",
    "tell", "explain", "difference", "between", "s", "t", "vs", "versus", "if", "that", "they",
    "their", "them", "will", "than", "into", "out", "any", "all", "get", "way", "mean", "means",
    "microsoft", "entra", "azure", "ad", "id", "docs", "documentation", "say", "says", "according",
    "set", "up", "work", "doing", "done", "please", "recommend", "recommended", "guidance",
))
# fmt: on
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])|\n+")


_SPELLINGS = {"licence": "license", "licences": "licenses", "licenced": "licensed"}


def stem(word: str) -> str:
    """A plural folded to its singular, crudely ("policies" -> "policy", "risks" -> "risk");
    British spellings to the documentation's ("licence" -> "license")."""
    word = _SPELLINGS.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def index_terms(text: str) -> list[str]:
    """The terms of a text as the index counts them (repeats kept)."""
    return [stem(w) for w in words(text.replace("-", " "))]


def query_terms(text: str) -> list[str]:
    """The distinct terms of a question that can find a section, in order."""
    seen: dict[str, None] = {}
    for term in index_terms(text):
        if term not in QUESTION_WORDS and term not in seen:
            seen[term] = None
    return list(seen)


def sentences(text: str) -> list[str]:
    """A section's sentences and list items, each as written."""
    return [part.strip(" -*") for part in _SENTENCE_END.split(text) if part.strip(" -*")]
