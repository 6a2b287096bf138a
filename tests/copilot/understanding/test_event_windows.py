"""A time said by what happened to the person: "since Jo's account was disabled" starts at
that change's audit event; a person named only in that phrase dates the question."""

from __future__ import annotations

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.copilot.understanding.event_windows import event_window
from tests.security.builder import TenantBuilder


@pytest.fixture(scope="module")
def tenant(tmp_path_factory: pytest.TempPathFactory) -> tuple[Copilot, TenantBuilder, dict]:
    """Hal (helpdesk) disabled Jo's account 2 days ago and reset Tom's password 1 day ago; Jo
    failed 3 times before and 2 times after; Tom failed before the reset only."""
    t = TenantBuilder()
    hal, jo, tom = t.user("Hal Desk"), t.user("Jo Doe"), t.user("Tom Tan")
    t.audit("Disable account", t.ago(days=2), hal, [t.target(jo, "User", AccountEnabled=False)],
            category="UserManagement")  # fmt: skip
    t.audit("Reset user password", t.ago(days=1), hal, [t.target(tom, "User")],
            category="UserManagement")  # fmt: skip
    for hours in (80, 79, 78):
        t.sign_in(jo, t.ago(hours=hours), error=50126)
    for hours in (30, 20):
        t.sign_in(jo, t.ago(hours=hours), error=50057)
    t.sign_in(tom, t.ago(hours=30), error=50053)
    people = {"hal": hal, "jo": jo, "tom": tom}
    return Copilot(t.store(tmp_path_factory.mktemp("events") / "snap")), t, people


def test_since_the_account_was_disabled_starts_at_the_disabling(tenant) -> None:
    copilot, t, people = tenant
    window = event_window(
        copilot.store, "since Jo's account was disabled, any sign-ins?", [people["jo"]["id"]],
        t.captured,
    )  # fmt: skip
    assert window is not None and window.start == t.ago(days=2)
    assert (
        event_window(copilot.store, "any sign-ins last week?", [people["jo"]["id"]], t.captured)
        is None
    )
    # No such change in the audit log: nothing is dated.
    assert (
        event_window(
            copilot.store, "since Hal's account was disabled?", [people["hal"]["id"]], t.captured
        )
        is None
    )


def test_the_person_who_made_the_change_only_dates_the_question(tenant) -> None:
    copilot, t, people = tenant
    answer = copilot.ask(
        "Since Hal Desk reset his password, has Tom Tan had any more failed sign-ins?"
    )
    assert [(s.name, s.params.get("user")) for s in answer.skills] == [
        ("signin_troubleshoot", people["tom"]["id"])
    ]
    assert answer.skills[0].params["window"]["start"].startswith(t.ago(days=1).strftime("%Y-%m-%d"))
    assert "No failed sign-in by Tom Tan" in answer.answer
