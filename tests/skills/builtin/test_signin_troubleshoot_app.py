"""signin_troubleshoot: an app name that fits several apps means the one the user failed on."""

from __future__ import annotations

from pathlib import Path

from idpilot.skills import default_registry
from tests.security.builder import TenantBuilder

CHAT_APP = "11111111-1111-4111-8111-111111111111"
CHAT_SERVICES_APP = "22222222-2222-4222-8222-222222222222"


def test_an_ambiguous_app_name_means_the_app_the_user_failed_on(tmp_path: Path) -> None:
    t = TenantBuilder()
    chat = t.service_principal("Fabrikam Chat", appId=CHAT_APP)
    t.service_principal("Fabrikam Chat Services", appId=CHAT_SERVICES_APP)
    user = t.user("Jonas Gone")
    failed = t.sign_in(user, t.ago(days=1), error=50057, appId=CHAT_APP,
                       appDisplayName="Fabrikam Chat")  # fmt: skip
    t.sign_in(user, t.ago(days=3), appId=CHAT_SERVICES_APP, appDisplayName="Fabrikam Chat Services")
    store = t.store(tmp_path / "snap")
    result = (
        default_registry()
        .get("signin_troubleshoot")
        .run(store, {"user": user["id"], "app": "chat"})
    )
    assert result.facts.app.id == chat["id"]
    assert result.facts.primary["sign_in_id"] == failed["id"]


def test_no_failure_to_the_app_named_shows_the_failure_to_another(tmp_path: Path) -> None:
    """ "the mail app on her phone" fits an archiving app; her failures were to another app."""
    t = TenantBuilder()
    t.service_principal("Fabrikam Chat", appId=CHAT_APP)
    user = t.user("Ruth Blocked")
    t.sign_in(user, t.ago(days=2), appId=CHAT_APP, appDisplayName="Fabrikam Chat")
    failed = t.sign_in(user, t.ago(days=1), error=53003, appId=CHAT_SERVICES_APP,
                       appDisplayName="Fabrikam Mail")  # fmt: skip
    store = t.store(tmp_path / "snap")
    result = (
        default_registry()
        .get("signin_troubleshoot")
        .run(store, {"user": user["id"], "app": "Fabrikam Chat"})
    )
    assert result.facts.app_without_failures is True
    assert result.facts.primary["sign_in_id"] == failed["id"]


def test_of_two_people_one_name_fits_the_one_who_failed_on_the_app(tmp_path: Path) -> None:
    t = TenantBuilder()
    t.service_principal("Fabrikam Chat", appId=CHAT_APP)
    chat_user, other = t.user("Priya One"), t.user("Priya Two")
    t.sign_in(
        chat_user, t.ago(days=1), error=700082, appId=CHAT_APP, appDisplayName="Fabrikam Chat"
    )
    t.sign_in(other, t.ago(days=1), error=50126, appId=CHAT_SERVICES_APP, appDisplayName="Mail")
    store = t.store(tmp_path / "snap")
    result = (
        default_registry()
        .get("signin_troubleshoot")
        .run(store, {"user": "priya", "app": "Fabrikam Chat"})
    )
    assert result.status.value == "ok"
    assert result.facts.user.displayName == "Priya One"
    assert [o.displayName for o in result.facts.chosen_from_ambiguous] == ["Priya Two"]
