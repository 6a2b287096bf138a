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


def test_checks_the_snapshot_cannot_decide_are_said_with_what_is_missing(tmp_path: Path) -> None:
    t = TenantBuilder()
    t.user("Any User")
    result = default_registry().get("posture_assessment").run(t.store(tmp_path / "snap"), {})
    unknown = {u["id"]: u["missing"] for u in result.facts.unknown}
    assert unknown["IDP-GST-002"] == ["authorizationPolicy"]
    assert result.facts.counts["unknown"] == len(unknown)
    text = compose(result, CitationBook(result.evidence))
    assert f"{len(unknown)} could not be decided" in text
    assert "IDP-GST-002 (missing authorizationPolicy)" in text.replace("\\", "")


def test_a_failed_setting_is_cited_as_the_setting_record(tmp_path: Path) -> None:
    t = TenantBuilder()
    t.user("Any User")
    t.add("authorizationPolicy", {"id": "authorizationPolicy",
                                  "displayName": "Authorization Policy",
                                  "allowInvitesFrom": "everyone"})  # fmt: skip
    result = default_registry().get("posture_assessment").run(t.store(tmp_path / "snap"), {})
    [invites] = [f for f in result.facts.failed if f["id"] == "IDP-GST-002"]
    assert invites["affected"][0]["kind"] == "authorizationPolicy"
    book = CitationBook(result.evidence)
    text = compose(result, book)
    assert ("authorizationPolicy", "authorizationPolicy") in set(book.cited())
    assert "allowInvitesFrom: everyone" in text
