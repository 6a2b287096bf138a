"""The sentences of a retrieved section that answer a question: quoted, never reworded."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from idpilot.knowledge.docs.terms import QUESTION_WORDS, index_terms, sentences

MAX_QUOTES = 3
MIN_SENTENCE_CHARS = 25
PHRASE_WEIGHT = 2  # a pair of the question's words side by side ("user risk") counts double
OPENING_WEIGHT = 2  # a sentence that opens with such a pair defines it ("User risk detections")


def question_pairs(question: str) -> set[tuple[str, str]]:
    """Adjacent pairs of the question's searchable terms ("sign-in risk" -> ("sign", "risk"))."""
    terms = [t for t in index_terms(question) if t not in QUESTION_WORDS]
    return set(pairwise(terms))


def _weight(sentence: str, wanted: set[str], pairs: set[tuple[str, str]]) -> int:
    terms = index_terms(sentence)
    held = len(wanted & set(terms))
    if not held:
        return 0
    adjacent = set(pairwise(terms))
    opens = tuple(terms[:2]) in pairs
    return held + PHRASE_WEIGHT * len(pairs & adjacent) + OPENING_WEIGHT * opens


def quoted_sentences(
    text: str, terms: Sequence[str], limit: int = MAX_QUOTES, question: str = ""
) -> list[str]:
    """The section's sentences that best match the question, in the section's order.

    A sentence weighs by the question's terms it holds, its pairs of them side by side and
    whether it opens with one (a definition); one holding no term is never chosen, so a
    section that only matched by its heading yields its opening sentence instead.
    """
    wanted, pairs = set(terms), question_pairs(question)
    candidates = [s for s in sentences(text) if len(s) >= MIN_SENTENCE_CHARS]
    scored = [
        (-weight, position, sentence)
        for position, sentence in enumerate(candidates)
        if (weight := _weight(sentence, wanted, pairs))
    ]
    if not scored:
        return candidates[:1]
    best = sorted(scored)[:limit]
    return [sentence for _, _, sentence in sorted(best, key=lambda item: item[1])]
