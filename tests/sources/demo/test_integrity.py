"""Referential integrity across collections, and sign-ins that agree with the CA engine."""

from __future__ import annotations

import random

from idpilot.knowledge import fails_primary_authentication
from idpilot.sources.demo._ca import PolicySet, context_from_sign_in
from idpilot.sources.demo.conditional import DemoDirectory
from idpilot.sources.demo.tenant import Tenant


def test_sign_ins_reference_real_users_and_apps(demo) -> None:
    users = demo.by_id("users")
    app_ids = {sp["appId"] for sp in demo.collections["servicePrincipals"]}
    for s in demo.sign_ins:
        assert s["userId"] in users
        assert users[s["userId"]]["userPrincipalName"] == s["userPrincipalName"]
        assert s["appId"] in app_ids and s["resourceId"] in app_ids


def test_group_members_and_owners_exist(demo) -> None:
    users, groups = demo.by_id("users"), demo.by_id("groups")
    for group in groups.values():
        for member in group["members"]:
            pool = groups if member["@odata.type"] == "#microsoft.graph.group" else users
            assert member["id"] in pool
            assert pool[member["id"]]["displayName"] == member["displayName"]
        for owner in group["owners"]:
            assert owner["id"] in users


def test_roles_reference_principals_and_definitions(demo) -> None:
    principals = demo.by_id("users") | demo.by_id("groups")
    roles = demo.by_id("roleDefinitions")
    for assignment in demo.collections["roleAssignments"]:
        assert assignment["principalId"] in principals
        assert assignment["roleDefinitionId"] in roles
    for schedule in demo.collections["roleEligibilitySchedules"]:
        assert schedule["principalId"] in principals
        assert schedule["roleDefinitionId"] in roles
        assert schedule["status"] == "Provisioned" and schedule["memberType"] == "Direct"
    scopes = {a["directoryScopeId"] for a in demo.collections["roleAssignments"]}
    assert any(s.startswith("/administrativeUnits/") for s in scopes)
    app_object_ids = {a["id"] for a in demo.collections["applications"]}
    assert any(s[1:] in app_object_ids for s in scopes)
    for role in roles.values():
        assert role["id"] == role["templateId"] and role["isBuiltIn"]


def test_app_permissions_reference_service_principals(demo) -> None:
    sps = demo.by_id("servicePrincipals")
    principals = sps | demo.by_id("users") | demo.by_id("groups")
    for assignment in demo.collections["appRoleAssignments"]:
        assert assignment["principalId"] in principals
        resource = sps[assignment["resourceId"]]
        assert assignment["appRoleId"] in {r["id"] for r in resource["appRoles"]}
    for grant in demo.collections["oauth2PermissionGrants"]:
        assert grant["clientId"] in sps and grant["resourceId"] in sps
        assert (grant["principalId"] is None) == (grant["consentType"] == "AllPrincipals")
    app_ids = {a["appId"] for a in demo.collections["applications"]}
    assert app_ids <= {sp["appId"] for sp in sps.values()}


def test_policies_reference_existing_objects(demo) -> None:
    principals = demo.by_id("users") | demo.by_id("groups")
    roles = demo.by_id("roleDefinitions")
    locations = demo.by_id("namedLocations")
    app_ids = {sp["appId"] for sp in demo.collections["servicePrincipals"]}
    specials = {"All", "None", "GuestsOrExternalUsers", "AllTrusted"}
    for policy in demo.collections["conditionalAccessPolicies"]:
        users = policy["conditions"]["users"]
        for key in ("includeUsers", "excludeUsers", "includeGroups", "excludeGroups"):
            assert all(x in principals or x in specials for x in users[key])
        for key in ("includeRoles", "excludeRoles"):
            assert all(x in roles for x in users[key])
        for app in policy["conditions"]["applications"]["includeApplications"]:
            assert app in app_ids or app in specials
        for key in ("includeLocations", "excludeLocations"):
            for loc in (policy["conditions"]["locations"] or {}).get(key, []):
                assert loc in locations or loc in specials
    assert 10 <= len(demo.collections["conditionalAccessPolicies"]) <= 14


def test_every_evaluated_sign_in_lists_every_policy(demo) -> None:
    policy_ids = [p["id"] for p in demo.collections["conditionalAccessPolicies"]]
    for s in demo.sign_ins:
        applied = s["appliedConditionalAccessPolicies"]
        assert sorted(a["id"] for a in applied) == sorted(policy_ids)
        results = {a["result"] for a in applied}
        if fails_primary_authentication(s["status"]["errorCode"]):
            assert s["conditionalAccessStatus"] == "notApplied"
            assert results <= {"notApplied", "reportOnlyNotApplied", "notEnabled"}
        if s["status"]["errorCode"] == 53003:
            assert "failure" in results and s["conditionalAccessStatus"] == "failure"
        if s["status"]["errorCode"] == 0:
            assert "failure" not in results


