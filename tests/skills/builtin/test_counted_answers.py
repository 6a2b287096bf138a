"""A count asked is the answer's first words: "how many times was Hugo refused?" starts with
how many failed attempts there were, then the latest explained."""

from __future__ import annotations

from pathlib import Path

from idpilot.copilot.engine import Copilot
from tests.security.builder import TenantBuilder


def test_how_many_times_a_sign_in_failed_is_answered_with_the_count(tmp_path: Path) -> None:
    t = TenantBuilder()
    hugo = t.user("Hugo Admin")
    for hours in (5, 4, 3):
        t.sign_in(hugo, t.ago(hours=hours), error=53003)
    t.sign_in(hugo, t.ago(hours=2), error=0)
    copilot = Copilot(t.store(tmp_path / "snap"))
    answer = copilot.ask("How many times has Hugo Admin been refused so far?")
    assert [s.name for s in answer.skills] == ["signin_troubleshoot"]
    assert answer.answer.startswith("**3 failed sign-in attempts** in the snapshot; the latest:")
    # Asked why, the answer starts with the failure itself.
    why = copilot.ask("Why was Hugo Admin refused?")
    assert why.answer.startswith("**Hugo Admin**")


def test_users_over_a_number_of_failures_are_counted_and_listed(tmp_path: Path) -> None:
    t = TenantBuilder()
    many, few = t.user("Many Fails"), t.user("Few Fails")
    for minutes in range(7):
        t.sign_in(many, t.ago(hours=3, minutes=minutes), error=50126)
    for minutes in range(2):
        t.sign_in(few, t.ago(hours=3, minutes=minutes), error=50126)
    copilot = Copilot(t.store(tmp_path / "snap"))
    answer = copilot.ask("did anyone type a wrong password more than 5 times today?")
    assert [s.name for s in answer.skills] == ["signin_summary"]
    lead = next(p for p in answer.answer.split("\n\n") if "had at least" in p)
    assert lead.startswith("**1 user** had at least 6 failed sign-ins")
    assert "Many Fails" in lead and "Few Fails" not in lead
