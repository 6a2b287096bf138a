"""The shipped documentation index, loaded offline: hybrid retrieval of documentation sections.

Sections are ranked by BM25 over a terms table in an in-memory DuckDB database and by the cosine
of their vector from the static embedding model idpilot already ships; the two are blended.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Any

from idpilot.copilot.understanding.embedding import StaticEmbedder, default_embedder
from idpilot.knowledge.docs.quotes import question_pairs
from idpilot.knowledge.docs.sections import DocSection
from idpilot.knowledge.docs.terms import index_terms, query_terms
from idpilot.store.docs_index import bm25_ranking, create_docs_index

INDEX_FILE = "entra_docs.jsonl.gz"
HEADING_WEIGHT = 3  # a term of the page title or section heading counts this many times
CANDIDATES = 40
BM25_SHARE = 0.65  # the blend: BM25 (scaled to the best hit) and the embedding cosine
MIN_COVERAGE = 0.5  # a section must hold at least half the question's terms
MIN_COSINE = 0.35
PER_PAGE = 2
PHRASE_BONUS = 0.1  # per pair of the question's words side by side in the section (at most 2)
RELATIVE_FLOOR = 0.5  # a further section must score at least half the best one
EMBEDDED_CHARS = 600
_LOCK = threading.Lock()


@dataclass(frozen=True)
class DocHit:
    """A retrieved section with its blended score and the question terms it holds."""

    section: DocSection
    score: float
    coverage: float
    terms: tuple[str, ...]


class DocsIndex:
    """Documentation sections with their terms in DuckDB and their embedding vectors."""

    def __init__(
        self, header: dict[str, Any], sections: list[DocSection], embedder: StaticEmbedder
    ) -> None:
        self.header = header
        self.sections = sections
        self._embedder = embedder
        rows, terms = [], []
        for number, section in enumerate(sections):
            counted = Counter(index_terms(section.text))
            for _ in range(HEADING_WEIGHT):
                counted.update(index_terms(f"{section.title} {section.heading}"))
            rows.append(
                (number, section.path, section.commit, section.title, section.heading,
                 section.url, section.text, sum(counted.values()))
            )  # fmt: skip
            terms.extend((number, term, count) for term, count in counted.items())
        self._connection = create_docs_index(rows, terms)
        self._section_terms = [
            set(index_terms(f"{s.title} {s.heading} {s.text}")) for s in sections
        ]
        self._section_pairs = [
            set(pairwise(index_terms(f"{s.title}. {s.heading}. {s.text}"))) for s in sections
        ]
        self._vectors = embedder.embed(
            [f"{s.title}. {s.heading}. {s.text[:EMBEDDED_CHARS]}" for s in sections]
        )

    @classmethod
    def load(cls, path: Path | None = None, embedder: StaticEmbedder | None = None) -> DocsIndex:
        """The index from its compressed file (the shipped one by default); no network."""
        source = path or Path(str(files("idpilot.knowledge.docs").joinpath(INDEX_FILE)))
        header, sections = read_index_file(source)
        return cls(header, sections, embedder or default_embedder())

    def search(self, question: str, limit: int = 3) -> list[DocHit]:
        """The best sections for a question (at most two per page); [] when none qualifies."""
        terms = query_terms(question)
        if not terms:
            return []
        ranked = bm25_ranking(self._connection, terms, CANDIDATES)
        if not ranked:
            return []
        best_bm25 = ranked[0][1]
        cosines = self._vectors @ self._embedder.embed([question])[0]
        pairs = question_pairs(question)
        hits = []
        for number, bm25, _ in ranked:
            held = tuple(t for t in terms if t in self._section_terms[number])
            coverage = len(held) / len(terms)
            cosine = float(cosines[number])
            if coverage < MIN_COVERAGE and cosine < MIN_COSINE:
                continue
            phrases = min(2, len(pairs & self._section_pairs[number]))
            blended = (
                BM25_SHARE * bm25 / best_bm25 + (1 - BM25_SHARE) * cosine + PHRASE_BONUS * phrases
            )
            hits.append(DocHit(self.sections[number], blended, coverage, held))
        hits.sort(key=lambda hit: -hit.score)
        chosen: list[DocHit] = []
        per_page: Counter[str] = Counter()
        for hit in hits:
            if hit.score < RELATIVE_FLOOR * hits[0].score:
                break
            if per_page[hit.section.path] < PER_PAGE and hit.coverage >= MIN_COVERAGE:
                chosen.append(hit)
                per_page[hit.section.path] += 1
            if len(chosen) == limit:
                break
        return chosen


def read_index_file(path: Path) -> tuple[dict[str, Any], list[DocSection]]:
    """The header (source, commit pins, attribution) and sections of an index file."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines))
        sections = [DocSection.model_validate_json(line) for line in lines if line.strip()]
    return header, sections


@cache
def _shared() -> DocsIndex:
    return DocsIndex.load()


def default_docs_index() -> DocsIndex:
    """The shipped index, loaded on first use (thread-safe)."""
    with _LOCK:
        return _shared()
