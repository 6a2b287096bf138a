"""The demo's tenant settings: Graph's shapes, Microsoft's defaults, and the weak settings the
answer key records, each found by the posture check of its SCuBA control."""

from __future__ import annotations

import orjson

from idpilot.model.collections import SINGLETONS, Collection
from idpilot.posture import CHECKS, CheckStatus, assess
from tests.conftest import DemoTenant
from tests.posture.settings_cases import SETTINGS_CASES


def test_singletons_are_written_as_their_get_returns_them(demo) -> None:
    for collection in SINGLETONS:
        document = orjson.loads((demo.path / f"{collection.value}.json").read_bytes())
        assert "value" not in document and document["@odata.context"].startswith(
            "https://graph.microsoft.com/v1.0/$metadata#"
        )


def test_settings_follow_microsofts_documented_defaults(demo) -> None:
    policy = demo.collections["authorizationPolicy"][0]
    assert policy["guestUserRoleId"] == "10dae51f-b6af-4016-8d66-8c2a99b929b3"  # limited
    assert demo.collections["identitySecurityDefaultsEnforcementPolicy"][0]["isEnabled"] is False
    rules = {r["id"]: r for r in demo.collections["roleManagementPolicies"][0]["rules"]}
    assert rules["Expiration_EndUser_Assignment"]["maximumDuration"] == "PT8H"
    assert rules["Enablement_EndUser_Assignment"]["enabledRules"] == [
        "MultiFactorAuthentication",
        "Justification",
    ]
    skus = demo.collections["subscribedSkus"]
    consumed = sum(s["consumedUnits"] for s in skus)
    licences = sum(len(u["assignedLicenses"]) for u in demo.collections["users"])
    assert consumed == licences


def test_instances_mirror_the_active_and_eligible_assignments(demo) -> None:
    active = demo.by_id("roleAssignments")
    instances = demo.collections["roleAssignmentScheduleInstances"]
    assert {i["roleAssignmentOriginId"] for i in instances} == set(active)
    eligible = demo.collections["roleEligibilityScheduleInstances"]
    assert {i["roleEligibilityScheduleId"] for i in eligible} == set(
        demo.by_id("roleEligibilitySchedules")
    )


def test_the_scoped_role_names_the_administrative_unit(demo) -> None:
    unit = demo.collections["administrativeUnits"][0]
    scopes = {a["directoryScopeId"] for a in demo.collections["roleAssignments"]}
    assert f"/administrativeUnits/{unit['id']}" in scopes
    assert unit["members"]


def test_each_weak_setting_of_the_answer_key_fails_its_control(demo_tenant: DemoTenant) -> None:
    report = assess(demo_tenant.store)
    findings = demo_tenant.answer_key["settings_findings"]
    assert {f["control"] for f in findings} == {
        "MS.AAD.3.5v1", "MS.AAD.5.1v1", "MS.AAD.7.5v1", "MS.AAD.7.6v1", "MS.AAD.8.2v1"
    }  # fmt: skip
    for finding in findings:
        result = next(r for r in report.results if r.control.startswith(finding["control"])
                      and r.id in SETTINGS_CASES)  # fmt: skip
        assert result.status is CheckStatus.failed, result
        cited = {a.id for a in result.affected}
        assert finding.get("principalId", finding["id"]) in cited, (finding, cited)


def test_the_other_settings_checks_pass_on_the_demo(demo_tenant: DemoTenant) -> None:
    flagged = {f["control"] for f in demo_tenant.answer_key["settings_findings"]}
    checks = [c for c in CHECKS if c.id in SETTINGS_CASES and c.control.split()[0] not in flagged]
    report = {r.id: r for r in assess(demo_tenant.store).results}
    for check in checks:
        assert report[check.id].status is CheckStatus.passed, report[check.id]
    assert Collection.subscribed_skus.value not in str([r.missing for r in report.values()])
