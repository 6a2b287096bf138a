"""Answers over a collection the sync could not read: unknown, said with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idpilot.copilot.answer import AnswerStatus
from idpilot.copilot.engine import Copilot
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.fixture_tenant import write_fixture_tenant

REASON = "Graph answered 403: the app needs the AuditLog.Read.All permission (admin consent)"


@pytest.fixture(scope="module")
def refused_sign_ins(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = write_fixture_tenant(tmp_path_factory.mktemp("gaps") / "snapshot")
    (folder / "signIns.json").unlink()
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["unavailable"] = {"signIns": {"status": 403, "reason": REASON}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    store = Store.open(Path(folder.parent / "s.duckdb"))
    ingest_folder(store, folder)
    return store


def test_a_question_answered_from_the_refused_collection_is_unknown(
    refused_sign_ins: Store,
) -> None:
    answer = Copilot(refused_sign_ins).ask("how many sign-ins failed in the last week?")
    assert answer.status is AnswerStatus.missing
    assert "signIns" in answer.answer and "AuditLog.Read.All" in answer.answer
    assert not answer.evidence and "not visible: signIns" in (answer.limits or "")


def test_a_question_that_also_reads_it_says_so_first(refused_sign_ins: Store) -> None:
    answer = Copilot(refused_sign_ins).ask("tell me about Bob Stone")
    assert answer.answer.startswith("**Not visible in this snapshot:**")
    assert "Bob Stone" in answer.answer and answer.evidence


def test_an_answer_reading_nothing_refused_is_unchanged(refused_sign_ins: Store) -> None:
    answer = Copilot(refused_sign_ins).ask("which groups have no owner?")
    assert "Not visible" not in answer.answer and "not visible" not in (answer.limits or "")
