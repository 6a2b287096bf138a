"""Loads the files of the session's demo tenant (tests/conftest.py) for the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from idpilot.sources.demo import DemoSummary
from tests.conftest import DemoTenant


@dataclass
class Snapshot:
    path: Path
    summary: DemoSummary
    collections: dict[str, list[dict]]
    sign_ins: list[dict]
    audits: list[dict]
    key: dict

    def by_id(self, name: str) -> dict[str, dict]:
        return {item["id"]: item for item in self.collections[name]}


def load(path: Path, summary: DemoSummary) -> Snapshot:
    collections = {}
    for file in sorted(path.glob("*.json")):
        if file.stem in ("manifest", "scenarios"):
            continue
        document = orjson.loads(file.read_bytes())
        if isinstance(document, list):  # list responses, one per parent (a workflow's runs)
            collections[file.stem] = [item for page in document for item in page["value"]]
            continue
        # A list response, or a setting written as its singleton GET returns it.
        collections[file.stem] = document.get("value", [document])
    sign_ins = [orjson.loads(line) for line in (path / "signIns.jsonl").read_bytes().splitlines()]
    audits = [
        orjson.loads(line) for line in (path / "directoryAudits.jsonl").read_bytes().splitlines()
    ]
    collections["signIns"] = sign_ins
    collections["directoryAudits"] = audits
    key = orjson.loads((path / "scenarios.json").read_bytes())
    return Snapshot(path, summary, collections, sign_ins, audits, key)


@pytest.fixture(scope="session")
def demo(demo_tenant: DemoTenant) -> Snapshot:
    """The default demo tenant (seed 42, 300 users, 30 days), as written."""
    return load(demo_tenant.folder, demo_tenant.summary)
