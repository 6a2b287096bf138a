"""Choosing the sentences to quote: verbatim, the question's phrases and definitions first."""

from __future__ import annotations

from idpilot.knowledge.docs.quotes import question_pairs, quoted_sentences
from idpilot.knowledge.docs.terms import query_terms

TEXT = (
    "Risk detections contribute to the overall user risk score of the sign-in and the user. "
    "User risk detections might flag a legitimate user account as at risk. "
    "Sign-in risk detections represent the probability that a request isn't the owner. "
    "Reports are kept for thirty days."
)


def test_definitions_of_the_questions_phrases_are_quoted_as_written() -> None:
    question = "what is the difference between sign-in risk and user risk?"
    quotes = quoted_sentences(TEXT, query_terms(question), limit=2, question=question)
    assert quotes == [
        "User risk detections might flag a legitimate user account as at risk.",
        "Sign-in risk detections represent the probability that a request isn't the owner.",
    ]


def test_a_section_matching_only_by_heading_quotes_its_opening_sentence() -> None:
    assert quoted_sentences(TEXT, ["lasagne"]) == [TEXT.split(". ")[0] + "."]


def test_question_pairs_skip_question_words() -> None:
    assert question_pairs("how do I set up number matching?") == {("number", "matching")}
