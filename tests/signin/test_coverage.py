"""ca_coverage on the fixture tenant: every finding is exact and cited."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from idpilot.skills import default_registry
from signin.tenant import P, U


def _facts(store):
    return default_registry().get("ca_coverage").run(store, {}).facts


def test_mfa_gap_counts_users_outside_every_mfa_policy(store) -> None:
    gap = _facts(store).mfa_gap
    assert set(gap["covering_policy_ids"]) == {P["mfa"], P["admin_mfa"], P["never"]}
    # Larry is in the MFA exclusion group; break-glass is excluded too but is a Global Admin.
    assert gap["uncovered_count"] == 1
    assert [u["id"] for u in gap["uncovered"]] == [U["larry"]]


def test_legacy_blocked(store) -> None:
    legacy = _facts(store).legacy
    assert legacy["blocked"] and legacy["blocking_policy_ids"] == [P["legacy"]]


def test_break_glass_not_excluded_from_legacy_block(store) -> None:
    [account] = _facts(store).break_glass
    assert account["id"] == U["bg"]
    assert account["not_excluded_from_block_policy_ids"] == [P["legacy"]]


def test_report_only_would_block(store) -> None:
    [policy] = _facts(store).report_only
    assert policy["id"] == P["report_only"] and policy["would_block"] >= 2


def test_never_apply(store) -> None:
    [never] = _facts(store).never_apply
    assert never["id"] == P["never"]
    assert "excludes every user" in never["why"][0]


def test_overlaps_and_exclusion_holes(store) -> None:
    facts = _facts(store)
    pairs = {tuple(sorted(o["policy_ids"])): o["kind"] for o in facts.overlaps}
    assert pairs[tuple(sorted([P["legacy"], P["report_only"]]))] == "conflict"
    holes = {h["id"]: h for h in facts.exclusion_holes}
    assert holes[P["mfa"]]["affected_count"] == 2  # break-glass and the MFA exclusion group
    assert {u["id"] for u in holes[P["mfa"]]["affected"]} == {U["bg"], U["larry"]}


def test_ask_coverage(store) -> None:
    answer = Copilot(store).ask("Where are the gaps in our Conditional Access policies?")
    assert answer.skills[0].name == "ca_coverage"
    assert "Emergency Access 01" in answer.answer
    assert P["never"] in {c.id for c in answer.citations}
