"""An analyst's shorthand in a policy description: role initials, "excl BG", "leave ... out"."""

from __future__ import annotations

from idpilot.ca_drafting.description import UserScope, read_description

GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"


def test_initials_and_abbreviated_exclusions_are_read() -> None:
    found = read_description("phishing-resistant MFA for GA holders, excl BG accounts, report-only")
    assert found.scope is UserScope.roles
    assert found.role_template_ids == [GLOBAL_ADMINISTRATOR]
    assert found.exclude_break_glass
    assert not any("report-only" in words for words in found.not_expressed)


def test_leaving_accounts_out_excludes_them() -> None:
    found = read_description("force MFA for every admin, but leave the break-glass accounts out")
    assert found.scope is UserScope.admins and found.exclude_break_glass


def test_initials_in_lower_case_are_a_word_not_a_role() -> None:
    found = read_description("require MFA for everyone, ga ga over it")
    assert GLOBAL_ADMINISTRATOR not in found.role_template_ids


def test_a_request_after_a_statement_keeps_only_what_follows() -> None:
    from idpilot.ca_drafting.description import policy_words

    said = "CA070 is broken. draft a replacement that requires a compliant device for everyone"
    assert policy_words(said) == "requires a compliant device for everyone"
