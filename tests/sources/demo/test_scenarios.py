"""Every planted scenario is present, consistent across collections, and cited by the key."""

from __future__ import annotations

import re
from datetime import datetime

GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"
SCENARIO_IDS = {
    "password_spray",
    "impossible_travel",
    "leaked_credentials",
    "mfa_fatigue",
    "legacy_auth_blocked",
    "compliant_device_failure",
    "account_lockout",
    "privileged_role_outside_pim",
    "service_principal_privilege_escalation",
    "risky_workload_identity",
    "stale_guest_in_privileged_group",
    "admin_without_phishing_resistant_mfa",
    "breakglass_not_excluded",
    "overlapping_policies",
    "report_only_policy_would_block",
    "policy_never_applies",
    "ownerless_group_owner_removed",
    "account_disabled_by_admin",
    "lockout_password_reset",
    "recent_group_change",
    "breakglass_exclusion_removed",
}
KIND_TO_COLLECTION = {
    "signIn": "signIns",
    "directoryAudit": "directoryAudits",
    "riskDetection": "riskDetections",
    "conditionalAccessPolicy": "conditionalAccessPolicies",
    "user": "users",
    "servicePrincipal": "servicePrincipals",
    "group": "groups",
    "servicePrincipalRiskDetection": "servicePrincipalRiskDetections",
}


