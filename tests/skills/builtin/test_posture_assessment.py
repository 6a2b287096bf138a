"""posture_assessment states each passed check by name, citing what shows it passes."""

from __future__ import annotations

from pathlib import Path

from idpilot.copilot.composer import CitationBook, compose
from idpilot.skills import default_registry
from tests.security.builder import TenantBuilder


def test_passed_legacy_block_is_named_and_its_policy_cited(tmp_path: Path) -> None:
    t = TenantBuilder()
    t.user("Any User")
    block = t.policy("Block legacy clients", controls=["block"],
                     clientAppTypes=["exchangeActiveSync", "other"])  # fmt: skip
    store = t.store(tmp_path / "snap")
    result = default_registry().get("posture_assessment").run(store, {})
    [legacy] = [p for p in result.facts.passed if p["id"] == "IDP-CA-001"]
    assert [e["id"] for e in legacy["evidence"]] == [block["id"]]
    book = CitationBook(result.evidence)
    text = compose(result, book)
    line = next(line for line in text.splitlines() if "IDP-CA-001" in line)
    assert "Legacy authentication is blocked" in line and "Block legacy clients" in line
    assert block["id"] in {record_id for _, record_id in book.cited()}
