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
