"""List filters joined by "or", two lists asked at once, and exceptions said when not applied."""

from __future__ import annotations

from idpilot.copilot.understanding.filters import EXCEPTION, group_filters, read_user_filters


def test_filters_joined_by_or_are_alternatives() -> None:
    assert group_filters("Groups that are empty or have no owner?") == {
        "ownerless": True,
        "empty": True,
        "any_of": True,
    }
    assert group_filters("empty groups and groups without owners")["any_of"] is True


def test_filters_joined_by_and_are_all_required() -> None:
    found = group_filters("groups that are empty and have no owner")
    assert "any_of" not in found
    assert group_filters("ownerless groups") == {"ownerless": True}


def test_an_exception_no_filter_reads_is_left_as_a_condition() -> None:
    _, reader = read_user_filters("who has no MFA registered, apart from the interns?", [])
    assert reader.unexplained(EXCEPTION, []) == ["apart from the interns"]
    # "excluding guests" is a filter (members only): nothing is left to say.
    found, reader = read_user_filters("which users have no MFA, excluding guests?", [])
    assert found["user_type"] == "Member"
    assert reader.unexplained(EXCEPTION, []) == []


def test_service_accounts_are_a_filter_either_way() -> None:
    found, reader = read_user_filters("who has no MFA registered, apart from service accounts?", [])
    assert found["service_accounts"] is False
    assert reader.unexplained(EXCEPTION, []) == []
    assert read_user_filters("which service accounts are enabled?", [])[0]["service_accounts"]
    assert "service_accounts" not in read_user_filters("which accounts are enabled?", [])[0]


def test_weak_mfa_is_a_filter() -> None:
    for prompt in (
        "which admins have weak MFA?",
        "users whose MFA is weak",
        "admin accounts with no strong auth methods",
    ):
        assert read_user_filters(prompt, [])[0].get("weak_mfa") is True, prompt
    assert "weak_mfa" not in read_user_filters("which admins have no MFA registered?", [])[0]


def test_inactivity_is_read_in_words_and_from_the_window() -> None:
    assert read_user_filters("guests who haven't signed in for two weeks", [])[0] == {
        "user_type": "Guest",
        "inactive_days": 14,
    }
    assert read_user_filters("who hasn't logged in for a couple of months?", [])[0] == {
        "inactive_days": 60
    }
    # No span of its own: the window the prompt states gives it (read_stated).
    assert read_user_filters("which users haven't signed in this month?", [])[0] == {
        "inactive_in_window": True
    }


def test_sms_only_said_with_an_article() -> None:
    found = read_user_filters("admins with neither the app nor a key, just a text message?", [])
    assert found[0].get("sms_only") is True


def test_a_department_set_aside_and_kinds_left_out_in_one_breath() -> None:
    found, _ = read_user_filters(
        "Which members outside the IT Operations department hold an admin role? "
        "Leave out the break-glass accounts and guests.",
        ["IT Operations", "IT", "Sales"],
    )
    assert found == {
        "user_type": "Member",
        "break_glass": False,
        "department": "IT Operations",
        "department_excluded": True,
    }
    assert read_user_filters("users not in Sales", ["Sales"])[0] == {
        "department": "Sales",
        "department_excluded": True,
    }
    assert read_user_filters("guests in Sales", ["Sales"])[0] == {
        "user_type": "Guest",
        "department": "Sales",
    }


def test_sms_as_the_only_method_said_with_an_article() -> None:
    said = "list the people whose only MFA is a text message to their phone"
    assert read_user_filters(said, [])[0] == {"sms_only": True}
