"""The settings checks: a failing and a passing tenant each, `unknown` naming what is missing,
P2-only controls not applicable without the licence, and no pass for a narrowed setting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from idpilot.model.collections import Collection
from idpilot.posture import CHECKS, CheckStatus, assess, score_results
from idpilot.posture.base import CheckResult
from idpilot.posture.data import PostureData, load_posture_data
from idpilot.posture.tenant_settings import SETTINGS_COLLECTIONS, TenantSettings
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.helpers import snapshot_from_examples
from tests.posture.settings_cases import (
    NO_ONE,
    P1_PLAN,
    SETTINGS_CASES,
    SETTINGS_NEEDS,
    Fragment,
    authenticator_feature,
    settings,
)
from tests.security.builder import TenantBuilder
from tests.sources.test_settings_ingest import SETTINGS_EXAMPLES

GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def _data(fragment: Fragment) -> PostureData:
    """The posture data of a fragment's settings, without a store (fast, pure)."""
    tenant = TenantBuilder()
    fragment(tenant)
    objects = {Collection(name): items for name, items in tenant.collections.items()
               if Collection(name) in SETTINGS_COLLECTIONS}  # fmt: skip
    return PostureData(
        captured=tenant.captured, tenant_id=None, users={}, registrations={}, role_holders=[],
        groups={}, members_of_group={}, groups_of_member={}, policies=[], named_locations=[],
        risky_users=[], risky_service_principals=[], service_principals={}, applications={},
        sp_permissions={}, grants=[], app_last_sign_in={}, sign_ins_recorded=False,
        settings=TenantSettings.from_objects(objects),
    )  # fmt: skip


def _run(fragment: Fragment, check_id: str, folder: Path | None = None) -> CheckResult:
    """Run one check on a fragment: through a real ingest when `folder` is given."""
    check = next(c for c in CHECKS if c.id == check_id)
    if folder is None:
        return check.run(_data(fragment))
    tenant = TenantBuilder()
    fragment(tenant)
    return check.run(load_posture_data(tenant.store(folder)))


def test_every_settings_check_names_a_scuba_control_and_its_collections() -> None:
    settings_checks = {c.id: c for c in CHECKS if c.id in SETTINGS_CASES}
    assert set(settings_checks) == set(SETTINGS_CASES) == set(SETTINGS_NEEDS)
    for check in settings_checks.values():
        assert check.control.startswith("MS.AAD."), check.id


@pytest.mark.parametrize("check_id", sorted(SETTINGS_CASES))
def test_fails_citing_the_setting_and_passes_citing_it(check_id: str) -> None:
    bad, good = SETTINGS_CASES[check_id]
    failed = _run(bad, check_id)
    assert failed.status is CheckStatus.failed, failed
    assert failed.affected and all(a.detail for a in failed.affected)
    result = _run(good, check_id)
    assert result.status is CheckStatus.passed, result
    assert result.evidence


@pytest.mark.parametrize(
    ("check_id", "collection"),
    [(check_id, c) for check_id, needs in sorted(SETTINGS_NEEDS.items()) for c in needs],
)
def test_a_missing_collection_is_unknown_and_named(check_id: str, collection: str) -> None:
    result = _run(settings(drop=(collection,)), check_id)
    assert result.status is CheckStatus.unknown, result
    assert result.missing == [collection]
    assert collection in result.summary and not result.affected


def test_an_empty_collection_file_is_not_missing(tmp_path: Path) -> None:
    def build(t: TenantBuilder) -> None:
        settings()(t)
        t.collections["roleAssignmentScheduleInstances"] = []

    result = _run(build, "IDP-PIM-001", tmp_path)  # through ingest: the file is empty
    assert result.status is CheckStatus.passed, result


@pytest.mark.parametrize("check_id", [c for c in sorted(SETTINGS_CASES) if c.startswith("IDP-PIM")])
def test_pim_controls_do_not_apply_without_an_entra_id_p2_licence(check_id: str) -> None:
    def p1_only(o: dict) -> None:
        o["subscribedSkus"][0]["servicePlans"] = [P1_PLAN]

    result = _run(settings(p1_only), check_id)
    assert result.status is CheckStatus.not_applicable
    assert "P2" in result.summary


def test_a_suspended_p2_licence_does_not_count() -> None:
    def suspended(o: dict) -> None:
        o["subscribedSkus"][0]["capabilityStatus"] = "Suspended"

    assert _run(settings(suspended), "IDP-PIM-002").status is CheckStatus.not_applicable


@pytest.mark.parametrize(
    "narrowed",
    [
        {"include": {"targetType": "group", "id": "pilot-group"}},
        {"exclude": {"targetType": "group", "id": "contractors"}},
        {"state": "disabled"},
    ],
    ids=["included-group-only", "group-excluded", "disabled"],
)
def test_authenticator_context_narrowed_to_some_users_does_not_pass(narrowed: dict) -> None:
    result = _run(settings(authenticator_feature(**narrowed)), "IDP-AMP-001")
    assert result.status is CheckStatus.failed
    assert "displayAppInformationRequiredState" in result.affected[0].detail


def test_authenticator_not_enabled_makes_context_not_applicable() -> None:
    def disabled(o: dict) -> None:
        methods = o["authenticationMethodsPolicy"][0]["authenticationMethodConfigurations"]
        methods[0]["state"] = "disabled"

    result = _run(settings(disabled), "IDP-AMP-001")
    assert result.status is CheckStatus.not_applicable


