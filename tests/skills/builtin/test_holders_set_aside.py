"""Role holders and user lists narrowed by who people are: outside a department, members
only, emergency access (break-glass) accounts left out; judged against the demo tenant."""

from __future__ import annotations

import re
from typing import Any

from idpilot.skills import default_registry
from idpilot.store.queries.users import BREAK_GLASS_NAME
from tests.conftest import DemoTenant


def _user_holders(result: Any) -> set[str]:
    return {
        g.principal.id for r in result.facts.roles for g in r.grants if g.principal.type == "user"
    }


def _people(demo: DemoTenant) -> dict[str, tuple[str, str, str]]:
    rows = demo.store.con.execute(
        "SELECT id, coalesce(department, ''), displayName || ' ' || userPrincipalName, "
        "coalesce(userType, 'Member') FROM users"
    ).fetchall()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def test_role_holders_outside_a_department_leaving_out_break_glass(
    demo_tenant: DemoTenant,
) -> None:
    skill = default_registry().get("role_holders")
    every = _user_holders(skill.run(demo_tenant.store, {"privileged": True}))
    people = _people(demo_tenant)
    department = "IT"
    assert any(people[u][0] == department for u in every)  # the filter has work to do
    outside = skill.run(
        demo_tenant.store,
        {"privileged": True, "department": department, "department_excluded": True,
         "break_glass": False, "user_type": "Member"},
    )  # fmt: skip
    expected = {
        u for u in every
        if people[u][0] != department and not re.search(BREAK_GLASS_NAME, people[u][1], re.I)
        and people[u][2] == "Member"
    }  # fmt: skip
    assert _user_holders(outside) == expected
    assert expected < every
    words = outside.facts.registration
    assert "outside the IT department" in words and "break-glass" in words
    inside = skill.run(demo_tenant.store, {"privileged": True, "department": department})
    assert _user_holders(inside) == {u for u in every if people[u][0] == department}


def test_user_list_outside_a_department_without_break_glass(demo_tenant: DemoTenant) -> None:
    people = _people(demo_tenant)
    result = (
        default_registry()
        .get("list_users")
        .run(
            demo_tenant.store,
            {"department": "IT", "department_excluded": True, "break_glass": False},
        )
    )
    expected = [
        u for u, (dept, names, _) in people.items()
        if dept != "IT" and not re.search(BREAK_GLASS_NAME, names, re.I)
    ]  # fmt: skip
    assert result.facts.total == len(expected) < len(people)
    assert result.facts.filters["department"] == "not IT"
    assert result.facts.filters["break-glass accounts"] == "left out"
    glass = default_registry().get("list_users").run(demo_tenant.store, {"break_glass": True})
    assert glass.facts.total == 2


def test_accounts_created_in_a_window_name_who_created_them(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    rows = store.con.execute(
        "SELECT a.id, a.activityDateTime, x.t.id AS target FROM directoryAudits a, "
        '(SELECT id AS audit, unnest(json_transform(targetResources, \'[{"id": "VARCHAR"}]\')) '
        "AS t FROM directoryAudits) x WHERE x.audit = a.id AND a.activityDisplayName = 'Add user'"
    ).fetchall()
    assert rows  # the demo's audit log creates accounts
    first = min(when for _, when, _ in rows)
    window = {"start": first.isoformat(), "end": store.captured_at().isoformat(), "phrase": "p"}
    result = (
        default_registry()
        .get("list_users")
        .run(store, {"created_in_window": True, "window": window})
    )
    creators = {u.id: u.created_event for u in result.facts.users if u.created_by}
    created = {target: audit for audit, _, target in rows}
    assert creators and all(created[user] == event for user, event in creators.items())
    assert all(event in {r.id for r in result.evidence} for event in creators.values())


def test_a_list_of_two_conditions_says_how_many_each_matches_alone(
    demo_tenant: DemoTenant,
) -> None:
    """ "how many guests are there, and which of them are disabled?" asks both numbers."""
    store = demo_tenant.store
    result = (
        default_registry()
        .get("list_users")
        .run(store, {"user_type": "Guest", "account_enabled": False})
    )
    guests = store.scalar("SELECT count(*) FROM users WHERE userType = 'Guest'")
    disabled = store.scalar("SELECT count(*) FROM users WHERE NOT accountEnabled")
    assert result.facts.alone == {"user_type": guests, "account_enabled": disabled}
    assert result.facts.total <= min(guests, disabled)
    one = default_registry().get("list_users").run(store, {"user_type": "Guest"})
    assert one.facts.alone == {}  # one condition: its count is the answer's own
