"""The devices a user's sign-ins came from: registered ones by id, unregistered ones (no device
id in Graph's deviceDetail) by operating system and browser, each cited by a sign-in."""

from __future__ import annotations

from idpilot.skills import default_registry
from tests.conftest import DemoTenant


def test_an_unregistered_device_is_listed_by_its_system_and_browser(
    demo_tenant: DemoTenant,
) -> None:
    store = demo_tenant.store
    user_id, system, browser = store.con.execute(
        "SELECT userId, deviceDetail->>'operatingSystem', deviceDetail->>'browser' FROM signIns "
        "WHERE coalesce(deviceDetail->>'deviceId', '') = '' "
        "AND coalesce(deviceDetail->>'operatingSystem', '') <> '' AND userId IS NOT NULL "
        "ORDER BY createdDateTime DESC, id LIMIT 1"
    ).fetchone()
    result = default_registry().get("user_details").run(store, {"user": user_id})
    unregistered = [d for d in result.facts.devices if d.device_id is None]
    assert (system, browser) in {(d.os, d.browser) for d in unregistered}
    cited = {r.id for r in result.evidence if r.kind == "signIn"}
    assert {d.sign_in_id for d in result.facts.devices} <= cited


def test_days_since_the_last_sign_in_are_counted_to_the_snapshot(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    user_id, last = store.con.execute(
        "SELECT userId, max(createdDateTime) FROM signIns WHERE userId IS NOT NULL "
        "GROUP BY 1 ORDER BY 2, 1 LIMIT 1"
    ).fetchone()
    result = default_registry().get("user_details").run(store, {"user": user_id})
    days = result.facts.sign_in.days_since
    assert days is not None and days >= (store.captured_at() - last).days
