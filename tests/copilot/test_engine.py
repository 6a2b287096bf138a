"""End to end through the copilot: planning, skills, citations, refusals, hostile data."""

from __future__ import annotations

import pytest

from idpilot.copilot.answer import AnswerStatus
from idpilot.copilot.engine import Copilot
from idpilot.copilot.session import Session
from idpilot.errors import PromptError
from tests.fixture_tenant import ALICE_A, ALICE_B, BOB, GROUP_INNER, GROUP_OUTER, HOSTILE


@pytest.mark.parametrize(
    "prompt",
    [
        "Who is Bob Stone?",
        "tell me about bob.stone@fabrikam.test",
        f"details for {BOB}",
        "what licences and auth methods does Bob Stone have",
        "who is Bob Stoen",  # typo
        "Tell me about Bob",
    ],
)
def test_user_details_by_any_reference(copilot: Copilot, prompt: str) -> None:
    answer = copilot.ask(prompt)
    assert answer.status is AnswerStatus.ok
    assert [s.name for s in answer.skills] == ["user_details"]
    cited = {c.id for c in answer.citations}
    assert BOB in cited and "ra-1" in cited and "si-1" in cited
    assert "Global Administrator" in answer.answer
    assert "bob.stone@fabrikam.test" in answer.answer


def test_a_first_name_shared_by_two_users_asks_which(copilot: Copilot) -> None:
    answer = copilot.ask("tell me about alice")
    assert answer.status is AnswerStatus.ambiguous
    assert {e.id for e in answer.evidence} == {ALICE_A, ALICE_B}
    assert "Alice Archer" in answer.answer and "Alice Brook" in answer.answer


def test_full_name_resolves_the_ambiguity(copilot: Copilot) -> None:
    answer = copilot.ask("tell me about Alice Brook")
    assert answer.status is AnswerStatus.ok
    assert ALICE_B in {c.id for c in answer.citations}
    assert ALICE_A not in {c.id for c in answer.citations}


def test_group_members_are_listed_transitively_with_owners(copilot: Copilot) -> None:
    answer = copilot.ask("who are the members of Finance Approvers?")
    assert [s.name for s in answer.skills] == ["group_details"]
    cited = {c.id for c in answer.citations}
    assert {GROUP_OUTER, GROUP_INNER, BOB, ALICE_A} <= cited
    assert "through nested groups" in answer.answer


def test_nested_membership_shows_in_user_details(copilot: Copilot) -> None:
    answer = copilot.ask("which groups is Alice Archer a member of")
    assert "Finance Approvers" in answer.answer and "through a nested group" in answer.answer


def test_unknown_user_is_named_back(copilot: Copilot) -> None:
    answer = copilot.ask("Who is Zed Zedson?")
    assert answer.status is AnswerStatus.not_found
    assert "Zed Zedson" in answer.answer and not answer.citations


def test_out_of_scope_prompt_is_refused_with_suggestions(copilot: Copilot) -> None:
    answer = copilot.ask("write me a poem about the sea")
    assert answer.status is AnswerStatus.out_of_scope
    assert answer.limits and not answer.skills


def test_prompt_over_the_limit_is_refused(copilot: Copilot) -> None:
    with pytest.raises(PromptError, match="limit is 4,000"):
        copilot.ask("who is bob " * 1000)
    with pytest.raises(PromptError, match="empty"):
        copilot.ask("   ")


def test_hostile_display_name_is_inert_data(copilot: Copilot) -> None:
    answer = copilot.ask(f"tell me about {HOSTILE}")
    assert answer.status is AnswerStatus.ok
    assert "[click me](http" not in answer.answer
    assert r"\[click me\]" in answer.answer
    assert HOSTILE in {c.id for c in answer.citations}


def test_every_citation_points_at_evidence_in_the_answer(copilot: Copilot) -> None:
    answer = copilot.ask("Who is Bob Stone?")
    evidence = {(e.kind, e.id) for e in answer.evidence}
    assert all((c.kind, c.id) in evidence for c in answer.citations)
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for citation in answer.citations:
        assert f"[{citation.n}]" in answer.answer


def test_follow_up_pronoun_points_back_at_the_previous_user(copilot: Copilot) -> None:
    session = Session()
    copilot.ask("Who is Bob Stone?", session)
    answer = copilot.ask("what groups is he in?", session)
    assert answer.status is AnswerStatus.ok
    assert BOB in {c.id for c in answer.citations}


def test_answering_a_clarifying_question_reruns_the_question(copilot: Copilot) -> None:
    session = Session()
    first = copilot.ask("tell me about alice", session)
    assert first.status is AnswerStatus.ambiguous
    answer = copilot.ask("Alice Brook", session)
    assert answer.status is AnswerStatus.ok
    assert [s.name for s in answer.skills] == ["user_details"]
    assert ALICE_B in {c.id for c in answer.citations}


def test_without_a_session_a_pronoun_names_nobody(copilot: Copilot) -> None:
    assert copilot.ask("what groups is he in?").status is not AnswerStatus.ok


def test_records_sharing_an_id_are_cited_separately(copilot: Copilot) -> None:
    answer = copilot.ask("Who is Bob Stone?")
    cited = {(c.kind, c.id) for c in answer.citations}
    assert {("user", BOB), ("riskyUser", BOB), ("userRegistrationDetails", BOB)} <= cited
    assert len({c.n for c in answer.citations}) == len(answer.citations)


@pytest.mark.parametrize(
    ("prompt", "skill"),
    [
        ("What do you know about Bob Stone?", "user_details"),
        ("Bob Stone", "user_details"),
        ("what do you know about Finance Approvers", "group_details"),
    ],
)
def test_a_prompt_that_is_little_more_than_a_name_describes_it(
    copilot: Copilot, prompt: str, skill: str
) -> None:
    answer = copilot.ask(prompt)
    assert answer.status is AnswerStatus.ok
    assert [s.name for s in answer.skills] == [skill]


def test_user_details_lists_owned_groups_and_devices_seen(copilot: Copilot) -> None:
    answer = copilot.ask("Who is Bob Stone?")
    assert "Finance Approvers (group)" in answer.answer
    assert ("group", GROUP_OUTER) in {(c.kind, c.id) for c in answer.citations}
    assert "No device identified in the recorded sign-ins." in answer.answer
