"""The linear reading of intent: trained on the bank's features, it separates what they say."""

from __future__ import annotations

import numpy as np

from idpilot.copilot.understanding.classifier import classifier_for
from idpilot.copilot.understanding.linear import fit


def test_it_learns_which_term_speaks_for_which_intent() -> None:
    vectors = np.zeros((4, 2), dtype=np.float32)  # the meaning says nothing here
    rows, columns = np.array([0, 1, 2, 3]), np.array([0, 0, 1, 1])
    scorer = fit(vectors, rows, columns, np.ones(4), 2, ["spray", "spray", "risk", "risk"])
    assert scorer.intents == ["risk", "spray"]
    assert scorer.probabilities(np.zeros(2), {0: 1.0}).argmax() == 1
    assert scorer.probabilities(np.zeros(2), {1: 1.0}).argmax() == 0
    even = scorer.probabilities(np.zeros(2), {})
    assert np.isclose(even.sum(), 1.0) and np.allclose(even, 0.5, atol=0.05)


def test_the_shipped_classifier_carries_a_linear_reading_over_its_intents() -> None:
    classifier = classifier_for()
    _, _, linear = classifier.precomputed()
    assert linear is not None and linear.intents == classifier.intents
    scores = classifier.scores("give me a posture check of our privileged access")
    assert np.isclose(sum(s.probability for s in scores), 1.0)
    assert scores[0].intent == "posture_assessment"


def test_a_typing_slip_reads_as_the_word_the_bank_uses() -> None:
    classifier = classifier_for()
    assert classifier._respelled("marta blokced on the app") == "marta block on the app"
    assert classifier._respelled("who resetted the pasword") == "who reset the password"
    # A word the model knows whole, and a name typed with a capital, are left as typed.
    assert classifier._respelled("the project group") == "the project group"
    assert classifier._respelled("ask Reddy") == "ask Reddy"


def test_words_of_other_languages_read_as_english() -> None:
    from idpilot.copilot.understanding.classifier import written_out

    assert written_out("Warum kann sich X nicht anmelden?") == "why kann sich X nicht sign in?"
    assert written_out("pourquoi le compte est bloqué") == "why le account est blocked"
