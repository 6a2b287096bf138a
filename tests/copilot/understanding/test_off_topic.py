"""Requests with nothing of identity work in them are refused, even naming the tenant's places."""

from __future__ import annotations

import pytest

from idpilot.copilot.understanding.off_topic import device_action, off_topic


@pytest.mark.parametrize(
    "prompt",
    [
        "Push a GPO that maps the S: drive for everyone in the Oslo office.",
        "Swap Saturday's night shift at the Lyon plant to the B crew.",
        "What's the wind forecast for the North Sea park tomorrow?",
        "Can you restart the historian service on the control-room server?",
        "Kindly write a leave application to my manager for next week.",
        "could you book the big meeting room in Leeds for Friday",
        "what's a good place for a team lunch? we're celebrating passing the audit",
        "What's our Defender exposure score this week?",
        "translate the board minutes from Monday into Polish for the Kraków office",
    ],
)
def test_actions_and_subjects_no_tenant_holds_are_off_topic(prompt: str) -> None:
    assert off_topic(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "Which sign-ins came from the night shift at the Lyon plant?",
        "Push MFA registration to everyone in the Oslo office: who has none?",
        "the job application portal keeps failing for Dana",
        "anything weird going on this week?",
        "what changed since Monday?",
        "and the second one?",
        "did anyone's account get locked out over the holidays?",
        "Alice in Finance says the portal kicked her out at lunch. any idea?",
        "we had lunch with the auditors. which admin roles did they ask about?",
    ],
)
def test_a_word_of_identity_work_or_no_foreign_subject_keeps_it_in_scope(prompt: str) -> None:
    assert not off_topic(prompt)


@pytest.mark.parametrize(
    ("prompt", "acts"),
    [
        ("Remote wipe Alice's Autopilot laptop from Intune, now.", True),
        ("factory reset the kiosk tablets in Oslo", True),
        ("retire Bob's old iPhone", True),
        ("wipe bob's sessions", False),
        ("retire the old payroll app", False),
        ("which devices signed in from Oslo?", False),
    ],
)
def test_an_action_on_a_device_is_refused_whoever_it_names(prompt: str, acts: bool) -> None:
    assert device_action(prompt) is acts
