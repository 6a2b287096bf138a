"""The second evaluation tenant, generated and ingested once per test run."""

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
from tests.built_once import built_once, private_copy


@dataclass
class SecondTenant:
    """Vindelkraft: its snapshot folder, ingest report, store and answer key."""

    folder: Path
    report: IngestReport
    store: Store
    answer_key: dict[str, Any]


def _build_second_tenant(folder: Path) -> tuple[IngestReport, Path]:
    """Generate Vindelkraft into `folder`/snapshot, ingest it into vindelkraft.duckdb; the
    ingest's report and the answer key's path."""
    files = generate_tenant(folder / "snapshot")
    with Store.open(folder / "vindelkraft.duckdb") as store:
        report = ingest_folder(store, files.folder)
    return report, files.answer_key


def open_second_tenant(tmp_path_factory: pytest.TempPathFactory) -> SecondTenant:
    """Vindelkraft, built once per test run; a store of the caller's own (the caller closes
    it) over the shared snapshot folder."""
    built, (report, answer_key) = built_once(tmp_path_factory, "vindelkraft", _build_second_tenant)
    store = private_copy(built / "vindelkraft.duckdb", tmp_path_factory.mktemp("vindelkraft"))
    return SecondTenant(built / "snapshot", report, store, json.loads(answer_key.read_text()))


@pytest.fixture(scope="session")
def second_tenant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecondTenant]:
    """Generated and ingested once; tests only read it."""
    tenant = open_second_tenant(tmp_path_factory)
    yield tenant
    tenant.store.close()


SKILLS_NOT_YET_ROUTED = frozenset({"tenant_changes"})
"""Skills the question sets cannot ask about: `tenant_changes` compares two versions of a store,
and each evaluation store holds one."""
SKILLS_NEWER_THAN_FRESH_SETS = frozenset({"docs_answer", "kql_write", "policy_draft", "report"})
"""Skills added after the fresh sets were written: they are scored by their own questions
(`docs_answer`: tests/knowledge/docs/questions.yaml; `kql_write`: the NL-to-KQL pairs, asked in
the sets as `pending: kql`; `policy_draft`: tests/ca_drafting, asked as pending; `report`:
tests/reports)."""
SKILLS_NOT_IN_FRESH_SETS = SKILLS_NOT_YET_ROUTED | SKILLS_NEWER_THAN_FRESH_SETS
