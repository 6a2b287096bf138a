"""Follow-ups that correct the last question: "not him, the guy in Kraków who couldn't get in",
"sorry, everyone only eligible for a role"."""

from __future__ import annotations

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.copilot.session import Session
from tests.security.builder import TenantBuilder

GA = "62e90394-69f5-4237-9190-012177145e10"
HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8"


@pytest.fixture(scope="module")
def copilot(tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    """Hugo holds Global Administrator, Gina is eligible for it, Ivo for Helpdesk Administrator;
    Hugo failed at Exchange this morning, and of six people in Kraków Kai failed at the portal."""
    t = TenantBuilder()
    t.role(GA, "Global Administrator")
    t.role(HELPDESK_ADMIN, "Helpdesk Administrator")
    hugo = t.user("Hugo Admin", city="Oslo")
    t.assign(hugo, GA)
    t.assign(t.user("Gina Eligible", city="Oslo"), GA, eligible=True)
    t.assign(t.user("Ivo Eligible", city="Oslo"), HELPDESK_ADMIN, eligible=True)
    people = [t.user(name, city="Kraków") for name in ("Kai", "Lea", "Mo", "Nia", "Oda", "Pia")]
    portal = t.service_principal("Azure Portal")
    t.sign_in(hugo, t.ago(hours=3), error=53003)
    t.sign_in(people[0], t.ago(hours=2), error=50126, appId=portal["appId"],
              appDisplayName="Azure Portal")  # fmt: skip
    return Copilot(t.store(tmp_path_factory.mktemp("corrections") / "snap"))


def test_not_him_sets_the_last_person_aside_for_the_one_described(copilot: Copilot) -> None:
    session = Session()
    copilot.ask("why did Hugo Admin's sign-in fail this morning?", session)
    answer = copilot.ask(
        "wait not him, the guy in Kraków who couldnt get into the azure portal", session
    )
    kai = copilot.store.scalar("SELECT id FROM users WHERE displayName = 'Kai'")
    assert [(s.name, s.params.get("user")) for s in answer.skills] == [("signin_troubleshoot", kai)]


def test_a_correction_to_any_role_drops_the_role_asked_before(copilot: Copilot) -> None:
    session = Session()
    copilot.ask("List the Global Administrators.", session)
    answer = copilot.ask("Sorry, I meant everyone who is only PIM-eligible for a role.", session)
    assert [s.name for s in answer.skills] == ["role_holders"]
    assert "role" not in answer.skills[0].params
    assert "Gina Eligible" in answer.answer and "Ivo Eligible" in answer.answer
    assert "Hugo Admin" not in answer.answer


def test_a_correction_that_keeps_the_role_keeps_it(copilot: Copilot) -> None:
    session = Session()
    copilot.ask("List the Global Administrators.", session)
    answer = copilot.ask("Sorry, I meant just the eligible ones.", session)
    assert answer.skills[0].params.get("role") == GA
    assert "Ivo Eligible" not in answer.answer
