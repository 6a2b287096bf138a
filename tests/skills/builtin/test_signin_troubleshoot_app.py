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
