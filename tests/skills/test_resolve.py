"""Resolving a reference: an object id is found by id alone, as the full lookup finds it."""

from __future__ import annotations

import pytest

from idpilot.skills import resolve as resolving
from idpilot.skills.resolve import Resolution, resolve
from idpilot.store.lookup import MatchQuality
from tests.conftest import DemoTenant

TABLES = {
    "user": "users",
    "group": "groups",
    "servicePrincipal": "servicePrincipals",
    "conditionalAccessPolicy": "conditionalAccessPolicies",
}
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def _full_lookup(demo: DemoTenant, reference: str, kind: str) -> Resolution:
    """`resolve` without its id path: every name comparison, fuzzy and partial lookups."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resolving, "ID_KINDS", frozenset())
        return resolve(demo.store, reference, kind)


@pytest.mark.parametrize("kind", sorted(TABLES))
def test_an_id_resolves_as_the_full_lookup_resolves_it(demo_tenant: DemoTenant, kind: str) -> None:
    ids = [
        row[0] for row in demo_tenant.store.con.execute(f"SELECT id FROM {TABLES[kind]}").fetchall()
    ]
    for reference in [*ids[:25], ids[0].upper(), f"  {ids[-1]} ", UNKNOWN_ID]:
        found = resolve(demo_tenant.store, reference, kind)
        assert found == _full_lookup(demo_tenant, reference, kind), reference
    [first, *_] = ids
    assert resolve(demo_tenant.store, first, kind).match.quality is MatchQuality.id


def test_an_id_of_another_kind_is_not_taken_for_this_kind(demo_tenant: DemoTenant) -> None:
    user_id = demo_tenant.store.scalar("SELECT id FROM users LIMIT 1")
    assert resolve(demo_tenant.store, user_id, "group") == _full_lookup(
        demo_tenant, user_id, "group"
    )
    assert resolve(demo_tenant.store, user_id, "group").match is None


def test_an_id_takes_one_query(demo_tenant: DemoTenant, monkeypatch: pytest.MonkeyPatch) -> None:
    store = demo_tenant.store
    statements: list[str] = []

    class Counting:
        def __getattr__(self, name: str) -> object:
            return getattr(connection, name)

        def execute(self, sql: str, *args: object) -> object:
            statements.append(sql)
            return connection.execute(sql, *args)

    connection = store.con
    monkeypatch.setattr(store, "con", Counting())
    user_id = connection.execute("SELECT id FROM users LIMIT 1").fetchone()[0]
    assert resolve(store, user_id, "user").match is not None
    assert len(statements) == 1
