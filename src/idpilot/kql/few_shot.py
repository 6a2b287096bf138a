"""Few-shot examples for a model writing KQL, chosen per question by similarity.

The library is a shipped file of question/KQL pairs (`examples/few_shot.yaml`), written for
it and kept apart from the evaluation pairs. A question's nearest examples are found with the
sentence embedding the intent classifier already uses (`understanding.embedding`, offline)
plus the overlap of its stemmed words and word pairs (`classifier.lexical_terms`), so the
choice still works where the embedding package is not installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

from idpilot.copilot.understanding.classifier import lexical_terms
from idpilot.copilot.understanding.embedding import EmbeddingModelMissing, default_embedder
from idpilot.kql import examples

SMALL_COUNT = 3
"""Examples shown to a model with a small context."""
LARGE_COUNT = 6
LEXICAL_WEIGHT = 0.5
"""Weight of the word overlap beside the embedding's cosine similarity."""
_TABLE = re.compile(r"\s*(\w+)")


@dataclass(frozen=True)
class FewShotExample:
    """A question in an admin's words and the KQL that answers it."""

    question: str
    kql: str

    @property
    def table(self) -> str:
        """The table the query starts from (`union` for a union of tables)."""
        match = _TABLE.match(self.kql)
        return match.group(1) if match else ""


@cache
def library() -> tuple[FewShotExample, ...]:
    """The shipped examples."""
    text = (resources.files(examples) / "few_shot.yaml").read_text(encoding="utf-8")
    return tuple(
        FewShotExample(question=item["question"], kql=item["kql"].strip())
        for item in yaml.safe_load(text)
    )


def choose_examples(
    question: str,
    count: int,
    pool: tuple[FewShotExample, ...] | None = None,
) -> list[FewShotExample]:
    """The `count` examples most similar to `question`, most similar first."""
    candidates = library() if pool is None else pool
    if count <= 0 or not candidates:
        return []
    scores = similarity(question, [e.question for e in candidates])
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    return [candidates[i] for i in order[:count]]


def similarity(question: str, texts: list[str]) -> list[float]:
    """How near each text is to `question`: embedding cosine plus weighted word overlap."""
    lexical = [_overlap(question, text) for text in texts]
    try:
        vectors = _embed((question, *texts))
    except EmbeddingModelMissing:
        return lexical
    cosines = vectors[1:] @ vectors[0]
    return [float(c) + LEXICAL_WEIGHT * w for c, w in zip(cosines, lexical, strict=True)]


def _embed(texts: tuple[str, ...]) -> np.ndarray:
    return default_embedder().embed(list(texts))


def _overlap(first: str, second: str) -> float:
    """Jaccard overlap of the two texts' stemmed words and word pairs."""
    a, b = set(lexical_terms(first)), set(lexical_terms(second))
    return len(a & b) / len(a | b) if a | b else 0.0
