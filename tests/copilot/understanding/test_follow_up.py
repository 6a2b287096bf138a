"""Follow-ups that go on with the last question: "what about the day before?" asks the same of
another day, while a follow-up with a question word of its own asks its own question."""

from __future__ import annotations

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.session import Session
from idpilot.copilot.understanding.follow_up import is_elliptic, only_another_object
from tests.conftest import DemoTenant


def test_what_about_goes_on_and_who_asks_its_own_question() -> None:
    assert is_elliptic("What about the day before?", PromptEntities())
    assert is_elliptic("how about last week?", PromptEntities())
    assert not is_elliptic("and who disabled the account?", PromptEntities())


def test_what_about_the_day_before_asks_the_same_of_that_day(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    name, day = store.con.execute(
        "SELECT userDisplayName, CAST(createdDateTime AS DATE) FROM signIns "
        "WHERE errorCode = 53003 AND userDisplayName IS NOT NULL "
        "GROUP BY ALL HAVING count(*) > 0 ORDER BY 2 DESC, 1 LIMIT 1"
    ).fetchone()
    copilot, session = Copilot(store), Session()
    first = copilot.ask(f"Show me {name}'s failed sign-ins on {day:%B} {day.day}.", session)
    answer = copilot.ask("What about the day before?", session)
    assert [s.name for s in answer.skills] == [s.name for s in first.skills]
    assert answer.skills[0].params.get("user") == first.skills[0].params.get("user")
    assert answer.skills[0].params["window"]["phrase"] == "the day before"


def test_one_it_is_the_object_the_last_answer_was_about() -> None:
    from idpilot.copilot.session import Turn
    from idpilot.copilot.understanding.follow_up import add_referents
    from idpilot.store.lookup import EntityMatch, MatchQuality

    def match(kind: str, object_id: str) -> EntityMatch:
        return EntityMatch(
            kind=kind, id=object_id, label=object_id, phrase=object_id, quality=MatchQuality.exact
        )

    person, team, app = match("user", "u1"), match("group", "g1"), match("servicePrincipal", "a1")
    session = Session()
    session.remember(
        Turn(
            prompt="Zofia (Shared Services): Kvitto Expenses kept refusing her. What went wrong?",
            skill="signin_troubleshoot",
            params={"user": "u1", "app": "a1"},
            subjects=[person, team, app],
            status="ok",
        )
    )
    entities = PromptEntities()
    add_referents(entities, session, "Did she get back in to it afterwards?")
    assert sorted(m.id for m in entities.matches) == ["a1", "u1"]


def test_advice_asked_about_the_last_answer_goes_on_with_it(demo_tenant: DemoTenant) -> None:
    assert is_elliptic("What would you change first?", PromptEntities())
    assert is_elliptic("ok, where do we start?", PromptEntities())
    copilot, session = Copilot(demo_tenant.store), Session()
    first = copilot.ask("Is our Conditional Access design sound? Where are the gaps?", session)
    answer = copilot.ask("What would you change first?", session)
    assert [s.name for s in answer.skills] == [s.name for s in first.skills]


def test_the_last_question_asked_again_is_about_the_same_person(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    name, day = store.con.execute(
        "SELECT userDisplayName, CAST(createdDateTime AS DATE) FROM signIns "
        "WHERE errorCode = 53003 AND userDisplayName IS NOT NULL "
        "ORDER BY createdDateTime DESC, id LIMIT 1"
    ).fetchone()
    copilot, session = Copilot(store), Session()
    first = copilot.ask(f"why was {name} blocked on {day:%B} {day.day}?", session)
    again = copilot.ask(f"And the failure on {day:%B} {day.day - 1}, same reason?", session)
    assert again.skills[0].params.get("user") == first.skills[0].params["user"]
    # A new question naming no one is not pinned on the last person.
    other = copilot.ask("which users failed MFA most this week?", session)
    assert all(c.params.get("user") is None for c in other.skills)


def test_a_follow_up_going_on_keeps_the_last_window_and_person(demo_tenant: DemoTenant) -> None:
    copilot, session = Copilot(demo_tenant.store), Session()
    first = copilot.ask("anything suspicious during the weekend?", session)
    again = copilot.ask("did they get into any account?", session)
    assert [s.name for s in again.skills] == [s.name for s in first.skills]
    assert again.skills[0].params["window"] == first.skills[0].params["window"]
    # "would it have worked ...": a what-if about the person the last turn was about.
    name = demo_tenant.answer_key["personas"]["alice_johnson"]["displayName"]
    session = Session()
    troubled = copilot.ask(f"why did {name} fail to get into the finance portal?", session)
    whatif = copilot.ask("would it have worked from the office on a compliant laptop?", session)
    assert whatif.skills[0].name == "ca_whatif"
    assert whatif.skills[0].params["user"] == troubled.skills[0].params["user"]


def test_a_what_if_after_a_shared_first_name_is_about_the_one_the_answer_settled_on(
    demo_tenant: DemoTenant,
) -> None:
    persona = demo_tenant.answer_key["personas"]["alice_johnson"]
    first = persona["displayName"].split()[0]
    shared = demo_tenant.store.scalar(
        "SELECT count(*) FROM users WHERE givenName = ? OR displayName LIKE ? || ' %'",
        [first, first],
    )
    assert shared > 1  # the first name alone is several people
    app = demo_tenant.store.scalar(
        "SELECT displayName FROM servicePrincipals WHERE displayName ILIKE '%finance portal%'"
    )
    copilot, session = Copilot(demo_tenant.store), Session()
    copilot.ask(f"{first} can't open {app} this morning. Can you see why?", session)
    whatif = copilot.ask("Would it have worked from a compliant laptop at the office?", session)
    [call] = whatif.skills
    assert call.name == "ca_whatif" and call.params["user"] == persona["id"]
    assert call.params.get("app")  # "it": the app the last answer was about


def test_a_follow_up_changing_one_thing_keeps_the_rest(demo_tenant: DemoTenant) -> None:
    from idpilot.copilot.understanding.follow_up import narrows

    assert narrows("Only the ones holding an admin role.") and narrows("same for Paris")
    copilot, session = Copilot(demo_tenant.store), Session()
    first = copilot.ask("which guest accounts do we have?", session)
    narrowed = copilot.ask("Only the ones holding an admin role.", session)
    assert [s.name for s in narrowed.skills] == [s.name for s in first.skills] == ["list_users"]
    params = narrowed.skills[0].params
    assert params["user_type"] == "Guest" and params["privileged"] is True
    session = Session()
    copilot.ask("any failed sign-ins from Seattle today?", session)
    moved = copilot.ask("Same for Paris.", session)
    assert moved.skills[0].params.get("cities") == ["Paris"]


def test_a_follow_up_of_a_few_words_asks_the_last_question_again(demo_tenant: DemoTenant) -> None:
    copilot, session = Copilot(demo_tenant.store), Session()
    first = copilot.ask("did the onboarding workflow fail for anyone last week?", session)
    again = copilot.ask("And this week?", session)
    assert [s.name for s in again.skills] == [s.name for s in first.skills]


def test_a_correction_asks_the_last_question_again_with_one_thing_changed(
    demo_tenant: DemoTenant,
) -> None:
    copilot, session = Copilot(demo_tenant.store), Session()
    first = copilot.ask("who holds Global Administrator, active or eligible?", session)
    assert [s.name for s in first.skills] == ["role_holders"]
    role = session.last_turn().params["role"]
    again = copilot.ask(
        "no, not the standing ones. just the people who have to activate it through PIM", session
    )
    assert [s.name for s in again.skills] == ["role_holders"]
    assert session.last_turn().params == {"role": role, "assignment": "eligible"}


def test_corrections_read_as_the_last_question_changed() -> None:
    from idpilot.copilot.understanding.follow_up import narrows

    for said in (
        "no, by IP address, not by user",
        "sorry, not this week, I meant since the start of the month",
        "no sorry i meant the other alice, the one in Marketing",
        "not him, the guest",
    ):
        assert narrows(said), said
    assert not narrows("who is the manager of Alice?")


@pytest.mark.parametrize(
    ("prompt", "other"),
    [
        ("and Soren, same window?", True),
        ("what about Bob Martinez?", True),
        ("ok and the finance portal too?", True),
        ("and who disabled the account?", False),
        ("and his risk?", False),
        ("what about apps?", False),
        ("what about it is failing for her?", False),
        ("and the people in sales who have never signed in since the migration?", False),
    ],
)
def test_only_another_object_for_the_last_question(prompt: str, other: bool) -> None:
    assert only_another_object(prompt) is other
