"""lifecycle_workflows on Graph's published example and on an empty tenant."""

from __future__ import annotations

from pathlib import Path

from idpilot.copilot.understanding.stated import read_stated
from idpilot.skills import default_registry
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.helpers import snapshot_from_examples


def _run(store: Store, question: str):
    stated = read_stated(store, question)
    return default_registry().get("lifecycle_workflows").run(store, stated.values)


def test_published_example_shows_what_runs_automatically(tmp_path: Path, store: Store) -> None:
    folder = snapshot_from_examples(
        tmp_path / "snap", {"workflow.list.json": "lifecycleWorkflows.json"}
    )
    ingest_folder(store, folder)
    result = _run(store, "which lifecycle workflows do we have?")
    assert result.facts.total == 6
    joiners = [w.displayName for w in result.facts.categories["joiner"] if w.automated]
    assert joiners == ["Global new hire", "Global pre hire"]
    # Both published leaver workflows have scheduling off: nothing runs them automatically.
    assert result.facts.not_automated == ["mover", "leaver"]
    assert result.next_steps


def test_a_category_in_the_question_narrows_the_answer(store: Store) -> None:
    result = _run(store, "is offboarding automated?")
    assert result.facts.asked == ["leaver"] and result.facts.total == 0
    assert result.facts.not_automated == ["leaver"]
