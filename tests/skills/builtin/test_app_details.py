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


_USER_HELD = """
SELECT a.id, a.resourceId, a.principalId, a.appRoleId, sp.displayName AS app,
       coalesce(r.value->>'$.displayName', r.value->>'$.value') AS role
FROM appRoleAssignments a JOIN servicePrincipals sp ON sp.id = a.resourceId,
     json_each(sp.appRoles) r
WHERE a.principalType = 'User' AND r.value->>'$.id' = a.appRoleId
ORDER BY a.id
"""
_GROUP_HELD = """
SELECT a.id, a.resourceId, a.principalId,
       (SELECT count(*) FROM group_members m WHERE m.group_id = a.principalId) AS members,
       (SELECT count(*) FROM group_members m
        WHERE m.group_id = a.principalId AND m.member_type = 'group') AS nested
FROM appRoleAssignments a WHERE a.principalType = 'Group' ORDER BY a.id
"""


def _roles_held(result) -> dict[str, dict]:
    return {r["id"]: r for r in result.facts.app_roles["held"]}


def test_app_roles_list_their_user_holders_cited_by_the_assignment(demo_tenant) -> None:
    """The demo tenant assigns app roles to users: each is listed under its role, cited."""
    store = demo_tenant.store
    held = store.query(_USER_HELD)
    assert held, "the demo tenant assigns no app role to a user"
    skill = default_registry().get("app_details")
    for row in held:
        result = skill.run(store, {"application": row["resourceId"]})
        role = _roles_held(result)[row["appRoleId"]]
        assert role["name"] == row["role"]
        holder = next(h for h in role["holders"] if h["id"] == row["principalId"])
        assert (holder["kind"], holder["assignment"]) == ("user", row["id"])
        book = CitationBook(result.evidence)
        text = compose(result, book)
        assert text.startswith(f"**{row['app']}**")  # the first sentence still says what it is
        line = next(x for x in text.splitlines() if x.startswith(f"- {row['role']}"))
        assert holder["name"] in line
        assert ("appRoleAssignment", row["id"]) in book.cited()


def test_a_group_holder_counts_its_direct_members_and_nested_groups(demo_tenant) -> None:
    """A group passes an app role to its direct members only: its count says how many of them
    are groups (whose members do not get the role)."""
    store = demo_tenant.store
    held = store.query(_GROUP_HELD)
    assert held, "the demo tenant assigns no app role to a group"
    skill = default_registry().get("app_details")
    for row in held:
        result = skill.run(store, {"application": row["resourceId"]})
        holders = [h for r in result.facts.app_roles["held"] for h in r["holders"]]
        group = next(h for h in holders if h["assignment"] == row["id"])
        assert (group["kind"], group["members"], group["groups"]) == (
            "group",
            row["members"],
            row["nested"],
        )
        text = compose(result, CitationBook(result.evidence))
        assert f"{row['members']} direct member" in text
        if row["nested"]:
            assert "whose members do not get the role" in text


def test_roles_nobody_holds_are_named_and_the_opening_counts_holders(tmp_path: Path) -> None:
    t = TenantBuilder()
    approver, auditor, clerk = (t.app_role(n) for n in ("Approver", "Auditor", "Clerk"))
    ledger = t.service_principal("Ledger Portal", appRoles=[approver, auditor, clerk])
    ann = t.user("Ann Approver")
    nested = t.group("Regional Clerks", [t.user("Rui Regional")])
    clerks = t.group("Clerks", [t.user("Cleo Clerk"), nested])
    a = t.assign_app_role(ann, ledger, approver)
    g = t.assign_app_role(clerks, ledger, clerk)
    store = t.store(tmp_path / "snap")
    result = default_registry().get("app_details").run(store, {"application": "Ledger Portal"})
    roles = result.facts.app_roles
    assert [r["name"] for r in roles["unheld"]] == ["Auditor"]
    assert (roles["defined"], roles["roles_held"]) == (3, 2)
    book = CitationBook(result.evidence)
    text = compose(result, book)
    first = text.split("\n\n")[0]
    assert "2 of its 3 app roles are held, by 1 user and 1 group; nobody holds Auditor." in first
    assert "- Held by nobody: Auditor" in text
    assert "Clerks (group, 2 direct members, 1 of them a group" in text
    assert {("appRoleAssignment", a["id"]), ("appRoleAssignment", g["id"])} <= book.cited()


def test_an_app_without_roles_or_assignments_says_so(tmp_path: Path) -> None:
    t = TenantBuilder()
    t.service_principal("Plain App")
    store = t.store(tmp_path / "snap")
    result = default_registry().get("app_details").run(store, {"application": "Plain App"})
    text = compose(result, CitationBook(result.evidence))
    assert "app role" not in text.split("\n\n")[0]
    assert "- No user or group assignment." in text
