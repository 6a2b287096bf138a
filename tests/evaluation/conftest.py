"""The second evaluation tenant, generated and ingested once per test session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from idpilot.evaluation.tenants.vindelkraft import generate_tenant
from idpilot.sources.ingest import IngestReport, ingest_folder
from idpilot.store import Store


@dataclass
class SecondTenant:
    """Vindelkraft: its snapshot folder, ingest report, store and answer key."""

    folder: Path
    report: IngestReport
    store: Store
    answer_key: dict[str, Any]


@pytest.fixture(scope="session")
def second_tenant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecondTenant]:
    """Generated and ingested once; tests only read it."""
    root = tmp_path_factory.mktemp("vindelkraft")
    files = generate_tenant(root / "snapshot")
    store = Store.open(root / "vindelkraft.duckdb")
    report = ingest_folder(store, files.folder)
    yield SecondTenant(files.folder, report, store, json.loads(files.answer_key.read_text()))
    store.close()


SKILLS_NOT_YET_ROUTED = frozenset({"tenant_changes"})
"""Skills the question sets cannot ask about: `tenant_changes` compares two versions of a store,
and each evaluation store holds one."""
SKILLS_NEWER_THAN_FRESH_SETS = frozenset({"docs_answer", "kql_write", "policy_draft", "report"})
"""Skills added after the fresh sets were written: they are scored by their own questions
(`docs_answer`: tests/knowledge/docs/questions.yaml; `kql_write`: the NL-to-KQL pairs, asked in
the sets as `pending: kql`; `policy_draft`: tests/ca_drafting, asked as pending; `report`:
tests/reports)."""
SKILLS_NOT_IN_FRESH_SETS = SKILLS_NOT_YET_ROUTED | SKILLS_NEWER_THAN_FRESH_SETS
