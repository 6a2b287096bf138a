"""app_details answers "who uses <app>?": each account that signed in, busiest first, cited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from idpilot.copilot.composer import CitationBook, compose
from idpilot.skills import default_registry
from idpilot.skills.builtin.app_details import USERS_SHOWN
from tests.security.builder import TenantBuilder

VIEWER_APP = "33333333-3333-4333-8333-333333333333"


def test_who_signs_in_lists_accounts_busiest_first_and_cites_their_latest(
    tmp_path: Path,
) -> None:
    t = TenantBuilder()
    t.service_principal("Turbine Viewer", appId=VIEWER_APP)
    app = {"appId": VIEWER_APP, "appDisplayName": "Turbine Viewer"}
    service = t.user("Sync Service")
    latest = [t.sign_in(service, t.ago(days=d), **app) for d in (9, 5, 1)][-1]
    people = [t.user(f"Viewer {i:02}") for i in range(USERS_SHOWN + 1)]
    for i, person in enumerate(people):
        t.sign_in(person, t.ago(days=2) + timedelta(minutes=i), error=50126 if i else 0, **app)
    t.sign_in(t.user("Elsewhere"), t.ago(days=1))  # another app: not listed
    store = t.store(tmp_path / "snap")
    result = default_registry().get("app_details").run(store, {"application": "Turbine Viewer"})
    principals = result.facts.sign_ins["principals"]
    assert len(principals) == USERS_SHOWN
    assert result.facts.sign_ins["principal_count"] == USERS_SHOWN + 2
    top = principals[0]
    assert (top["upn"], top["sign_ins"], top["latest_id"]) == (
        service["userPrincipalName"],
        3,
        latest["id"],
    )
    book = CitationBook(result.evidence)
    text = compose(result, book)
    assert f"Who signs in** ({USERS_SHOWN + 2} accounts; the {USERS_SHOWN} with the most" in text
    assert "Sync Service" in text and "Elsewhere" not in text
    assert ("signIn", latest["id"]) in book.cited()
