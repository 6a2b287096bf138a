"""Risky users listed by when each was first flagged ("who was flagged first?"), each one's
earliest detection cited."""

from __future__ import annotations

from idpilot.copilot.understanding.stated import read_stated
from idpilot.skills import default_registry
from tests.conftest import DemoTenant


def test_who_was_flagged_first_lists_by_earliest_detection(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    result = default_registry().get("risky_users").run(store, {"order": "first_flagged"})
    firsts = [
        store.scalar("SELECT min(detectedDateTime) FROM riskDetections WHERE userId = ?", [u.id])
        for u in result.facts.users
    ]
    known = [f for f in firsts if f is not None]
    assert known and known == sorted(known)
    cited = {r.id for r in result.evidence if r.kind == "riskDetection"}
    assert {u.first_detection for u in result.facts.users if u.first_detection} <= cited
    latest = default_registry().get("risky_users").run(store, {"order": "last_flagged"})
    assert latest.facts.users[0].id != result.facts.users[0].id


def test_the_order_is_read_from_the_question(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    said = "of the people still flagged as at risk, who was flagged first?"
    assert read_stated(store, said).values["order"] == "first_flagged"
    assert read_stated(store, "who was most recently flagged?").values["order"] == "last_flagged"
    assert "order" not in read_stated(store, "who is at risk?").values


def test_every_level_said_is_no_filter_on_closed_risk(demo_tenant: DemoTenant) -> None:
    registry, store = default_registry(), demo_tenant.store
    closed = {"risk_closed": "self_remediated"}
    plain = registry.get("risky_users").run(store, closed)
    every = registry.get("risky_users").run(store, {**closed, "levels": ["low", "medium", "high"]})
    assert plain.facts.total and every.facts.total == plain.facts.total
    said = "can an employee clear that themselves? has anyone done so?"
    assert read_stated(store, f"when an account looks risky, {said}").values["risk_closed"] == (
        "self_remediated"
    )
