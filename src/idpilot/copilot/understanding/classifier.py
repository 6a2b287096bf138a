"""Intent recognition from meaning: nearest exemplars by sentence embedding and by words.

Each intent has a bank of exemplar prompts (`exemplars.yaml`, written in admins' words with
placeholders for names). A prompt, with the names it contains replaced by the same
placeholder words, is compared with every exemplar twice: by the static sentence embedding
(meaning) and by TF-IDF over words and word pairs (vocabulary, including jargon the
embedding knows little of). Each intent's score is the mean of its best few neighbours under
each measure; the two are mixed with fixed weights, and the probabilities come from a softmax
whose temperature was set on the development phrasings, so a low top probability means "I am
not sure which of these you meant".
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

from idpilot.copilot.understanding.embedding import StaticEmbedder, default_embedder

NEIGHBOURS = 3
EMBEDDING_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.8
TEMPERATURE = 0.05
# The placeholder word each name kind becomes, in exemplars and in prompts alike.
PLACEHOLDER_WORDS = {
    "user": "someone",
    "first_name": "someone",
    "user_upn": "someone",
    "admin": "someone",
    "group": "the group",
    "other_group": "the group",
    "app": "the app",
    "role": "the role",
    "policy": "the policy",
    "ip": "that ip",
    "country": "that country",
    "city": "that city",
    "error_code": "50000",
    "department": "the department",
    "days": "30",
    "number": "5",
    "device": "the device",
    "date": "that date",
    "weekday": "monday",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SUFFIXES = ("ing", "ed", "es", "s")


@dataclass(frozen=True)
class Exemplar:
    """One prompt of the bank, with the intent (and facet) it asks."""

    text: str
    intent: str
    facet: str | None = None


@dataclass(frozen=True)
class IntentScore:
    """How likely one intent is for a prompt."""

    intent: str
    probability: float
    facet: str | None


def fill_placeholders(text: str) -> str:
    """An exemplar with its `{kind}` placeholders replaced by the shared placeholder words."""
    return _PLACEHOLDER.sub(lambda m: PLACEHOLDER_WORDS.get(m.group(1), m.group(1)), text)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def lexical_terms(text: str) -> list[str]:
    """Stemmed words and adjacent word pairs of a text, for the TF-IDF measure."""
    words = [_stem(w.replace("’", "'")) for w in _WORD.findall(text.lower())]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


class _Tfidf:
    """TF-IDF vectors over a fixed vocabulary, with cosine similarity by inverted index."""

    def __init__(self, documents: list[list[str]]) -> None:
        frequency = Counter(term for doc in documents for term in set(doc))
        count = len(documents)
        self._idf = {t: math.log((1 + count) / (1 + f)) + 1.0 for t, f in frequency.items()}
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._size = count
        for row, doc in enumerate(documents):
            for term, weight in self._vector(doc).items():
                self._postings[term].append((row, weight))

    def _vector(self, terms: Iterable[str]) -> dict[str, float]:
        counts = Counter(t for t in terms if t in self._idf)
        vector = {t: (1 + math.log(c)) * self._idf[t] for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def similarities(self, terms: list[str]) -> np.ndarray:
        """Cosine similarity of the terms to every document."""
        scores = np.zeros(self._size, dtype=np.float32)
        for term, weight in self._vector(terms).items():
            for row, other in self._postings[term]:
                scores[row] += weight * other
        return scores


class IntentClassifier:
    """Scores every intent for a prompt from its nearest exemplars."""

    def __init__(self, exemplars: list[Exemplar], embedder: StaticEmbedder) -> None:
        self.exemplars = exemplars
        self._embedder = embedder
        texts = [fill_placeholders(e.text) for e in exemplars]
        self._vectors = embedder.embed(texts)
        self._tfidf = _Tfidf([lexical_terms(t) for t in texts])
        self.intents = sorted({e.intent for e in exemplars})
        self._rows = {
            intent: np.array([i for i, e in enumerate(exemplars) if e.intent == intent])
            for intent in self.intents
        }

    def scores(self, masked_prompt: str) -> list[IntentScore]:
        """Every intent with its probability, most likely first.

        `masked_prompt` is the prompt with the names it contains replaced by placeholder words.
        """
        meaning = self._vectors @ self._embedder.embed([masked_prompt])[0]
        words = self._tfidf.similarities(lexical_terms(masked_prompt))
        mixed = EMBEDDING_WEIGHT * meaning + LEXICAL_WEIGHT * words
        raw = np.array([_top_mean(mixed[self._rows[i]]) for i in self.intents])
        weights = np.exp((raw - raw.max()) / TEMPERATURE)
        probabilities = weights / weights.sum()
        order = np.argsort(-probabilities)
        return [
            IntentScore(
                intent=self.intents[k],
                probability=float(probabilities[k]),
                facet=self._facet(self.intents[k], mixed),
            )
            for k in order
        ]

    def _facet(self, intent: str, mixed: np.ndarray) -> str | None:
        rows = self._rows[intent]
        best = rows[int(np.argmax(mixed[rows]))]
        return self.exemplars[best].facet


def _top_mean(values: np.ndarray) -> float:
    if len(values) <= NEIGHBOURS:
        return float(values.mean())
    return float(np.partition(values, -NEIGHBOURS)[-NEIGHBOURS:].mean())


def load_bank(extra: Iterable[Exemplar] = ()) -> list[Exemplar]:
    """The shipped exemplar bank, plus exemplars that plugin skills declare."""
    text = resources.files(__package__).joinpath("exemplars.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    bank = [
        Exemplar(text=str(item["text"]), intent=intent, facet=item.get("facet"))
        for intent, items in data["intents"].items()
        for item in items
    ]
    return bank + list(extra)


@cache
def _builtin_classifier() -> IntentClassifier:
    return IntentClassifier(load_bank(), default_embedder())


def classifier_for(extra: tuple[Exemplar, ...] = ()) -> IntentClassifier:
    """The classifier over the shipped bank (cached), or over the bank plus `extra`."""
    if not extra:
        return _builtin_classifier()
    return _classifier_with(extra)


@cache
def _classifier_with(extra: tuple[Exemplar, ...]) -> IntentClassifier:
    return IntentClassifier(load_bank(extra), default_embedder())
