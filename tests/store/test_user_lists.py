"""User lists filtered by conventions Graph has no property for: service accounts."""

from __future__ import annotations

from idpilot.skills import default_registry
from tests.conftest import DemoTenant


def test_service_accounts_are_listed_alone_or_left_out(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    service = {
        row[0]
        for row in store.con.execute(
            "SELECT id FROM users WHERE regexp_matches(concat_ws(' ', displayName, "
            "userPrincipalName, jobTitle), '(^|\\s)svc[-_.]|service account', 'i')"
        ).fetchall()
    }
    everyone = store.scalar("SELECT count(*) FROM users")
    assert service, "the demo tenant has a service account"
    list_users = default_registry().get("list_users")
    only = list_users.run(store, {"service_accounts": True}).facts
    assert {u.id for u in only.users} == service
    others = list_users.run(store, {"service_accounts": False}).facts
    assert others.total == everyone - len(service)
    assert not {u.id for u in others.users} & service
