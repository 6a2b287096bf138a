"""Product words name the first-party apps that sign-ins record for them."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from idpilot.knowledge.product_apps import EXCHANGE_ONLINE, product_app_ids
from idpilot.store.lookup import MatchQuality, find_by_phrases
from tests.conftest import DemoTenant


def test_product_words_map_to_published_app_ids() -> None:
    assert product_app_ids("Outlook")[0] == EXCHANGE_ONLINE
    assert product_app_ids(" onedrive ")
    assert product_app_ids("the finance portal") == ()


def test_outlook_is_the_tenants_exchange_online_service_principal(demo_tenant: DemoTenant) -> None:
    (match,) = [m for m in find_by_phrases(demo_tenant.store, ["outlook"]) if m.phrase == "outlook"]
    assert match.kind == "servicePrincipal"
    assert match.detail == EXCHANGE_ONLINE
    # Only the app meant, not a name of this tenant: a product question stays out of scope.
    assert match.quality is MatchQuality.partial


def test_a_product_question_about_no_tenant_object_is_out_of_scope(
    demo_tenant: DemoTenant,
) -> None:
    answer = Copilot(demo_tenant.store).ask("how do I set an out of office reply in Outlook?")
    assert answer.status.value == "outOfScope"
    assert not answer.skills
