"""The shape of the directory: users, guests, groups, apps, registration details."""

from __future__ import annotations

import re

SKUS = {
    "05e9a617-0261-4cee-bb44-138d3ef5d965",
    "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
    "84a661c4-e949-4bd2-a560-ed7766fcaf2b",
    "efccb6f7-5641-4e0e-bd10-b4976e1bf68e",
}


def test_users(demo) -> None:
    users = demo.collections["users"]
    guests = [u for u in users if u["userType"] == "Guest"]
    assert 0.04 <= len(guests) / len(users) <= 0.09
    for guest in guests:
        assert "#EXT#@contoso.onmicrosoft.com" in guest["userPrincipalName"]
        assert guest["externalUserState"] == "Accepted"
        assert not guest["mail"].endswith("@contoso.com")
    upns = [u["userPrincipalName"].lower() for u in users]
    assert len(set(upns)) == len(upns)
    assert sum(1 for u in users if not u["accountEnabled"]) >= 1
    assert sum(1 for u in users if u["signInActivity"] is None) >= 1
    stale = [
        u
        for u in users
        if u["signInActivity"] and u["signInActivity"]["lastSignInDateTime"] < "2026-08-22"
    ]
    assert len(stale) >= 3
    for user in users:
        for lic in user["assignedLicenses"]:
            assert lic["skuId"] in SKUS
    ids = {u["id"] for u in users}
    assert all(u["manager"]["id"] in ids for u in users if u["manager"])
    assert {"breakglass01@contoso.onmicrosoft.com", "breakglass02@contoso.onmicrosoft.com"} <= set(
        upns
    )


def test_groups(demo) -> None:
    groups = demo.by_id("groups")
    users = demo.by_id("users")
    assert len(groups) >= 40
    assert any(g["groupTypes"] == ["Unified"] for g in groups.values())
    assert any(g["isAssignableToRole"] for g in groups.values())
    assert any(not g["owners"] for g in groups.values())
    assert any(not g["members"] for g in groups.values())
    assert any(
        any(users.get(m["id"], {}).get("userType") == "Guest" for m in g["members"])
        for g in groups.values()
    )
    rule = re.compile(r'^\(user\.department -eq "([^"]+)"\) and \(user\.accountEnabled -eq true\)$')
    dynamic = [g for g in groups.values() if g["groupTypes"] == ["DynamicMembership"]]
    assert dynamic
    for group in dynamic:
        department = rule.match(group["membershipRule"]).group(1)
        assert group["membershipRuleProcessingState"] == "On"
        expected = {
            u["id"] for u in users.values() if u["department"] == department and u["accountEnabled"]
        }
        assert {m["id"] for m in group["members"]} == expected

    def depth(gid: str) -> int:
        nested = [m["id"] for m in groups[gid]["members"] if m["@odata.type"].endswith("group")]
        return 1 + max((depth(n) for n in nested), default=0)

    assert max(depth(g) for g in groups) >= 4


def test_apps(demo) -> None:
    sps = {sp["appId"]: sp for sp in demo.collections["servicePrincipals"]}
    microsoft = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
    for app_id in (
        "00000003-0000-0000-c000-000000000000",
        "00000002-0000-0ff1-ce00-000000000000",
        "00000003-0000-0ff1-ce00-000000000000",
        "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
        "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
        "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
        "1950a258-227b-4e31-a9cf-717495945fc2",
        "d3590ed6-52b3-4102-aeff-aad2292ab01c",
    ):
        assert sps[app_id]["appOwnerOrganizationId"] == microsoft
    apps = demo.collections["applications"]
    assert len(apps) >= 10
    assert any(not a["owners"] for a in apps)
    foreign = [
        sp
        for sp in sps.values()
        if sp["appOwnerOrganizationId"] not in (microsoft, demo.key["tenantId"])
    ]
    assert foreign
    ends = [c["endDateTime"] for a in apps for c in a["passwordCredentials"] + a["keyCredentials"]]
    assert any(e < "2026-11-20" for e in ends)
    long_lived = [
        c
        for a in apps
        for c in a["passwordCredentials"] + a["keyCredentials"]
        if int(c["endDateTime"][:4]) - int(c["startDateTime"][:4]) > 2
    ]
    assert long_lived
    signed_in = {s["appId"] for s in demo.sign_ins}
    assert any(a["appId"] not in signed_in for a in apps)


def test_registration_details_follow_roles(demo) -> None:
    details = demo.by_id("userRegistrationDetails")
    assert set(details) == set(demo.by_id("users"))
    admins = {a["principalId"] for a in demo.collections["roleAssignments"]}
    for user_id in admins & set(details):
        assert details[user_id]["isAdmin"] is True
