"""ca_coverage names switched-off policies, policies that can never apply, and exclusions."""

from __future__ import annotations

from pathlib import Path

from idpilot.copilot.composer import CitationBook, compose
from idpilot.skills import default_registry
from tests.security.builder import TenantBuilder


def _coverage(tmp_path: Path):
    t = TenantBuilder()
    alice, bob = t.user("Alice Office"), t.user("Bob Roaming")
    t.user("Gone Person", accountEnabled=False)
    travellers = t.group("Travellers", [bob])
    empty = t.group("Pilot Tablets", [])
    pilot = t.policy("Pilot: compliant tablets", state="enabledForReportingButNotEnforced",
                     include_users=[], controls=["compliantDevice"])  # fmt: skip
    pilot["conditions"]["users"]["includeGroups"] = [empty["id"]]
    off = t.policy("Old: MFA for risky users", state="disabled")
    block = t.policy("Block abroad", controls=["block"], exclude_groups=[travellers["id"]],
                     exclude_users=[alice["id"]])  # fmt: skip
    platforms = t.policy("Android only, but not Android",
                         platforms={"includePlatforms": ["android"],
                                    "excludePlatforms": ["android"]})  # fmt: skip
    store = t.store(tmp_path / "snap")
    result = default_registry().get("ca_coverage").run(store, {})
    book = CitationBook(result.evidence)
    ids = {"pilot": pilot, "off": off, "block": block, "platforms": platforms}
    return result, compose(result, book), book, ids, travellers, empty, bob


def test_switched_off_and_unreachable_policies_are_named_and_cited(tmp_path: Path) -> None:
    result, text, book, p, _, empty, _ = _coverage(tmp_path)
    [off] = result.facts.switched_off
    assert (off["id"], off["enforces"]) == (p["off"]["id"], "require mfa")
    never = {n["id"]: n for n in result.facts.never_apply}
    assert "no enabled members" in never[p["pilot"]["id"]]["why"][0]
    assert [g["id"] for g in never[p["pilot"]["id"]]["groups"]] == [empty["id"]]
    assert never[p["platforms"]["id"]]["why"] == ["excludes every device platform it includes"]
    assert "Old: MFA for risky users" in text and "Pilot: compliant tablets" in text
    cited = {record_id for _, record_id in book.cited()}
    assert {p["off"]["id"], p["pilot"]["id"], empty["id"]} <= cited


def test_exclusion_holes_name_the_excluded_groups_and_what_they_escape(tmp_path: Path) -> None:
    result, text, book, p, travellers, _, bob = _coverage(tmp_path)
    hole = next(h for h in result.facts.exclusion_holes if h["id"] == p["block"]["id"])
    assert hole["exempts_from"] == "block access"
    assert [g["displayName"] for g in hole["excluded_groups"]] == ["Travellers"]
    assert bob["id"] in {u["id"] for u in hole["affected"]}
    assert "excluded groups: Travellers" in text
    assert travellers["id"] in {record_id for _, record_id in book.cited()}
