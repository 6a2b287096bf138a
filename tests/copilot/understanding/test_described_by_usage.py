"""Apps named by who uses them or what for, on the demo tenant: by a word of the app's name,
else by the department whose people most of the app's users are."""

from __future__ import annotations

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.understanding.described_by_usage import swap_for_app_by_usage
from tests.conftest import DemoTenant


def _named(demo: DemoTenant, prompt: str) -> list[str]:
    entities = PromptEntities()
    swap_for_app_by_usage(demo.store, prompt, entities)
    return [m.label for m in entities.of_kind("servicePrincipal")]


def test_a_word_of_the_apps_name_said_of_its_users_names_it(demo_tenant: DemoTenant) -> None:
    name = demo_tenant.store.scalar(
        "SELECT displayName FROM servicePrincipals WHERE displayName ILIKE '%field service%'"
    )
    assert _named(demo_tenant, "who owns the app the field techs use?") == [name]


def test_the_app_a_department_uses_above_all_others(demo_tenant: DemoTenant) -> None:
    from idpilot.store.queries.apps import apps_signed_in_by
    from idpilot.store.queries.users import user_ids_described

    store = demo_tenant.store
    named_any = False
    for (department,) in store.con.execute(
        "SELECT DISTINCT department FROM users WHERE department IS NOT NULL "
        "AND department NOT IN (SELECT department FROM users WHERE department ILIKE '% %')"
    ).fetchall():
        named = _named(demo_tenant, f"is the app the {department} people use risky?")
        if not named:
            continue
        named_any = True
        apps = apps_signed_in_by(store, user_ids_described(store, [], department=department))
        shares = {a["displayName"]: a["ours"] / a["everyone"] for a in apps}
        best = shares.pop(named[0])
        assert best >= 0.5 and all(best >= 1.5 * other for other in shares.values()), department
    assert named_any


def test_nothing_is_named_without_a_description_of_use(demo_tenant: DemoTenant) -> None:
    assert _named(demo_tenant, "which apps does finance have?") == []
