"""who_changed asked of any admin role ("who added whom to which admin role last week?") lists
role changes only, not group membership changes."""

from __future__ import annotations

from pathlib import Path

from idpilot.skills import default_registry
from tests.security.builder import TenantBuilder


def test_privileged_lists_only_role_membership_changes(tmp_path: Path) -> None:
    t = TenantBuilder()
    admin, eve, dan = t.user("Ada Admin"), t.user("Eve Elevated"), t.user("Dan Grouped")
    role_add = t.audit("Add member to role", t.ago(days=1), admin, [t.target(eve, "User")])
    group_add = t.audit(
        "Add member to group", t.ago(hours=20), admin, [t.target(dan, "User")], "GroupManagement"
    )
    store = t.store(tmp_path / "snap")
    skill = default_registry().get("who_changed")
    roles = skill.run(store, {"privileged": True})
    assert [e.id for e in roles.facts.events] == [role_add["id"]]
    every = skill.run(store, {})
    assert {e.id for e in every.facts.events} == {role_add["id"], group_add["id"]}
