"""The last or first few of a list, asked in the admin's words: the newest accounts, the last
people flagged, the last self-service resets, the last people to fail or to be blocked by
Conditional Access; and a rank no skill of the question can apply is said."""

from __future__ import annotations

import pytest

from idpilot.copilot.engine import Copilot
from tests.security.builder import TenantBuilder, iso


@pytest.fixture(scope="module")
def copilot(tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    """Five users created 1 to 5 days ago (Ann newest); Ann, Ben and Cid flagged by Identity
    Protection 3, 2 and 1 days ago (Ann's risk remediated since); Ben, Cid and Dan reset their
    own passwords 3, 2 and 1 days ago; Eve failed a sign-in on the password an hour ago, Dan
    was blocked by Conditional Access two hours ago and Cid three hours ago."""
    t = TenantBuilder()
    people = {}
    for days, name in enumerate(("Ann New", "Ben Two", "Cid Three", "Dan Four", "Eve Five"), 1):
        people[name.split()[0]] = t.user(name, createdDateTime=iso(t.ago(days=days)))
    for days, name in ((3, "Ann"), (2, "Ben"), (1, "Cid")):
        t.risk_detection(people[name], "unfamiliarFeatures", "medium", t.ago(days=days))
        state = "remediated" if name == "Ann" else "atRisk"
        t.risky_user(people[name], "medium", state=state)
    for days, name in ((3, "Ben"), (2, "Cid"), (1, "Dan")):
        person = people[name]
        t.audit(
            "Reset password (self-service)",
            t.ago(days=days),
            person,
            [t.target(person, "User")],
            category="UserManagement",
        )
    t.sign_in(people["Eve"], t.ago(hours=1), error=50126, conditionalAccessStatus="notApplied")
    for hours, name in ((2, "Dan"), (3, "Cid")):
        t.sign_in(people[name], t.ago(hours=hours), error=53003, conditionalAccessStatus="failure")
    return Copilot(t.store(tmp_path_factory.mktemp("ranked") / "snap"))


def _order(answer: str, names: list[str]) -> list[str]:
    """The names in the order the answer first says them (those it says)."""
    said = [n for n in names if n in answer]
    return sorted(said, key=answer.index)


def test_the_last_accounts_created_are_the_newest_by_creation_date(copilot: Copilot) -> None:
    answer = copilot.ask("Who are the last 2 accounts we created?")
    assert [s.name for s in answer.skills] == ["list_users"]
    assert "The last 2 created, newest first" in answer.answer
    assert _order(answer.answer, ["Ann New", "Ben Two", "Cid Three"]) == ["Ann New", "Ben Two"]


def test_the_first_user_flagged_includes_one_whose_risk_was_closed(copilot: Copilot) -> None:
    answer = copilot.ask("Who was the very first person Identity Protection flagged?")
    assert [s.name for s in answer.skills] == ["risky_users"]
    assert "Ann New" in answer.answer and "remediated" in answer.answer
    assert "Ben Two" not in answer.answer


def test_the_last_two_flagged_are_the_newest_detections(copilot: Copilot) -> None:
    answer = copilot.ask("Who are the last two users Identity Protection flagged?")
    assert _order(answer.answer, ["Ann New", "Ben Two", "Cid Three"]) == ["Cid Three", "Ben Two"]


def test_the_last_self_service_resets_are_the_newest_events(copilot: Copilot) -> None:
    answer = copilot.ask("Who were the last 2 people to reset their own password?")
    assert [s.name for s in answer.skills] == ["audit_history"]
    assert answer.skills[0].params.get("group") is None  # "people" names no group
    events = answer.answer.split("**Events**")[1]
    assert _order(events, ["Ben Two", "Cid Three", "Dan Four"]) == ["Dan Four", "Cid Three"]


def test_the_last_people_blocked_by_conditional_access_leave_out_other_failures(
    copilot: Copilot,
) -> None:
    answer = copilot.ask("who were the last 2 people conditional access blocked today?")
    assert [s.name for s in answer.skills] == ["signin_summary"]
    assert answer.skills[0].params["ca_blocked"] is True
    lead = answer.answer.split("\n\n")[0]
    assert _order(lead, ["Dan Four", "Cid Three", "Eve Five"]) == ["Dan Four", "Cid Three"]


def test_the_last_people_to_fail_are_by_their_latest_failure(copilot: Copilot) -> None:
    answer = copilot.ask("who were the last 2 people to fail signing in today?")
    lead = answer.answer.split("\n\n")[0]
    assert _order(lead, ["Dan Four", "Cid Three", "Eve Five"]) == ["Eve Five", "Dan Four"]


def test_a_rank_the_skill_cannot_apply_is_said(copilot: Copilot) -> None:
    answer = copilot.ask("Which are the last 3 groups with guests in them?")
    assert [s.name for s in answer.skills] == ["list_groups"]
    assert "the order and count asked (first or last)" in answer.answer
