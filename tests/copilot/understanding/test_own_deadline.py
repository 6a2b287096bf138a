"""A time that dates the admin's own coming action filters nothing."""

from __future__ import annotations

from idpilot.copilot.understanding.own_deadline import dates_the_askers_own_action


def test_the_askers_deadline_is_no_window() -> None:
    prompt = "Which admins have no MFA? I'd like to chase them up before Monday."
    assert dates_the_askers_own_action(prompt, "monday")
    assert dates_the_askers_own_action("We need the list for Friday's audit", "friday")


def test_a_time_of_what_is_asked_stays() -> None:
    assert not dates_the_askers_own_action("who signed in before Monday?", "monday")
    assert not dates_the_askers_own_action(
        "I need to know who reset Bob's password before Monday", "monday"
    )
    assert not dates_the_askers_own_action("which admins have no MFA?", None)
