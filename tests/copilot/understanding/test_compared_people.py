"""People set side by side: the question asked of each, and a lead that says what they share
and what only one of them has."""

from __future__ import annotations

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.copilot.session import Session
from tests.security.builder import TenantBuilder

GA = "62e90394-69f5-4237-9190-012177145e10"
SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d"
HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8"


@pytest.fixture(scope="module")
def copilot(tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    """Vera Admin holds Global Administrator and Security Administrator; Otto Admin holds
    Global Administrator and is eligible for Helpdesk Administrator; Vera is at high risk with
    two detections, Otto at low risk; Mira Manager manages Vera and owns nothing."""
    t = TenantBuilder()
    for template, name in (
        (GA, "Global Administrator"),
        (SECURITY_ADMIN, "Security Administrator"),
        (HELPDESK_ADMIN, "Helpdesk Administrator"),
    ):
        t.role(template, name)
    mira = t.user("Mira Manager", department="IT")
    vera = t.user(
        "Vera Admin",
        department="IT",
        manager={"@odata.type": "#microsoft.graph.user", "id": mira["id"], "displayName": "x"},
    )
    otto = t.user("Otto Admin", department="IT")
    t.user("Nora Other", department="Sales")
    t.assign(vera, GA)
    t.assign(vera, SECURITY_ADMIN)
    t.assign(otto, GA)
    t.assign(otto, HELPDESK_ADMIN, eligible=True)
    t.registration(vera, ["microsoftAuthenticatorPush", "fido2"])
    t.registration(otto, ["microsoftAuthenticatorPush", "mobilePhone"])
    t.risky_user(vera, "high")
    t.risky_user(otto, "low")
    for days in (2, 3):
        t.risk_detection(vera, "unfamiliarFeatures", "high", t.ago(days=days))
    t.risk_detection(otto, "unfamiliarFeatures", "low", t.ago(days=4))
    t.risk_detection(mira, "anonymizedIPAddress", "medium", t.ago(days=5))
    t.risky_user(mira, "medium")
    return Copilot(t.store(tmp_path_factory.mktemp("compared") / "snap"))


def test_the_same_roles_asked_of_two_people_answers_for_each_and_says_the_difference(
    copilot: Copilot,
) -> None:
    answer = copilot.ask("Does Otto Admin have the same admin rights as Vera Admin?")
    assert [s.name for s in answer.skills] == ["user_roles", "user_roles"]
    lead = answer.answer.split("\n\n")[0]
    assert lead.startswith("**No**")
    assert "Shared: Global Administrator (active)" in lead
    assert "Only Otto Admin: Helpdesk Administrator (eligible)" in lead
    assert "Only Vera Admin: Security Administrator (active)" in lead


def test_methods_compared_are_the_registered_methods(copilot: Copilot) -> None:
    answer = copilot.ask("Has Vera Admin registered the same MFA methods as Otto Admin?")
    assert [s.name for s in answer.skills] == ["user_details", "user_details"]
    lead = answer.answer.split("\n\n")[0]
    assert "Only Vera Admin: fido2" in lead and "Only Otto Admin: mobilePhone" in lead


def test_who_is_the_bigger_worry_compares_their_risk(copilot: Copilot) -> None:
    answer = copilot.ask("Who is the bigger worry right now, Otto Admin or Vera Admin?")
    assert [s.name for s in answer.skills] == ["risky_user_summary", "risky_user_summary"]
    assert answer.answer.startswith("**Vera Admin** is at higher risk now.")


def test_two_people_named_without_comparing_them_are_not_split(copilot: Copilot) -> None:
    answer = copilot.ask("What roles does Vera Admin hold?")
    assert [s.name for s in answer.skills] == ["user_roles"]


def test_people_named_as_one_list_are_each_asked_about(copilot: Copilot) -> None:
    """ "check Vera, Otto and Mira for risk": a first name one person has is that person, and
    a list of names is the question asked of each."""
    answer = copilot.ask("check Vera, Otto and Mira for risk, please")
    assert [s.name for s in answer.skills] == ["risky_user_summary"] * 3
    users = [s.params.get("user") for s in answer.skills]
    assert len(set(users)) == 3


def test_a_list_of_people_asked_what_was_done_to_them_reads_each_ones_audit(
    copilot: Copilot,
) -> None:
    answer = copilot.ask(
        "did any of Vera Admin, Otto Admin or Nora Other have their password reset?"
    )
    assert [s.name for s in answer.skills] == ["audit_history"] * 3


def test_a_pronoun_after_who_is_x_manager_means_the_manager(copilot: Copilot) -> None:
    session = Session()
    first = copilot.ask("Who is Vera Admin's manager?", session)
    assert "Mira Manager" in first.answer
    answer = copilot.ask("Is she risky right now?", session)
    assert [(s.name, s.params.get("user")) for s in answer.skills] == [
        ("risky_user_summary", copilot.store.scalar(
            "SELECT id FROM users WHERE displayName = 'Mira Manager'"
        ))
    ]  # fmt: skip


def test_a_pronoun_after_a_question_about_the_person_means_that_person(copilot: Copilot) -> None:
    session = Session()
    copilot.ask("Tell me about Vera Admin", session)
    answer = copilot.ask("Is she risky right now?", session)
    vera = copilot.store.scalar("SELECT id FROM users WHERE displayName = 'Vera Admin'")
    assert [s.params.get("user") for s in answer.skills] == [vera]


def test_and_another_person_asks_the_last_question_of_them(copilot: Copilot) -> None:
    """ "and Otto Admin, same question?" after Vera's roles: Otto's roles, not his account."""
    session = Session()
    copilot.ask("Which admin roles does Vera Admin hold?", session)
    answer = copilot.ask("and Otto Admin, same question?", session)
    assert [s.name for s in answer.skills] == ["user_roles"]
    assert "Helpdesk Administrator" in answer.answer
