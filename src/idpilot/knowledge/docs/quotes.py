"""The sentences of a retrieved section that answer a question: quoted, never reworded."""

from __future__ import annotations

from idpilot.knowledge.docs.terms import index_terms, sentences

MAX_QUOTES = 3
MIN_SENTENCE_CHARS = 25


def quoted_sentences(
    text: str, terms: tuple[str, ...] | list[str], limit: int = MAX_QUOTES
) -> list[str]:
    """The section's sentences holding most of the question's terms, in the section's order.

    A sentence is kept as written; one holding no term of the question is never chosen, so a
    section that only matched by its heading yields its opening sentence instead.
    """
    wanted = set(terms)
    candidates = [s for s in sentences(text) if len(s) >= MIN_SENTENCE_CHARS]
    scored = []
    for position, sentence in enumerate(candidates):
        held = len(wanted & set(index_terms(sentence)))
        if held:
            scored.append((-held, position, sentence))
    if not scored:
        return candidates[:1]
    best = sorted(scored)[:limit]
    return [sentence for _, _, sentence in sorted(best, key=lambda item: item[1])]
