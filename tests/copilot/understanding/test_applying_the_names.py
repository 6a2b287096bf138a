"""A list filter and an object named for sure together: the skill that applies both ("which
guest accounts signed in to the Azure portal this week?" is the portal's sign-ins by guests,
not every guest)."""

from __future__ import annotations

from pathlib import Path

from idpilot.copilot.engine import Copilot
from tests.security.builder import TenantBuilder


def test_guests_who_signed_in_to_an_app_are_that_apps_sign_ins_by_guests(tmp_path: Path) -> None:
    t = TenantBuilder()
    portal = t.service_principal("Azure Portal")
    visitor = t.user("Gus Guest", userType="Guest")
    t.user("Gil Guest", userType="Guest")
    member = t.user("Mia Member")
    for person in (visitor, member):
        t.sign_in(person, t.ago(hours=5), appId=portal["appId"], appDisplayName="Azure Portal")
    copilot = Copilot(t.store(tmp_path / "snap"))
    answer = copilot.ask("Which guest accounts signed in to the Azure portal this week?")
    assert [s.name for s in answer.skills] == ["signin_summary"]
    assert answer.skills[0].params["user_type"] == "Guest"
    assert "Gus Guest" in answer.answer
    assert "Gil Guest" not in answer.answer and "Mia Member" not in answer.answer
    # Without an app, the guests are a list of users.
    assert [s.name for s in copilot.ask("Which guest accounts do we have?").skills] == [
        "list_users"
    ]
