"""The audit events that explain a user's situation, pulled into signin_troubleshoot and
user_details: the reset after a lockout, who disabled an account, recent group changes."""

from __future__ import annotations

from datetime import timedelta

import pytest

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
    links = result.facts.account_changes
    assert links.reset_after.id == linked.reset["id"]
    assert links.reset_after.actor == linked.helpdesk["userPrincipalName"]
    assert links.failures_after_reset == 0
    text, book = _text(result)
    assert "reset the password on" in text
    assert linked.helpdesk["userPrincipalName"] in text
    assert {linked.reset["id"], linked.group_add["id"]} <= _cited_ids(book)


def test_failure_lists_the_group_change_of_the_days_before(linked: Linked) -> None:
    result = _run(linked, "signin_troubleshoot", user=linked.ann["id"])
    changes = result.facts.account_changes.changes
    assert [c.kind for c in changes] == ["group", "password"]
    text, book = _text(result)
    assert "Changes to the account" in text and linked.finance["displayName"] in text
    assert linked.finance["id"] in _cited_ids(book)


def test_disabled_account_failure_names_who_disabled_it(linked: Linked) -> None:
    result = _run(linked, "signin_troubleshoot", user=linked.dora["id"])
    links = result.facts.account_changes
    assert links.disabled_by.id == linked.disable["id"]
    assert links.failures_since_disabled == 2
    assert links.disabled_audit_missing is False
    text, book = _text(result)
    assert f"The account was disabled by {linked.admin['userPrincipalName']}" in text
    assert "2 failed sign-ins since, with AADSTS50057 (account disabled), the first at" in text
    assert linked.disable["id"] in _cited_ids(book)


def test_disabled_account_cites_the_first_failure_even_outside_the_window(linked: Linked) -> None:
    window = {"start": linked.t.ago(days=1, hours=1), "end": linked.t.captured, "phrase": ""}
    result = _run(linked, "signin_troubleshoot", user=linked.dora["id"], window=window)
    links = result.facts.account_changes
    first = linked.store.scalar(
        "SELECT id FROM signIns WHERE userId = ? AND errorCode = 50057 "
        "ORDER BY createdDateTime LIMIT 1",
        [linked.dora["id"]],
    )
    assert links.failures_since_disabled == 2
    assert links.first_failure_since_disabled.id == first
    _, book = _text(result)
    assert first in _cited_ids(book)


def test_disabled_account_without_its_audit_says_so(linked: Linked, tmp_path) -> None:
    from tests.security.builder import TenantBuilder

    t = TenantBuilder()
    user = t.user("Gus Gone", accountEnabled=False)
    t.sign_in(user, t.ago(days=1), error=50057)
    store = t.store(tmp_path / "snap")
    result = default_registry().get("signin_troubleshoot").run(store, {"user": user["id"]})
    assert result.facts.account_changes.disabled_audit_missing is True
    text, _ = _text(result)
    assert "no event that disabled it" in text
    details = default_registry().get("user_details").run(store, {"user": user["id"]})
    assert details.facts.disabled_by is None
    assert "no event that disabled the account" in _text(details)[0]


def test_user_details_shows_recent_changes_and_who_made_them(linked: Linked) -> None:
    result = _run(linked, "user_details", user=linked.ann["id"])
    recent = result.facts.recent_changes
    assert [c.id for c in recent.changes] == [linked.reset["id"], linked.group_add["id"]]
    text, book = _text(result)
    assert "**Recent changes**" in text and linked.admin["userPrincipalName"] in text
    [finance] = [g for g in result.facts.groups if g.id == linked.finance["id"]]
    assert finance.added_by.id == linked.group_add["id"]
    [share] = [g for g in result.facts.groups if g.id == linked.share["id"]]
    assert share.added_by is None
    assert {linked.reset["id"], linked.group_add["id"]} <= _cited_ids(book)


def test_user_details_first_sentence_names_who_disabled_the_account(linked: Linked) -> None:
    result = _run(linked, "user_details", user=linked.dora["id"])
    assert result.facts.disabled_by.id == linked.disable["id"]
    first = _text(result)[0].splitlines()[0]
    assert "a disabled" in first and f"disabled by {linked.admin['userPrincipalName']}" in first


def _one_failure(tmp_path, error: int, activity: str, **audit_kw):
    """A tenant with one failure of `error` a day after `activity` changed the user."""
    from tests.security.builder import TenantBuilder

    t = TenantBuilder()
    user, admin = t.user("Una Change"), t.user("Abe Admin")
    group = t.group("Pilot Group", [user])
    failed_at = t.ago(days=1)
    event = t.audit(
        activity, failed_at - timedelta(days=1), admin, [t.target(user, "User", **audit_kw)]
    )
    if activity == "Add member to group":
        event["targetResources"].append(t.target(group, "Group"))
    t.sign_in(user, failed_at, error=error)
    store = t.store(tmp_path / "snap")
    result = default_registry().get("signin_troubleshoot").run(store, {"user": user["id"]})
    return result, event


@pytest.mark.parametrize(
    ("error", "activity", "link", "sentence"),
    [
        (50126, "Reset password (by admin)", "password_changed_before",
         "The password was changed before these failures"),
        (500121, "User deleted security info", "methods_changed_before",
         "authentication methods changed before this failure"),
        (53003, "Add member to group", "membership_changed_before",
         "A group or role change preceded it"),
    ],
)  # fmt: skip
def test_change_before_a_failure_is_connected_to_its_code(
    tmp_path, error: int, activity: str, link: str, sentence: str
) -> None:
    result, event = _one_failure(tmp_path, error, activity)
    links = result.facts.account_changes
    assert getattr(links, link).id == event["id"]
    others = {"password_changed_before", "methods_changed_before", "membership_changed_before"}
    assert not any(getattr(links, name) for name in others - {link})
    text, book = _text(result)
    assert sentence in text and event["id"] in _cited_ids(book)


def test_unrelated_change_is_listed_but_not_connected(tmp_path) -> None:
    result, event = _one_failure(tmp_path, 50126, "User registered security info")
    links = result.facts.account_changes
    assert [c.id for c in links.changes] == [event["id"]]
    assert links.methods_changed_before is None and links.password_changed_before is None
