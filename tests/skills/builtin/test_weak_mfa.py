"""Weak MFA (none registered, or only SMS or voice calls) as a condition of role holders and of
user lists, judged against the registration report of the demo tenant."""

from __future__ import annotations

from idpilot.skills import default_registry
from idpilot.store.directory import PHONE_METHODS
from tests.conftest import DemoTenant


def _weak_users(demo: DemoTenant) -> set[str]:
    """Users whose registration report shows no MFA, or phone methods alone (email aside)."""
    every = {row[0] for row in demo.store.con.execute("SELECT id FROM users").fetchall()}
    report = demo.store.con.execute(
        "SELECT id, isMfaRegistered, CAST(methodsRegistered AS VARCHAR[]) "
        "FROM userRegistrationDetails"
    ).fetchall()
    strong = {
        user_id
        for user_id, registered, methods in report
        if registered and set(methods or []) - {*PHONE_METHODS, "email"}
    }
    return every - strong


def test_role_holders_with_weak_mfa_are_those_unregistered_or_on_phone_alone(
    demo_tenant: DemoTenant,
) -> None:
    registry = default_registry()
    every = registry.get("role_holders").run(demo_tenant.store, {"privileged": True})
    weak = registry.get("role_holders").run(
        demo_tenant.store, {"privileged": True, "weak_mfa": True}
    )
    users = lambda result: {  # noqa: E731
        g.principal.id for r in result.facts.roles for g in r.grants if g.principal.type == "user"
    }
    assert users(weak) == users(every) & _weak_users(demo_tenant)
    assert users(weak) and users(weak) < users(every)
    assert "weak MFA" in weak.facts.registration


def test_user_list_with_weak_mfa_counts_the_unregistered_and_phone_only(
    demo_tenant: DemoTenant,
) -> None:
    result = default_registry().get("list_users").run(demo_tenant.store, {"weak_mfa": True})
    assert result.facts.total == len(_weak_users(demo_tenant))
    assert result.facts.filters["weak_mfa"] is True
