"""Capabilities an admin asks about map to the built-in roles that have them."""

from __future__ import annotations

from idpilot.knowledge.role_capabilities import GLOBAL_ADMINISTRATOR, roles_able_to

HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
CONDITIONAL_ACCESS_ADMIN = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"


def test_password_resets_include_helpdesk_and_global_admins() -> None:
    phrases, roles = roles_able_to("who can reset passwords?")
    assert phrases == ["reset passwords"]
    assert roles[0] == GLOBAL_ADMINISTRATOR and HELPDESK in roles


def test_conditional_access() -> None:
    assert CONDITIONAL_ACCESS_ADMIN in roles_able_to("who can manage conditional access")[1]


def test_no_capability_named() -> None:
    assert roles_able_to("who is Bob?") == ([], [])


def test_whose_thing_may_sit_between_the_verb_and_the_object() -> None:
    assert roles_able_to("who is able to reset other peoples passwords?")[0] == ["reset passwords"]
    assert roles_able_to("who can reset a user's password")[0] == ["reset password"]
    assert roles_able_to("who reset the report for the passwords team")[0] == []


def test_a_capability_may_name_what_kind_of_thing_it_acts_on() -> None:
    assert roles_able_to("who can assign admin roles?")[0] == ["assign roles"]
    assert roles_able_to("who can reset other people's passwords?")[0] == ["reset passwords"]


def test_whose_thing_it_is_may_be_said_in_the_singular() -> None:
    assert roles_able_to("who can reset an employee's password?")[0] == ["reset password"]
