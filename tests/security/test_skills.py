"""The security skills through `Copilot.ask`: planner choice, cited records, proposals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from idpilot.copilot.engine import Copilot

from .builder import GLOBAL_ADMIN, GRAPH_ROLES, TenantBuilder


@pytest.fixture(scope="module")
def copilot(tmp_path_factory) -> Copilot:
    t = TenantBuilder()
    t.role(GLOBAL_ADMIN, "Global Administrator")
    victims = [t.user(f"Victim {i}") for i in range(12)]
    for i, u in enumerate(victims):
        t.sign_in(u, t.ago(hours=10) + timedelta(minutes=i), ip="192.0.2.66", error=50126)
    t.sign_in(victims[0], t.ago(hours=9), ip="192.0.2.66")
    bob = t.user("Bob Smith")
    t.assign(bob, GLOBAL_ADMIN)
    t.registration(bob, ["mobilePhone"])
    t.risky_user(bob, "high")
    t.risk_detection(bob, "leakedCredentials", "high", t.ago(days=5), timing="offline")
    tor = t.sign_in(bob, t.ago(days=3), ip="185.220.101.4", riskLevelDuringSignIn="medium",
                    riskEventTypes_v2=["anonymizedIPAddress"])  # fmt: skip
    t.risk_detection(bob, "anonymizedIPAddress", "medium", t.ago(days=3), tor)
    t.risky_user(t.user("Low Larry"), "low")
    graph = t.graph()
    sp = t.service_principal("Automation Runner")
    t.grant_app_role(sp, graph, GRAPH_ROLES["RoleManagement.ReadWrite.Directory"])
    t.policy("CA001 Require MFA", state="enabledForReportingButNotEnforced")
    store = t.store(tmp_path_factory.mktemp("skills") / "snap")
    return Copilot(store)


def test_anything_suspicious_last_24_hours(copilot):
    answer = copilot.ask("Anything suspicious in the last 24 hours?")
    assert [s.name for s in answer.skills] == ["detect_threats"]
    assert "Password spray" in answer.answer and "192.0.2.66" in answer.answer
    assert len([c for c in answer.citations if c.kind == "signIn"]) == 13
    assert "revokeSignInSessions" in answer.answer


def test_risky_user_summary_explains_and_plans(copilot):
    answer = copilot.ask("Summarize the risk for Bob Smith")
    assert [s.name for s in answer.skills] == ["risky_user_summary"]
    text = answer.answer
    assert "Leaked credentials" in text and "Anonymous IP address" in text
    assert "secure password reset" in text and "confirmCompromised" in text
    assert "user-risk Conditional Access policy" in text
    kinds = {c.kind for c in answer.citations}
    assert {"riskyUser", "riskDetection", "signIn"} <= kinds


def test_a_person_with_no_detection_gets_no_prevention_advice(copilot):
    """ "What would have prevented it" needs something to have happened: Victim 3 has no
    detection, so the answer says only that he is not flagged."""
    answer = copilot.ask("Summarize the risk for Victim 3")
    assert [s.name for s in answer.skills] == ["risky_user_summary"]
    assert "not listed as a risky user" in answer.answer
    assert "prevented" not in answer.answer


def test_what_happened_to_a_persons_account_reads_risk_and_changes(copilot):
    answer = copilot.ask("what happened to Bob Smith's account?")
    assert [s.name for s in answer.skills] == ["risky_user_summary", "audit_history"]
    assert "Leaked credentials" in answer.answer


def test_risky_user_summary_lists_the_security_info_change_after_a_detection(tenant, tmp_path):
    from idpilot.skills import default_registry

    user = tenant.user("Rita Risk")
    tenant.risky_user(user, "high")
    tor = tenant.sign_in(user, tenant.ago(hours=5), ip="185.220.101.4")
    tenant.risk_detection(user, "anonymizedIPAddress", "high", tenant.ago(hours=5), tor)
    record = tenant.audit(
        "User registered security info", tenant.ago(hours=2), user,
        [tenant.target(user, "User")], category="UserManagement", ip="185.220.101.4",
    )  # fmt: skip
    store = tenant.store(tmp_path / "snap")
    result = default_registry().get("risky_user_summary").run(store, {"user": user["id"]})
    [audit] = result.facts.insights.audits
    assert audit.id == record["id"] and audit.kind == "securityInfo"
    assert audit.actor == user["userPrincipalName"] and audit.targets == []
    assert "review_security_info" in [step.step for step in result.facts.plan]


def test_risky_users_ranked(copilot):
    answer = copilot.ask("Which users are at risk?")
    assert [s.name for s in answer.skills] == ["risky_users"]
    assert answer.answer.index("Bob Smith") < answer.answer.index("Low Larry")
    assert "Global Administrator" in answer.answer


def test_workload_identity_risk(copilot):
    answer = copilot.ask("Which workload identities are risky?")
    assert [s.name for s in answer.skills] == ["workload_identity_risk"]
    assert "Automation Runner" in answer.answer
    assert "RoleManagement.ReadWrite.Directory" in answer.answer


def test_posture_assessment(copilot):
    answer = copilot.ask("Run a security posture assessment")
    assert [s.name for s in answer.skills] == ["posture_assessment"]
    assert "Security posture score" in answer.answer and "Summary for management" in answer.answer
    assert "IDP-CA-007" in answer.answer


def test_a_check_asked_by_name_leads_the_posture_answer(copilot):
    """ "do we pass the legacy authentication check?": that check's verdict first, the whole
    assessment after; a question about the whole posture names no check."""
    answer = copilot.ask("Do we pass the legacy authentication check?")
    assert [s.name for s in answer.skills] == ["posture_assessment"]
    lead = answer.answer.split("\n\n")[0]
    assert "Legacy authentication is blocked: failed" in lead
    assert "MS.AAD.1.1v1" in lead
    whole = copilot.ask("Run a security posture assessment")
    assert whole.answer.startswith("**Security posture score")


def test_detections_facts_carry_proposals(copilot):
    from idpilot.skills import default_registry

    result = default_registry().get("detect_threats").run(copilot.store, {})
    kinds = {p["kind"] for p in result.facts.proposals}
    assert {"confirmCompromised", "revokeSessions", "requirePasswordReset"} <= kinds


def test_workload_identity_risk_about_one_app(tmp_path_factory):
    t = TenantBuilder()
    graph = t.graph()
    runner = t.service_principal("Automation Runner")
    t.grant_app_role(runner, graph, GRAPH_ROLES["RoleManagement.ReadWrite.Directory"])
    helper = t.service_principal("Quiet Helper")  # as privileged: a finding of its own
    t.grant_app_role(helper, graph, GRAPH_ROLES["RoleManagement.ReadWrite.Directory"])
    copilot = Copilot(t.store(tmp_path_factory.mktemp("one-app") / "snap"))
    answer = copilot.ask("is Automation Runner risky?")
    assert [s.name for s in answer.skills] == ["workload_identity_risk"]
    assert answer.skills[0].params["application"] == runner["id"]
    assert answer.answer.startswith("**Automation Runner** is not flagged as risky")
    assert "RoleManagement.ReadWrite.Directory" in answer.answer
    assert "Quiet Helper" not in answer.answer  # the other app's findings are not this answer's
    every = copilot.ask("Which workload identities are risky?")
    assert "Quiet Helper" in every.answer and "Automation Runner" in every.answer
    # A word some app names share ("runner") names no app: the question is about every app.
    shared = copilot.ask("any risky service principals or runner apps?")
    assert "application" not in shared.skills[0].params
    assert "Quiet Helper" in shared.answer and "Automation Runner" in shared.answer
