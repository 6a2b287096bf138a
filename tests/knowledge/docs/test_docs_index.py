"""The shipped documentation index: offline, attributed, small, and it finds the right page."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import yaml

from idpilot.knowledge.docs import DocsIndex, default_docs_index
from idpilot.knowledge.docs.build import ATTRIBUTION, PINNED_PAGES
from idpilot.knowledge.docs.index import INDEX_FILE
from idpilot.knowledge.docs.sections import LEARN_BASE

SHIPPED = (
    Path(__file__).resolve().parents[3] / "src" / "idpilot" / "knowledge" / "docs" / INDEX_FILE
)
QUESTIONS = yaml.safe_load((Path(__file__).parent / "questions.yaml").read_text(encoding="utf-8"))
MAX_BYTES = 5 * 1024 * 1024
RECALL_AT_3_FLOOR = 0.9


@pytest.fixture(scope="module")
def index() -> DocsIndex:
    """The shipped index, loaded as the copilot loads it (the network guard is on)."""
    return default_docs_index()


def test_the_index_loads_offline_with_attribution_and_pins(index: DocsIndex) -> None:
    assert index.header["licence"].startswith("CC BY 4.0")
    assert index.header["attribution"] == ATTRIBUTION
    pinned = {page["path"]: page["commit"] for page in index.header["pages"]}
    assert pinned == PINNED_PAGES
    assert {s.path for s in index.sections} == set(PINNED_PAGES)
    assert all(s.url.startswith(LEARN_BASE) and s.commit == pinned[s.path] for s in index.sections)


def test_the_shipped_file_is_small_and_compressed() -> None:
    assert SHIPPED.stat().st_size < MAX_BYTES
    with gzip.open(SHIPPED, "rt", encoding="utf-8") as lines:
        assert json.loads(next(lines))["source"] == "https://github.com/MicrosoftDocs/entra-docs"


def test_recall_at_3_over_the_documentation_questions(index: DocsIndex) -> None:
    assert len(QUESTIONS) >= 20
    missed = []
    for item in QUESTIONS:
        pages = [hit.section.url.split("#")[0] for hit in index.search(item["q"], limit=3)]
        if LEARN_BASE + item["page"] not in pages:
            missed.append((item["q"], pages))
    recall = 1 - len(missed) / len(QUESTIONS)
    assert recall >= RECALL_AT_3_FLOOR, missed


@pytest.mark.parametrize(
    "question",
    [
        "give me a recipe for lasagne",
        "who won the football last night?",
        "how do I open port 443 on my Cisco ASA firewall?",
        "what is the capital of Australia?",
    ],
)
def test_nothing_scores_for_questions_the_docs_do_not_cover(
    index: DocsIndex, question: str
) -> None:
    assert index.search(question) == []


def test_at_most_two_sections_of_one_page(index: DocsIndex) -> None:
    hits = index.search("how does number matching work for push notifications?", limit=5)
    paths = [hit.section.path for hit in hits]
    assert paths and all(paths.count(path) <= 2 for path in paths)