def _ts(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def scenario(demo, sid: str) -> dict:
    return next(s for s in demo.key["scenarios"] if s["id"] == sid)


def rows(demo, sid: str) -> list[dict]:
    ids = set(scenario(demo, sid)["evidence"].get("signIn", []))
    return [s for s in demo.sign_ins if s["id"] in ids]


def test_answer_key_shape(demo) -> None:
    key = demo.key
    assert {s["id"] for s in key["scenarios"]} == SCENARIO_IDS
    for s in key["scenarios"]:
        assert re.match(r"^[a-z][a-z0-9_]*$", s["id"])
        assert s["title"] and s["description"] and s["evidence"] and s["facts"]
    personas = [
        "alice_johnson",
        "alice_other",
        "bob",
        "eve",
        "mfa_fatigue_user",
        "lockout_user",
        "legacy_user",
        "impossible_travel_user",
        "stale_guest",
        "admin_without_phishing_resistant_mfa",
        "breakglass_not_excluded",
        "eve_role_actor",
        "risky_app",
        "privileged_app",
        "injection_user",
    ]
    for persona in personas:
        assert key["personas"][persona]["id"]


def test_evidence_ids_exist(demo) -> None:
    for s in demo.key["scenarios"]:
        for kind, ids in s["evidence"].items():
            existing = demo.by_id(KIND_TO_COLLECTION[kind])
            missing = [i for i in ids if i not in existing]
            assert not missing, (s["id"], kind, missing)


def test_personas_are_in_the_directory(demo) -> None:
    users = demo.by_id("users")
    sps = demo.by_id("servicePrincipals")
    for name, persona in demo.key["personas"].items():
        pool = sps if name in ("risky_app", "privileged_app") else users
        assert pool[persona["id"]]["displayName"] == persona["displayName"], name
    alices = [u for u in users.values() if u["givenName"] == "Alice"]
    assert len(alices) == 2
    assert demo.key["personas"]["bob"]["displayName"].startswith("Bob ")
    assert demo.key["personas"]["eve"]["displayName"].startswith("Eve ")


def test_password_spray(demo) -> None:
    facts = scenario(demo, "password_spray")["facts"]
    attempts = [s for s in demo.sign_ins if s["ipAddress"] == facts["ip"]]
    failed = [s for s in attempts if s["status"]["errorCode"] == 50126]
    assert len({s["userId"] for s in failed}) >= 15
    span = _ts(attempts[-1]["createdDateTime"]) - _ts(attempts[0]["createdDateTime"])
    assert span.total_seconds() <= 3600
    assert sum(1 for s in attempts if s["status"]["errorCode"] == 0) == 1
    states = {p["id"]: p["state"] for p in demo.collections["conditionalAccessPolicies"]}
    not_evaluated = {
        "enabled": "notApplied",
        "enabledForReportingButNotEnforced": "reportOnlyNotApplied",
        "disabled": "notEnabled",
    }
    for s in failed:  # wrong password: Conditional Access never ran
        assert s["conditionalAccessStatus"] == "notApplied"
        recorded = {a["id"]: a["result"] for a in s["appliedConditionalAccessPolicies"]}
        assert recorded == {pid: not_evaluated[state] for pid, state in states.items()}


def test_impossible_travel(demo) -> None:
    first, second = sorted(rows(demo, "impossible_travel"), key=lambda s: s["createdDateTime"])
    assert first["userId"] == second["userId"]
    assert first["location"]["countryOrRegion"] != second["location"]["countryOrRegion"]
    assert (_ts(second["createdDateTime"]) - _ts(first["createdDateTime"])).total_seconds() < 3600
    detections = demo.by_id("riskDetections")
    (detection,) = scenario(demo, "impossible_travel")["evidence"]["riskDetection"]
    assert detections[detection]["riskEventType"] == "unlikelyTravel"
    assert detections[detection]["requestId"] == second["id"]


def test_leaked_credentials_for_bob(demo) -> None:
    bob = demo.key["personas"]["bob"]["id"]
    detections = [d for d in demo.collections["riskDetections"] if d["userId"] == bob]
    types = {d["riskEventType"]: d for d in detections}
    assert types["leakedCredentials"]["detectionTimingType"] == "offline"
    (tor,) = rows(demo, "leaked_credentials")
    assert types["anonymizedIPAddress"]["requestId"] == tor["id"]
    assert tor["status"]["errorCode"] == 0
    assert tor["createdDateTime"] > types["leakedCredentials"]["activityDateTime"]
    risky = {u["id"]: u for u in demo.collections["riskyUsers"]}[bob]
    assert (risky["riskLevel"], risky["riskState"]) == ("high", "atRisk")


def test_mfa_fatigue(demo) -> None:
    found = sorted(rows(demo, "mfa_fatigue"), key=lambda s: s["createdDateTime"])
    denied = [s for s in found if s["status"]["errorCode"] == 500121]
    assert len(denied) >= 8
    assert found[-1]["status"]["errorCode"] == 0
    assert (_ts(found[-1]["createdDateTime"]) - _ts(found[0]["createdDateTime"])).seconds <= 1800
    for s in denied:
        steps = s["authenticationDetails"]
        assert steps[-1]["authenticationMethod"] == "Microsoft Authenticator app"
        assert steps[-1]["succeeded"] is False
        assert steps[-1]["authenticationStepResultDetail"].startswith("MFA denied")


def test_legacy_auth_blocked(demo) -> None:
    policy = scenario(demo, "legacy_auth_blocked")["entities"]["policyId"]
    for s in rows(demo, "legacy_auth_blocked"):
        assert s["status"]["errorCode"] == 53003
        assert s["clientAppUsed"] in ("IMAP4", "POP3", "Authenticated SMTP")
        result = {a["id"]: a["result"] for a in s["appliedConditionalAccessPolicies"]}
        assert result[policy] == "failure"


def test_compliant_device_failure_for_alice_johnson(demo) -> None:
    entry = scenario(demo, "compliant_device_failure")
    alice, other = entry["entities"]["userId"], entry["entities"]["otherAliceId"]
    assert alice == demo.key["personas"]["alice_johnson"]["id"]
    found = rows(demo, "compliant_device_failure")
    assert found
    for s in found:
        assert s["userId"] == alice and s["status"]["errorCode"] == 53000
        assert s["createdDateTime"].startswith("2026-11-20T0")
        assert s["deviceDetail"]["isCompliant"] is False
        assert s["appId"] == entry["entities"]["appId"]
    assert all(s["status"]["errorCode"] == 0 for s in demo.sign_ins if s["userId"] == other)
    assert any(s["userId"] == other for s in demo.sign_ins)


def test_lockout(demo) -> None:
    codes = [s["status"]["errorCode"] for s in rows(demo, "account_lockout")]
    assert codes.count(50126) >= 3 and 50053 in codes


def test_role_outside_pim(demo) -> None:
    entry = scenario(demo, "privileged_role_outside_pim")
    eve, actor = entry["entities"]["userId"], entry["entities"]["actorId"]
    (audit_id,) = entry["evidence"]["directoryAudit"]
    record = {a["id"]: a for a in demo.audits}[audit_id]
    assert record["activityDisplayName"] == "Add member to role"
    assert record["initiatedBy"]["user"]["id"] == actor
    assert record["targetResources"][0]["id"] == eve
    assert any(
        a["principalId"] == eve and a["roleDefinitionId"] == GLOBAL_ADMIN
        for a in demo.collections["roleAssignments"]
    )
    role_changes_by_actor = [
        a
        for a in demo.audits
        if a["category"] == "RoleManagement" and (a["initiatedBy"]["user"] or {}).get("id") == actor
    ]
    assert role_changes_by_actor == [record]
    admins = [
        a for a in demo.collections["roleAssignments"] if a["roleDefinitionId"] == GLOBAL_ADMIN
    ]
    assert 3 <= len(admins) <= 4
    upns = {demo.by_id("users")[a["principalId"]]["userPrincipalName"] for a in admins}
    assert {"breakglass01@contoso.onmicrosoft.com", "breakglass02@contoso.onmicrosoft.com"} <= upns


def test_service_principal_privilege_escalation(demo) -> None:
    entry = scenario(demo, "service_principal_privilege_escalation")
    sp = demo.by_id("servicePrincipals")[entry["entities"]["servicePrincipalId"]]
    assert entry["entities"]["keyId"] in {c["keyId"] for c in sp["passwordCredentials"]}
    grants = {a["id"]: a for a in demo.collections["appRoleAssignments"]}
    grant = grants[entry["entities"]["appRoleAssignmentId"]]
    assert grant["principalId"] == sp["id"]
    assert grant["appRoleId"] == "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8"
    audits = {a["id"]: a for a in demo.audits}
    names = {audits[i]["activityDisplayName"] for i in entry["evidence"]["directoryAudit"]}
    assert names == {
        "Add service principal credentials",
        "Add app role assignment to service principal",
    }


def test_risky_workload_identity(demo) -> None:
    entry = scenario(demo, "risky_workload_identity")
    sp_id = entry["entities"]["servicePrincipalId"]
    (risky,) = demo.collections["riskyServicePrincipals"]
    assert risky["id"] == sp_id and risky["riskLevel"] == "high"
    detections = demo.collections["servicePrincipalRiskDetections"]
    assert {d["servicePrincipalId"] for d in detections} == {sp_id}
    assert "leakedCredentials" in {d["riskEventType"] for d in detections}


def test_stale_guest_in_privileged_group(demo) -> None:
    entry = scenario(demo, "stale_guest_in_privileged_group")
    guest = demo.by_id("users")[entry["entities"]["userId"]]
    group = demo.by_id("groups")[entry["entities"]["groupId"]]
    assert guest["userType"] == "Guest" and group["isAssignableToRole"] is True
    assert guest["id"] in {m["id"] for m in group["members"]}
    last = _ts(guest["signInActivity"]["lastSignInDateTime"])
    assert (_ts("2026-11-20T10:00:00Z") - last).days > 90
    assert any(a["principalId"] == group["id"] for a in demo.collections["roleAssignments"])


def test_admin_without_phishing_resistant_mfa(demo) -> None:
    user_id = scenario(demo, "admin_without_phishing_resistant_mfa")["entities"]["userId"]
    details = demo.by_id("userRegistrationDetails")[user_id]
    assert details["isAdmin"] is True
    assert not {"fido2", "windowsHelloForBusiness"} & set(details["methodsRegistered"])


def test_breakglass_not_excluded(demo) -> None:
    entry = scenario(demo, "breakglass_not_excluded")
    policy = demo.by_id("conditionalAccessPolicies")[entry["entities"]["policyId"]]
    users = policy["conditions"]["users"]
    bg = entry["entities"]["userId"]
    assert "All" in users["includeUsers"] and bg not in users["excludeUsers"]
    groups = demo.by_id("groups")
    for gid in users["excludeGroups"]:
        assert bg not in {m["id"] for m in groups[gid]["members"]}
    assert "block" in policy["grantControls"]["builtInControls"]


def test_overlapping_policies(demo) -> None:
    a, b = scenario(demo, "overlapping_policies")["entities"]["policyIds"]
    policies = demo.by_id("conditionalAccessPolicies")
    pa, pb = policies[a]["conditions"], policies[b]["conditions"]
    assert pa["users"]["includeGroups"] == pb["users"]["includeGroups"]
    assert pa["applications"]["includeApplications"] == pb["applications"]["includeApplications"]
    (row,) = [r for r in rows(demo, "overlapping_policies") if r["status"]["errorCode"] == 53003]
    results = {x["id"]: x["result"] for x in row["appliedConditionalAccessPolicies"]}
    assert results[b] == "failure"


def test_report_only_policy_would_block_many(demo) -> None:
    entry = scenario(demo, "report_only_policy_would_block")
    policy_id = entry["entities"]["policyId"]
    assert demo.by_id("conditionalAccessPolicies")[policy_id]["state"] == (
        "enabledForReportingButNotEnforced"
    )
    failures = [
        s
        for s in demo.sign_ins
        for a in s["appliedConditionalAccessPolicies"]
        if a["id"] == policy_id and a["result"] == "reportOnlyFailure"
    ]
    assert len(failures) == entry["facts"]["reportOnlyFailureSignIns"] > 1000
    assert set(entry["evidence"]["signIn"]) <= {s["id"] for s in failures}


def test_policy_that_never_applies(demo) -> None:
    policy_id = scenario(demo, "policy_never_applies")["entities"]["policyId"]
    for s in demo.sign_ins[:5000]:
        for a in s["appliedConditionalAccessPolicies"]:
            if a["id"] == policy_id:
                assert a["result"] == "notApplied"


def test_hostile_string_is_kept_as_data(demo) -> None:
    (hostile,) = demo.key["hostile_strings"]
    injection = demo.by_id("users")[demo.key["personas"]["injection_user"]["id"]]
    assert injection["displayName"] == hostile and injection["userType"] == "Guest"