def test_conditional_access_status_follows_the_documented_rule(demo) -> None:
    """failure: an enforced policy failed; success: one applied or matched user and app."""
    for s in demo.sign_ins[:20000]:
        results = {a["result"] for a in s["appliedConditionalAccessPolicies"]}
        status = s["conditionalAccessStatus"]
        if "failure" in results:
            assert status == "failure", s["id"]
        elif "success" in results:
            assert status == "success", s["id"]
        else:
            assert status in ("success", "notApplied"), s["id"]


def _tenant_from(demo) -> Tenant:
    tenant = Tenant(seed=0, tenant_id="", days=30)
    tenant.users = demo.collections["users"]
    tenant.groups = demo.collections["groups"]
    tenant.role_assignments = demo.collections["roleAssignments"]
    return tenant


def test_recorded_results_match_a_fresh_evaluation(demo) -> None:
    """Re-evaluate a sample from the files alone: the recorded results must come out again."""
    directory = DemoDirectory(_tenant_from(demo))
    policy_set = PolicySet.from_graph(
        demo.collections["conditionalAccessPolicies"], demo.collections["namedLocations"]
    )
    evaluated = [s for s in demo.sign_ins if s["appliedConditionalAccessPolicies"]]
    planted = {i for sc in demo.key["scenarios"] for i in sc["evidence"].get("signIn", [])}
    sample = random.Random(3).sample(evaluated, 600)
    sample += [s for s in evaluated if s["id"] in planted]
    for s in sample:
        evaluation = policy_set.evaluate(context_from_sign_in(s), directory)
        expected = {p.policy_id: str(p.result) for p in evaluation.policies}
        recorded = {a["id"]: a["result"] for a in s["appliedConditionalAccessPolicies"]}
        assert recorded == expected, s["id"]
        if s["status"]["errorCode"] == 53003:
            assert str(evaluation.outcome) == "blocked"
        if s["status"]["errorCode"] == 0:
            assert str(evaluation.outcome) == "allowed"


def test_sign_in_activity_matches_sign_ins(demo) -> None:
    latest: dict[str, str] = {}
    latest_ok: dict[str, str] = {}
    for s in demo.sign_ins:
        if s["isInteractive"]:
            latest[s["userId"]] = max(latest.get(s["userId"], ""), s["createdDateTime"])
        if s["status"]["errorCode"] == 0:
            latest_ok[s["userId"]] = max(latest_ok.get(s["userId"], ""), s["createdDateTime"])
    for user in demo.collections["users"]:
        activity = user["signInActivity"]
        if user["id"] in latest:
            assert activity["lastSignInDateTime"] == latest[user["id"]]
        if user["id"] in latest_ok:
            assert activity["lastSuccessfulSignInDateTime"] == latest_ok[user["id"]]


def test_audits_agree_with_the_directory(demo) -> None:
    groups = demo.by_id("groups")
    users = demo.by_id("users")
    for record in demo.audits:
        assert record["activityDateTime"] < "2026-11-20T10:00:00Z"
        targets = record["targetResources"]
        activity = record["activityDisplayName"]
        if activity == "Add member to group":
            members = {m["id"] for m in groups[targets[1]["id"]]["members"]}
            assert targets[0]["id"] in members
        elif activity == "Remove member from group":
            members = {m["id"] for m in groups[targets[1]["id"]]["members"]}
            assert targets[0]["id"] not in members
        elif activity == "Add owner to group":
            assert targets[0]["id"] in {o["id"] for o in groups[targets[1]["id"]]["owners"]}
        elif activity == "Delete user":
            assert targets[0]["id"] not in users
        elif activity == "Add user":
            assert users[targets[0]["id"]]["createdDateTime"] == record["activityDateTime"]
        for target in targets:
            for prop in target["modifiedProperties"]:
                for side in ("oldValue", "newValue"):
                    assert prop[side] is None or isinstance(prop[side], str)
    activities = {r["activityDisplayName"] for r in demo.audits}
    assert {
        "Add user",
        "Update user",
        "Add member to group",
        "Remove member from group",
        "Reset user password",
        "Add member to role",
        "Update conditional access policy",
        "Add service principal credentials",
        "Update application – Certificates and secrets management ",
        "Add app role assignment to service principal",
        "Consent to application",
        "User registered security info",
        "Add owner to group",
        "Delete user",
    } <= activities
