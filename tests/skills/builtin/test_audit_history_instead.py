"""A question that assumes the wrong change ("why was Dana's account deleted on Monday?" when it
was disabled) is answered with the change there was, not only with "no such event"."""

from __future__ import annotations

import pytest

from idpilot.skills import default_registry
from idpilot.store import Store
from tests.security.builder import TenantBuilder, iso


@pytest.fixture(scope="module")
def tenant(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict[str, str]]:
    """Dana disabled by Ada two days ago, and her group ownership removed a week ago."""
    t = TenantBuilder()
    ada = t.user("Ada Admin")
    dana = t.user("Dana Leaver", accountEnabled=False)
    t.audit("Disable account", t.ago(days=2), ada, [t.target(dana, "User")], "UserManagement")
    t.audit("Update user", t.ago(days=7), ada, [t.target(dana, "User")], "UserManagement")
    store = t.store(tmp_path_factory.mktemp("instead") / "snap")
    return store, {
        "dana": dana["id"],
        "from": iso(t.ago(days=3)),
        "to": iso(t.ago(days=1)),
        "now": iso(t.captured),
    }


def test_an_activity_that_did_not_happen_shows_what_did_in_the_window(
    tenant: tuple[Store, dict[str, str]],
) -> None:
    store, ids = tenant
    window = {"start": ids["from"], "end": ids["to"], "phrase": "on Monday"}
    result = (
        default_registry()
        .get("audit_history")
        .run(store, {"user": ids["dana"], "activities": ["Delete user"], "window": window})
    )
    assert result.facts.total == 0
    assert [e.activity for e in result.facts.instead] == ["Disable account"]
    assert result.facts.instead_window == "on Monday"


def test_with_nothing_in_the_window_the_latest_events_are_shown(
    tenant: tuple[Store, dict[str, str]],
) -> None:
    store, ids = tenant
    window = {"start": ids["to"], "end": ids["now"], "phrase": "today"}
    result = (
        default_registry()
        .get("audit_history")
        .run(store, {"user": ids["dana"], "activities": ["Delete user"], "window": window})
    )
    assert [e.activity for e in result.facts.instead] == ["Disable account", "Update user"]
    assert result.facts.instead_window == ""


def test_an_activity_that_happened_shows_no_other_events(
    tenant: tuple[Store, dict[str, str]],
) -> None:
    store, ids = tenant
    result = (
        default_registry()
        .get("audit_history")
        .run(store, {"user": ids["dana"], "activities": ["Disable account"]})
    )
    assert result.facts.total == 1
    assert result.facts.instead == []
