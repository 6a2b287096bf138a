"""Golden tests for each detection: a fragment that must fire and one that must not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from idpilot.model.windows import TimeWindow
from idpilot.security.detections import DetectionType, run_detections
from idpilot.security.detections.sign_ins import SPRAY_MIN_USERS
from idpilot.security.severity import Severity

from .builder import GLOBAL_ADMIN, GRAPH_ROLES, SINGAPORE, TACOMA, USER_ADMIN, TenantBuilder


def _run(tenant: TenantBuilder, tmp_path, detection: DetectionType):
    store = tenant.store(tmp_path / "snap")
    run = run_detections(store, _last_30_days(tenant), only=[detection])
    return run.findings


def _last_30_days(tenant: TenantBuilder) -> TimeWindow:
    return TimeWindow(start=tenant.ago(days=30), end=tenant.captured)


def _users(tenant: TenantBuilder, n: int, prefix: str = "User"):
    return [tenant.user(f"{prefix} {i}") for i in range(n)]


# -- password spray ----------------------------------------------------------------------


def test_password_spray_one_ip_many_users_then_success(tenant, tmp_path):
    start = tenant.ago(days=2)
    victims = _users(tenant, SPRAY_MIN_USERS + 2)
    failures = [
        tenant.sign_in(u, start + timedelta(minutes=2 * i), ip="192.0.2.66", error=50126)
        for i, u in enumerate(victims)
    ]
    success = tenant.sign_in(victims[0], start + timedelta(minutes=40), ip="192.0.2.66")
    [finding] = _run(tenant, tmp_path, DetectionType.password_spray)
    assert finding.subject_id == "192.0.2.66"
    assert finding.facts["distinct_users"] == SPRAY_MIN_USERS + 2
    assert finding.severity is Severity.critical
    cited = {e.id for e in finding.evidence}
    assert {f["id"] for f in failures} | {success["id"]} <= cited
    kinds = {p["kind"] for p in finding.proposals}
    assert {"confirmCompromised", "revokeSessions", "requirePasswordReset"} <= kinds


def test_password_spray_names_a_correct_password_stopped_by_conditional_access(tenant, tmp_path):
    start = tenant.ago(days=2)
    victims = _users(tenant, SPRAY_MIN_USERS + 1)
    for i, u in enumerate(victims[1:]):
        tenant.sign_in(u, start + timedelta(minutes=2 * i), ip="192.0.2.66", error=50126)
    later = start + timedelta(minutes=30)
    blocked = tenant.sign_in(victims[0], later, ip="192.0.2.66", error=53003)
    tenant.sign_in(victims[0], start + timedelta(minutes=31), ip="192.0.2.8")  # another IP
    [finding] = _run(tenant, tmp_path, DetectionType.password_spray)
    assert finding.severity is Severity.critical
    [accepted] = finding.facts["password_accepted"]
    assert accepted["id"] == blocked["id"] and accepted["errorCode"] == 53003
    assert finding.facts["successful_sign_ins"] == 0
    assert finding.evidence[0].id == blocked["id"]  # the sign-in that matters, first
    assert {p["kind"] for p in finding.proposals} == {"requirePasswordReset"}


def test_password_spray_with_every_password_wrong_accepts_none(tenant, tmp_path):
    start = tenant.ago(days=2)
    for i, u in enumerate(_users(tenant, SPRAY_MIN_USERS)):
        tenant.sign_in(u, start + timedelta(minutes=2 * i), ip="192.0.2.66", error=50126)
    [finding] = _run(tenant, tmp_path, DetectionType.password_spray)
    assert finding.severity is Severity.high
    assert finding.facts["password_accepted"] == [] and finding.proposals == []


def test_password_spray_ignores_few_users_and_spread_out_failures(tenant, tmp_path):
    start = tenant.ago(days=2)
    users = _users(tenant, SPRAY_MIN_USERS + 2)
    for i, u in enumerate(users[: SPRAY_MIN_USERS - 1]):  # too few users in one burst
        tenant.sign_in(u, start + timedelta(minutes=i), ip="192.0.2.66", error=50126)
    for i, u in enumerate(users):  # many users, but hours apart (office typos)
        tenant.sign_in(u, start + timedelta(hours=2 * i + 1), ip="192.0.2.99", error=50126)
    assert _run(tenant, tmp_path, DetectionType.password_spray) == []


# -- brute force and lockout -------------------------------------------------------------


def test_lockout_after_wrong_passwords(tenant, tmp_path):
    user = tenant.user("Lena Lock")
    start = tenant.ago(days=3)
    rows = [
        tenant.sign_in(user, start + timedelta(seconds=30 * i), error=50126 if i < 6 else 50053)
        for i in range(9)
    ]
    [finding] = _run(tenant, tmp_path, DetectionType.brute_force)
    assert finding.subject_id == user["id"]
    assert finding.facts["locked_out"] is True
    assert finding.facts["lockouts"] == 3
    assert {e.id for e in finding.evidence} == {r["id"] for r in rows}


def test_two_typos_are_not_brute_force(tenant, tmp_path):
    user = tenant.user("Tim Typo")
    tenant.sign_in(user, tenant.ago(days=3), error=50126)
    tenant.sign_in(user, tenant.ago(days=3) + timedelta(minutes=1), error=50126)
    tenant.sign_in(user, tenant.ago(days=1), error=50053)  # a lone stale retry
    assert _run(tenant, tmp_path, DetectionType.brute_force) == []


# -- impossible travel -------------------------------------------------------------------


def test_impossible_travel_seattle_then_singapore(tenant, tmp_path):
    user = tenant.user("Tara Travel")
    first = tenant.sign_in(user, tenant.ago(days=4), ip="203.0.113.5")
    second = tenant.sign_in(
        user, tenant.ago(days=4) + timedelta(minutes=41), ip="198.51.100.200", place=SINGAPORE
    )
    [finding] = _run(tenant, tmp_path, DetectionType.impossible_travel)
    assert finding.subject_id == user["id"]
    [pair] = finding.facts["pairs"]
    assert pair["from"] == first["id"] and pair["to"] == second["id"]
    assert 12000 < pair["km"] < 14000
    assert pair["kmh"] > 900
    assert (pair["from_place"], pair["to_place"]) == ("Seattle, US", "Singapore, SG")
    assert pair["to_ip"] == "198.51.100.200"


def test_nearby_or_slow_travel_and_missing_coordinates_are_not_flagged(tenant, tmp_path):
    user = tenant.user("Sam Slow")
    tenant.sign_in(user, tenant.ago(days=5))
    tenant.sign_in(user, tenant.ago(days=5) + timedelta(minutes=20), place=TACOMA)  # 40 km
    tenant.sign_in(user, tenant.ago(days=3), place=SINGAPORE)  # two days later: possible
    tenant.sign_in(user, tenant.ago(days=3) + timedelta(minutes=5), place=None)  # no coordinates
    store = tenant.store(tmp_path / "snap")
    run = run_detections(store, _last_30_days(tenant), only=[DetectionType.impossible_travel])
    assert run.findings == []
    assert any("geoCoordinates" in note for note in run.notes)


# -- MFA fatigue -------------------------------------------------------------------------


def test_mfa_fatigue_denials_then_approval(tenant, tmp_path):
    user = tenant.user("Frank Fatigue")
    start = tenant.ago(days=2)
    denied = [
        tenant.sign_in(user, start + timedelta(minutes=3 * i), ip="192.0.2.77", error=500121)
        for i in range(8)
    ]
    approved = tenant.sign_in(user, start + timedelta(minutes=30), ip="192.0.2.77")
    [finding] = _run(tenant, tmp_path, DetectionType.mfa_fatigue)
    assert finding.severity is Severity.critical
    assert finding.facts["denied_prompts"] == 8
    assert finding.facts["approval_sign_in_id"] == approved["id"]
    assert {d["id"] for d in denied} < {e.id for e in finding.evidence}
    [origin] = finding.facts["origins"]
    assert (origin["ip"], origin["place"]) == ("192.0.2.77", "Seattle, US")
    assert approved["id"] in origin["sign_in_ids"]


def test_one_denied_prompt_is_not_fatigue(tenant, tmp_path):
    user = tenant.user("Nora Normal")
    tenant.sign_in(user, tenant.ago(days=2), error=500121)
    tenant.sign_in(user, tenant.ago(days=2) + timedelta(minutes=1))
    assert _run(tenant, tmp_path, DetectionType.mfa_fatigue) == []


# -- legacy authentication ---------------------------------------------------------------


def test_legacy_protocol_sign_ins(tenant, tmp_path):
    user = tenant.user("Larry Legacy")
    ok = tenant.sign_in(user, tenant.ago(days=1), client="IMAP4")
    tenant.sign_in(user, tenant.ago(days=2), client="POP3", error=53003)
    [finding] = _run(tenant, tmp_path, DetectionType.legacy_authentication)
    assert finding.severity is Severity.high  # one succeeded: MFA was bypassed
    assert finding.facts["clients"] == ["IMAP4", "POP3"]
    assert ok["id"] in {e.id for e in finding.evidence}


def test_modern_clients_are_not_legacy(tenant, tmp_path):
    user = tenant.user("Mia Modern")
    tenant.sign_in(user, tenant.ago(days=1), client="Browser")
    tenant.sign_in(user, tenant.ago(days=1), client="Mobile Apps and Desktop clients")
    assert _run(tenant, tmp_path, DetectionType.legacy_authentication) == []


# -- anonymizers -------------------------------------------------------------------------


def test_anonymized_ip_sign_in(tenant, tmp_path):
    user = tenant.user("Bob Tor")
    row = tenant.sign_in(
        user, tenant.ago(days=3), ip="185.220.101.4", riskLevelDuringSignIn="medium",
        riskState="atRisk", riskEventTypes_v2=["anonymizedIPAddress"],
    )  # fmt: skip
    detection = tenant.risk_detection(
        user, "anonymizedIPAddress", "medium", tenant.ago(days=3), row
    )
    [finding] = _run(tenant, tmp_path, DetectionType.anonymizer_sign_in)
    assert finding.facts["ip"] == "185.220.101.4"
    assert finding.facts["risk_detection_ids"] == [detection["id"]]
    assert finding.severity is Severity.high


def test_other_risk_is_not_anonymizer(tenant, tmp_path):
    user = tenant.user("Una Familiar")
    tenant.sign_in(
        user, tenant.ago(days=3), riskLevelDuringSignIn="low", riskState="atRisk",
        riskEventTypes_v2=["unfamiliarFeatures"],
    )  # fmt: skip
    assert _run(tenant, tmp_path, DetectionType.anonymizer_sign_in) == []


# -- privileged role outside PIM ---------------------------------------------------------


def _role_audit(tenant, activity, actor, member, template, name, **kw):
    return tenant.audit(
        activity, tenant.ago(days=1), actor,
        [tenant.target(member, "User", **{"Role.TemplateId": template, "Role.DisplayName": name}),
         {"id": template, "displayName": name, "type": "Role", "modifiedProperties": []}],
        **kw,
    )  # fmt: skip


def test_global_admin_added_outside_pim(tenant, tmp_path):
    actor, eve = tenant.user("Desk Analyst"), tenant.user("Eve Evil")
    tenant.role(GLOBAL_ADMIN, "Global Administrator")
    record = _role_audit(
        tenant, "Add member to role", actor, eve, GLOBAL_ADMIN, "Global Administrator"
    )
    [finding] = _run(tenant, tmp_path, DetectionType.role_outside_pim)
    assert finding.severity is Severity.critical
    assert finding.subject_id == eve["id"]
    assert finding.facts["actor"]["id"] == actor["id"]
    assert finding.facts["actor_previous_role_changes"] == 0
    assert [e.id for e in finding.evidence] == [record["id"]]


def test_pim_activations_and_eligible_assignments_are_fine(tenant, tmp_path):
    actor, ann = tenant.user("Pat Admin"), tenant.user("Ann Admin")
    tenant.role(GLOBAL_ADMIN, "Global Administrator")
    _role_audit(
        tenant, "Add eligible member to role", actor, ann, GLOBAL_ADMIN, "Global Administrator"
    )
    _role_audit(tenant, "Add member to role completed (PIM activation)", actor, ann, GLOBAL_ADMIN,
                "Global Administrator")  # fmt: skip
    pim = {"id": tenant.id(), "displayName": "MS-PIM", "appId": tenant.id()}
    _role_audit(tenant, "Add member to role", pim, ann, GLOBAL_ADMIN, "Global Administrator")
    _role_audit(tenant, "Add member to role", actor, ann, "not-a-privileged-role", "Reports Reader")
    assert _run(tenant, tmp_path, DetectionType.role_outside_pim) == []


# -- consent and credentials on privileged service principals ----------------------------


def test_app_grants_itself_role_management(tenant, tmp_path):
    graph = tenant.graph()
    app = tenant.service_principal("Automation Runner")
    role_id = GRAPH_ROLES["RoleManagement.ReadWrite.Directory"]
    record = tenant.audit(
        "Add app role assignment to service principal", tenant.ago(hours=5), app,
        [tenant.target(graph, "ServicePrincipal", **{"AppRole.Id": role_id,
         "AppRole.Value": "RoleManagement.ReadWrite.Directory",
         "ServicePrincipal.ObjectID": app["id"],
         "ServicePrincipal.DisplayName": app["displayName"]})],
        category="ApplicationManagement",
    )  # fmt: skip
    [finding] = _run(tenant, tmp_path, DetectionType.high_privilege_consent)
    assert finding.severity is Severity.critical
    assert finding.subject_id == app["id"]
    assert [p["name"] for p in finding.facts["permissions"]] == [
        "RoleManagement.ReadWrite.Directory"
    ]
    assert record["id"] in {e.id for e in finding.evidence}


@pytest.mark.parametrize(
    ("app_name", "scopes", "flagged"),
    [
        ("Calendar Helper", "User.Read openid profile offline_access", []),
        ("Mail Sorter", "User.Read Mail.ReadWrite", [(Severity.high, ["Mail.ReadWrite"])]),
    ],
)
def test_a_user_consent_is_judged_by_its_scopes(tenant, tmp_path, app_name, scopes, flagged):
    """Low-privilege scopes are fine; a scope that reads mail is flagged high."""
    user = tenant.user("Carl Consent")
    app = tenant.service_principal(app_name)
    tenant.audit(
        "Consent to application", tenant.ago(hours=5), user,
        [tenant.target(app, "ServicePrincipal", **{
            "ConsentAction.Permissions": f"Scope: {scopes}"})],
        category="ApplicationManagement",
    )  # fmt: skip
    findings = _run(tenant, tmp_path, DetectionType.high_privilege_consent)
    assert [(f.severity, [p["name"] for p in f.facts["permissions"]]) for f in findings] == flagged


def test_new_secret_on_privileged_service_principal(tenant, tmp_path):
    graph = tenant.graph()
    admin = tenant.user("Dan Admin")
    app = tenant.service_principal("Automation Runner")
    tenant.grant_app_role(app, graph, GRAPH_ROLES["RoleManagement.ReadWrite.Directory"])
    record = tenant.audit(
        "Add service principal credentials", tenant.ago(hours=9), admin,
        [tenant.target(app, "ServicePrincipal", KeyDescription=["[KeyType=Password]"])],
        category="ApplicationManagement",
    )  # fmt: skip
    [finding] = _run(tenant, tmp_path, DetectionType.privileged_credential)
    assert finding.subject_id == app["id"]
    assert finding.facts["permissions"] == ["RoleManagement.ReadWrite.Directory"]
    assert finding.severity is Severity.critical
    assert record["id"] in {e.id for e in finding.evidence}


def test_new_secret_on_ordinary_app_is_fine(tenant, tmp_path):
    graph = tenant.graph()
    admin = tenant.user("Dan Admin")
    app = tenant.service_principal("Directory Reader")
    tenant.grant_app_role(app, graph, GRAPH_ROLES["User.Read.All"])
    tenant.audit(
        "Add service principal credentials", tenant.ago(hours=9), admin,
        [tenant.target(app, "ServicePrincipal", KeyDescription=["[KeyType=Password]"])],
        category="ApplicationManagement",
    )  # fmt: skip
    assert _run(tenant, tmp_path, DetectionType.privileged_credential) == []


# -- security info from a new location ---------------------------------------------------


def test_security_info_registered_from_new_country(tenant, tmp_path):
    user = tenant.user("Rita Register")
    for day in range(3, 10):
        tenant.sign_in(user, tenant.ago(days=day), ip="203.0.113.5")
    tenant.sign_in(user, tenant.ago(hours=2), ip="192.0.2.200", place=SINGAPORE)
    record = tenant.audit(
        "User registered security info", tenant.ago(hours=1), user,
        [tenant.target(user, "User")], category="UserManagement", ip="192.0.2.200",
    )  # fmt: skip
    [finding] = _run(tenant, tmp_path, DetectionType.security_info_new_location)
    assert finding.subject_id == user["id"]
    assert finding.facts["country"] == "SG"
    assert [e.id for e in finding.evidence] == [record["id"]]


def test_security_info_from_usual_ip_is_fine(tenant, tmp_path):
    user = tenant.user("Rita Register")
    for day in range(3, 10):
        tenant.sign_in(user, tenant.ago(days=day), ip="203.0.113.5")
    tenant.audit(
        "User changed default security info", tenant.ago(hours=1), user,
        [tenant.target(user, "User")], category="UserManagement", ip="203.0.113.5",
    )  # fmt: skip
    assert _run(tenant, tmp_path, DetectionType.security_info_new_location) == []


def test_findings_sorted_worst_first(tenant, tmp_path):
    user = tenant.user("Larry Legacy")
    tenant.sign_in(user, tenant.ago(days=2), client="POP3", error=53003)  # low
    actor, eve = tenant.user("Desk Analyst"), tenant.user("Eve Evil")
    tenant.role(USER_ADMIN, "User Administrator")
    _role_audit(tenant, "Add member to role", actor, eve, USER_ADMIN, "User Administrator")
    store = tenant.store(tmp_path / "snap")
    run = run_detections(store, _last_30_days(tenant))
    assert [f.severity for f in run.findings] == [Severity.high, Severity.low]
    assert set(run.timings) == {d.value for d in DetectionType}
