"""What a pronoun in a follow-up points back at: the one object the last question asked for,
or the one item the last list held, else what the last question was about."""

from __future__ import annotations

from idpilot.copilot.entities import EntityMatch, MatchQuality
from idpilot.copilot.session import Session, Turn


def _match(kind: str, name: str) -> EntityMatch:
    return EntityMatch(
        kind=kind, id=f"{kind}-{name}", label=name, detail="", phrase="", quality=MatchQuality.id
    )


def _session(prompt: str, subjects: list[EntityMatch], listed: list[EntityMatch]) -> Session:
    session = Session()
    session.remember(
        Turn(prompt=prompt, skill="x", params={}, subjects=subjects, status="ok", listed=listed)
    )
    return session


def test_after_who_is_x_manager_she_is_the_manager() -> None:
    ainhoa, nuria = _match("user", "Ainhoa"), _match("user", "Nuria")
    session = _session("Who is Ainhoa's manager?", [ainhoa], [ainhoa, nuria])
    referent = session.referent("Is she risky right now?", "user")
    assert referent is not None and referent.id == nuria.id and referent.phrase == "she"


def test_after_a_question_about_a_person_she_is_that_person() -> None:
    ainhoa, nuria = _match("user", "Ainhoa"), _match("user", "Nuria")
    session = _session("Tell me about Ainhoa", [ainhoa], [ainhoa, nuria])
    referent = session.referent("Is she risky right now?", "user")
    assert referent is not None and referent.id == ainhoa.id


def test_after_a_list_of_one_that_one_is_the_item() -> None:
    kestrel = _match("group", "Kestrel")
    session = _session("Which of our Teams have no members?", [], [kestrel])
    referent = session.referent("Who owns that one?", "group")
    assert referent is not None and referent.id == kestrel.id


def test_after_a_list_of_two_that_one_is_nothing() -> None:
    session = _session("Which groups are empty?", [], [_match("group", "A"), _match("group", "B")])
    assert session.referent("Who owns that one?", "group") is None


def test_after_who_owns_an_app_with_two_owners_that_person_is_not_guessed() -> None:
    app = _match("servicePrincipal", "Payroll")
    owners = [_match("user", "Kathe"), _match("user", "Lars")]
    session = _session("Who owns the payroll app?", [app], [app, *owners])
    assert session.referent("Does that person own other apps?", "user") is None


def test_an_address_the_last_answer_spoke_of_is_meant_only_when_pointed_at() -> None:
    session = Session()
    session.remember(
        Turn(
            prompt="Did anyone spray passwords at us?",
            skill="detect_threats",
            params={},
            subjects=[],
            status="ok",
            answered_ips=["198.51.100.66"],
        )
    )
    assert session.referred_values("KQL for every sign-in from that IP") == ([], ["198.51.100.66"])
    assert session.referred_values("would it have worked from the office?") == ([], [])
