"""The audit events that explain a user's situation, pulled into signin_troubleshoot and
user_details: the reset after a lockout, who disabled an account, recent group changes."""

from __future__ import annotations

from idpilot.copilot.composer import CitationBook, compose
from idpilot.skills import default_registry
from idpilot.skills.base import SkillResult

from .linked_tenant import Linked


def _run(linked: Linked, skill: str, **params) -> SkillResult:
    return default_registry().get(skill).run(linked.store, params)


def _text(result: SkillResult) -> tuple[str, CitationBook]:
    book = CitationBook(result.evidence)
    return compose(result, book), book


def _cited_ids(book: CitationBook) -> set[str]:
    return {record_id for _, record_id in book.cited()}


def test_lockout_answer_names_the_reset_that_followed(linked: Linked) -> None:
    result = _run(linked, "signin_troubleshoot", user=linked.ann["id"])
    links = result.facts["account_changes"]
    assert links["reset_after"]["id"] == linked.reset["id"]
    assert links["reset_after"]["actor"] == linked.helpdesk["userPrincipalName"]
    assert links["failures_after_reset"] == 0
    text, book = _text(result)
    assert "reset the password on" in text
    assert linked.helpdesk["userPrincipalName"] in text
    assert {linked.reset["id"], linked.group_add["id"]} <= _cited_ids(book)


def test_failure_lists_the_group_change_of_the_days_before(linked: Linked) -> None:
    result = _run(linked, "signin_troubleshoot", user=linked.ann["id"])
    changes = result.facts["account_changes"]["changes"]
    assert [c["kind"] for c in changes] == ["group", "password"]
    text, book = _text(result)
    assert "Changes to the account" in text and linked.finance["displayName"] in text
    assert linked.finance["id"] in _cited_ids(book)


def test_disabled_account_failure_names_who_disabled_it(linked: Linked) -> None:
    result = _run(linked, "signin_troubleshoot", user=linked.dora["id"])
    links = result.facts["account_changes"]
    assert links["disabled_by"]["id"] == linked.disable["id"]
    assert links["failures_since_disabled"] == 2
    assert links["disabled_audit_missing"] is False
    text, book = _text(result)
    assert f"The account was disabled by {linked.admin['userPrincipalName']}" in text
    assert "2 failed attempts since, with AADSTS50057" in text
    assert linked.disable["id"] in _cited_ids(book)


def test_disabled_account_without_its_audit_says_so(linked: Linked, tmp_path) -> None:
    from tests.security.builder import TenantBuilder

    t = TenantBuilder()
    user = t.user("Gus Gone", accountEnabled=False)
    t.sign_in(user, t.ago(days=1), error=50057)
    store = t.store(tmp_path / "snap")
    result = default_registry().get("signin_troubleshoot").run(store, {"user": user["id"]})
    assert result.facts["account_changes"]["disabled_audit_missing"] is True
    text, _ = _text(result)
    assert "no event that disabled it" in text
    details = default_registry().get("user_details").run(store, {"user": user["id"]})
    assert details.facts["disabled_by"] is None
    assert "no event that disabled the account" in _text(details)[0]


def test_user_details_shows_recent_changes_and_who_made_them(linked: Linked) -> None:
    result = _run(linked, "user_details", user=linked.ann["id"])
    recent = result.facts["recent_changes"]
    assert [c["id"] for c in recent["changes"]] == [linked.reset["id"], linked.group_add["id"]]
    text, book = _text(result)
    assert "**Recent changes**" in text and linked.admin["userPrincipalName"] in text
    [finance] = [g for g in result.facts["groups"] if g["id"] == linked.finance["id"]]
    assert finance["added_by"]["id"] == linked.group_add["id"]
    [share] = [g for g in result.facts["groups"] if g["id"] == linked.share["id"]]
    assert share["added_by"] is None
    assert {linked.reset["id"], linked.group_add["id"]} <= _cited_ids(book)


def test_user_details_first_sentence_names_who_disabled_the_account(linked: Linked) -> None:
    result = _run(linked, "user_details", user=linked.dora["id"])
    assert result.facts["disabled_by"]["id"] == linked.disable["id"]
    first = _text(result)[0].splitlines()[0]
    assert "a disabled" in first and f"disabled by {linked.admin['userPrincipalName']}" in first
