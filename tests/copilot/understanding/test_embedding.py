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


def test_the_memory_mapped_table_embeds_as_the_table_read_whole_and_widened() -> None:
    from safetensors.numpy import load_file

    from idpilot.copilot.understanding.embedding import (
        WEIGHTS_FILE,
        WEIGHTS_KEY,
        model_folder,
        token_table,
    )

    path = model_folder() / WEIGHTS_FILE
    whole = np.ascontiguousarray(load_file(str(path))[WEIGHTS_KEY], dtype=np.float32)
    mapped = token_table(path)
    assert mapped.shape == whole.shape
    rows = np.array([0, 1, 7, 500, len(whole) - 1])
    assert np.array_equal(mapped[rows].astype(np.float32), whole[rows])
    embedder = default_embedder()
    texts = ["who are the global admins?", "why can't she sign in", "日本語 ünïcode", ""]
    widened = object.__new__(type(embedder))
    widened.__dict__.update(embedder.__dict__, _table=whole)
    assert np.array_equal(embedder.embed(texts), widened.embed(texts))
