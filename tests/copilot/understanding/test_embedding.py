"""The static sentence-embedding model: loads offline from its package, means what it says."""

from __future__ import annotations

import numpy as np

from idpilot.copilot.understanding.embedding import default_embedder


def test_vectors_are_unit_length_and_empty_text_is_zero() -> None:
    vectors = default_embedder().embed(["who are the global admins?", ""])
    assert vectors.shape == (2, default_embedder().dimensions)
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0)
    assert not vectors[1].any()


def test_similar_questions_are_closer_than_unrelated_ones() -> None:
    failed, locked, weather = default_embedder().embed(
        [
            "why can't she sign in to the portal",
            "the user could not log in this morning",
            "what is the weather like in paris",
        ]
    )
    assert failed @ locked > failed @ weather