def test_a_method_the_policy_does_not_list_is_unknown_not_disabled() -> None:
    def no_voice(o: dict) -> None:
        policy = o["authenticationMethodsPolicy"][0]
        policy["authenticationMethodConfigurations"] = [
            m for m in policy["authenticationMethodConfigurations"] if m["id"] != "Voice"
        ]

    result = _run(settings(no_voice), "IDP-AMP-003")
    assert result.status is CheckStatus.unknown
    assert result.missing == [
        "authenticationMethodsPolicy.authenticationMethodConfigurations[Voice]"
    ]


def test_admin_consent_without_reviewers_fails() -> None:
    def no_reviewers(o: dict) -> None:
        o["adminConsentRequestPolicy"][0]["reviewers"] = []

    assert _run(settings(no_reviewers), "IDP-CON-003").status is CheckStatus.failed


def test_a_federated_domain_is_left_to_its_identity_provider() -> None:
    def federated(o: dict) -> None:
        o["domains"][0].update(authenticationType="Federated", passwordValidityPeriodInDays=90)

    result = _run(settings(federated), "IDP-PWD-001")
    assert result.status is CheckStatus.not_applicable


def test_an_activated_role_is_not_an_assignment_outside_pim() -> None:
    def activated(o: dict) -> None:
        o["roleAssignmentScheduleInstances"][0].update(
            assignmentType="Activated", startDateTime=None
        )

    assert _run(settings(activated), "IDP-PIM-001").status is CheckStatus.passed


def test_unknown_checks_count_for_neither_side_of_the_score(tmp_path: Path) -> None:
    tenant = TenantBuilder()
    tenant.user("Ada Admin")
    report = assess(tenant.store(tmp_path))
    unknown = [r for r in report.results if r.status is CheckStatus.unknown]
    assert {r.id for r in unknown} >= set(SETTINGS_CASES) - {"IDP-PWD-001"}
    assert report.counts["unknown"] == len(unknown)
    assert report.score == score_results([r for r in report.results if r not in unknown])
    assert report.results[-len(unknown) :] == unknown  # listed last


def test_no_exclusion_target_is_the_empty_guid() -> None:
    assert NO_ONE["id"] == "00000000-0000-0000-0000-000000000000"


def test_rules_not_expanded_are_unknown_naming_the_rule() -> None:
    def no_rules(o: dict) -> None:
        for policy in o["roleManagementPolicies"]:
            del policy["rules"]

    for check_id in ("IDP-PIM-002", "IDP-PIM-003", "IDP-PIM-004", "IDP-PIM-005"):
        result = _run(settings(no_rules), check_id)
        assert result.status is CheckStatus.unknown, result
        assert all(".rules" in m for m in result.missing)
        assert not any(GUID.search(m) for m in result.missing)  # said in words, not ids


def test_graphs_published_examples_get_a_verdict_from_every_settings_check(
    tmp_path: Path,
) -> None:
    folder = snapshot_from_examples(tmp_path / "snap", SETTINGS_EXAMPLES)
    store = Store.open(tmp_path / "store.duckdb")
    ingest_folder(store, folder)
    results = {r.id: r for r in assess(store).results}
    verdicts = {check_id: results[check_id].status for check_id in SETTINGS_CASES}
    # The published authorization policy invites from everyone and lets users create apps.
    assert verdicts["IDP-GST-002"] is CheckStatus.failed
    assert verdicts["IDP-CON-001"] is CheckStatus.failed
    # Its sample licences hold no Entra ID P2: PIM controls do not apply.
    assert all(
        verdicts[c] is CheckStatus.not_applicable for c in verdicts if c.startswith("IDP-PIM")
    )
    # The published methods policy lists no Voice method: undecided, not passed.
    assert verdicts["IDP-AMP-003"] is CheckStatus.unknown


@pytest.mark.parametrize("check_id", ["IDP-CA-004", "IDP-CA-005", "IDP-ROL-003"])
def test_p2_features_do_not_apply_when_the_licences_show_no_p2(check_id: str) -> None:
    def p1_only(o: dict) -> None:
        o["subscribedSkus"][0]["servicePlans"] = [P1_PLAN]

    assert _run(settings(p1_only), check_id).status is CheckStatus.not_applicable
    # Without licence data they decide as before (here: no policy, no holder to judge).
    assert _run(settings(drop=("subscribedSkus",)), check_id).status is not CheckStatus.unknown


def test_low_impact_user_consent_is_undecided_without_the_permission_classifications() -> None:
    def low_impact(o: dict) -> None:
        o["authorizationPolicy"][0]["defaultUserRolePermissions"][
            "permissionGrantPoliciesAssigned"
        ] = ["ManagePermissionGrantsForSelf.microsoft-user-default-low"]

    result = _run(settings(low_impact), "IDP-CON-002")
    assert result.status is CheckStatus.unknown  # SCuBA's option 2: restricted if low is safe
    assert result.missing == ["servicePrincipals.delegatedPermissionClassifications"]


def test_unknown_says_why_the_sync_could_not_read_the_collection(tmp_path: Path) -> None:
    reason = "Graph answered 403: the app needs the Policy.Read.All permission (admin consent)"
    tenant = TenantBuilder()
    settings(drop=("authorizationPolicy",))(tenant)
    folder = tenant.write(tmp_path / "snap")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["unavailable"] = {"authorizationPolicy": {"status": 403, "reason": reason}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    store = Store.open()
    ingest_folder(store, folder)
    result = next(c for c in CHECKS if c.id == "IDP-GST-001").run(load_posture_data(store))
    assert result.status is CheckStatus.unknown
    assert result.missing == [f"authorizationPolicy: {reason}"]  # the permission, for CI
    assert "Policy.Read.All" in result.summary
