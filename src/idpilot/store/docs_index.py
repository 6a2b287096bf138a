"""SQL of the documentation index: sections, their terms, and BM25 ranking in DuckDB.

The index lives in its own in-memory DuckDB database, never in the tenant store. DuckDB's `fts`
extension is not bundled with the wheel (it is downloaded on first `INSTALL`), so the ranking is
BM25 computed here over a terms table: one row per (section, term) with the term's count.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

BM25_K1 = 1.2
BM25_B = 0.75

_SCHEMA = (
    """CREATE TABLE doc_sections (
        id INTEGER PRIMARY KEY, path VARCHAR, commit VARCHAR, title VARCHAR, heading VARCHAR,
        url VARCHAR, text VARCHAR, length INTEGER)""",
    "CREATE TABLE doc_terms (section_id INTEGER, term VARCHAR, tf INTEGER)",
)

_BM25 = """
WITH q AS (SELECT DISTINCT unnest(?::VARCHAR[]) AS term),
stats AS (SELECT count(*) AS n, avg(length) AS avg_length FROM doc_sections),
df AS (
    SELECT t.term, count(*) AS df FROM doc_terms t JOIN q ON q.term = t.term GROUP BY t.term
)
SELECT t.section_id,
       sum(ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
           * t.tf * (? + 1) / (t.tf + ? * (1 - ? + ? * s.length / stats.avg_length))) AS score,
       count(*) AS matched
FROM doc_terms t
JOIN df ON df.term = t.term
JOIN doc_sections s ON s.id = t.section_id
CROSS JOIN stats
GROUP BY t.section_id
ORDER BY score DESC, t.section_id
LIMIT ?
"""


def create_docs_index(
    sections: Iterable[tuple[int, str, str, str, str, str, str, int]],
    terms: Iterable[tuple[int, str, int]],
) -> duckdb.DuckDBPyConnection:
    """A new in-memory database holding the sections and their term counts."""
    connection = duckdb.connect(":memory:")
    for statement in _SCHEMA:
        connection.execute(statement)
    connection.executemany("INSERT INTO doc_sections VALUES (?, ?, ?, ?, ?, ?, ?, ?)", sections)
    connection.executemany("INSERT INTO doc_terms VALUES (?, ?, ?)", terms)
    return connection


def bm25_ranking(
    connection: duckdb.DuckDBPyConnection, query_terms: list[str], limit: int
) -> list[tuple[int, float, int]]:
    """(section id, BM25 score, query terms matched) of the best sections, best first."""
    if not query_terms:
        return []
    rows = connection.execute(
        _BM25, [query_terms, BM25_K1, BM25_K1, BM25_B, BM25_B, limit]
    ).fetchall()
    return [(int(r[0]), float(r[1]), int(r[2])) for r in rows]
