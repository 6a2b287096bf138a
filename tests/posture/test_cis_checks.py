"""The CIS Microsoft 365 Foundations checks added for the benchmark's depth: a failing tenant,
a passing one and one whose snapshot cannot decide (naming what it lacks) each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from idpilot.posture import CHECKS, CheckStatus
from idpilot.posture.base import CheckResult
from idpilot.posture.conditional_access_cis import CIS_ADMIN_ROLES, INTUNE_ENROLLMENT_APP_ID
from idpilot.posture.data import load_posture_data
from idpilot.posture.passwords import PASSWORD_RULES_TEMPLATE
from tests.posture.settings_cases import settings
from tests.security.builder import TenantBuilder

Fragment = Callable[[TenantBuilder], None]
GUEST_RULE = '(user.userType -eq "Guest")'
STRONG_SESSION = {
    "signInFrequency": {"value": 4, "type": "hours", "isEnabled": True,
                        "frequencyInterval": "timeBased"},
    "persistentBrowser": {"mode": "never", "isEnabled": True},
}  # fmt: skip


def _run(check_id: str, fragment: Fragment, folder: Path) -> CheckResult:
    tenant = TenantBuilder()
    fragment(tenant)
    check = next(c for c in CHECKS if c.id == check_id)
    return check.run(load_posture_data(tenant.store(folder)))


def _groups(*groups: dict[str, Any]) -> Fragment:
    def build(t: TenantBuilder) -> None:
        guest = t.user("Gus Guest", userType="Guest")
        for n, spec in enumerate(groups):
            t.group(f"G{n}", [guest], **spec)

    return build


def _session_policy(session: dict[str, Any], **spec: Any) -> Fragment:
    def build(t: TenantBuilder) -> None:
        t.user("Any User")
        policy = t.policy("Admin sessions", **spec)
        policy["sessionControls"] = session

    return build


def _password_rules(values: dict[str, str] | None, synced: bool = False) -> Fragment:
    """The hardened settings with (or without) a Password Rule Settings object."""

    def change(objects: dict[str, list[dict[str, Any]]]) -> None:
        if values is not None:
            objects["groupSettings"].append({
                "id": "pwd", "displayName": "Password Rule Settings",
                "templateId": PASSWORD_RULES_TEMPLATE,
                "values": [{"name": k, "value": v} for k, v in values.items()],
            })  # fmt: skip

    def build(t: TenantBuilder) -> None:
        settings(change)(t)
        if synced:
            t.user("Sam Synced", onPremisesSyncEnabled=True)

    return build


def _no_group_settings(synced: bool = False) -> Fragment:
    def build(t: TenantBuilder) -> None:
        settings(drop=("groupSettings",))(t)
        if synced:
            t.user("Sam Synced", onPremisesSyncEnabled=True)

    return build


def _pra_approval(required: bool) -> Callable[[dict[str, Any]], None]:
    def change(objects: dict[str, list[dict[str, Any]]]) -> None:
        rules = objects["roleManagementPolicies"][1]["rules"]
        rule = next(r for r in rules if r["id"] == "Approval_EndUser_Assignment")
        rule["setting"]["isApprovalRequired"] = required

    return change


def _system_preferred(state: str | None) -> Callable[[dict[str, Any]], None]:
    def change(objects: dict[str, list[dict[str, Any]]]) -> None:
        if state is not None:
            objects["authenticationMethodsPolicy"][0]["systemCredentialPreferences"] = {
                "state": state,
                "includeTargets": [{"id": "all_users", "targetType": "group"}],
                "excludeTargets": [],
            }

    return change


ADMIN_ROLES = sorted(CIS_ADMIN_ROLES)
DYNAMIC = {"groupTypes": ["DynamicMembership"], "membershipRule": GUEST_RULE}
PERSISTENT = {**STRONG_SESSION, "persistentBrowser": {"mode": "always", "isEnabled": True}}
HOURLY = {"signInFrequency": {"value": 1, "type": "hours", "isEnabled": True,
                              "frequencyInterval": "timeBased"}}  # fmt: skip
EVERY_TIME = {"signInFrequency": {"isEnabled": True, "frequencyInterval": "everyTime"}}
ON_PREMISES = {"EnableBannedPasswordCheckOnPremises": "True"}


def NO_FILES(t: TenantBuilder) -> None:
    """A tenant whose snapshot has users only: no groups, no Conditional Access file."""
    t.user("Only Users")


def _risk_block(*levels: str) -> Fragment:
    def build(t: TenantBuilder) -> None:
        t.user("U")
        t.policy("Risk", controls=["block"], signInRiskLevels=list(levels))

    return build


CASES: dict[str, tuple[Fragment, Fragment, Fragment | None]] = {
    # check id: (failing, passing, undecidable, or None when the data always decides)
    "IDP-GST-004": (
        _groups({**DYNAMIC, "membershipRuleProcessingState": "Paused"}),
        _groups({**DYNAMIC, "membershipRuleProcessingState": "On"}),
        NO_FILES,
    ),
    "IDP-CA-018": (
        _session_policy(PERSISTENT, include_users=[], include_roles=ADMIN_ROLES),
        _session_policy(STRONG_SESSION, include_users=[], include_roles=ADMIN_ROLES),
        NO_FILES,
    ),
    "IDP-CA-019": (_risk_block("high"), _risk_block("medium", "high"), NO_FILES),
    "IDP-CA-020": (
        _session_policy(HOURLY, apps=[INTUNE_ENROLLMENT_APP_ID], controls=[]),
        _session_policy(EVERY_TIME, apps=[INTUNE_ENROLLMENT_APP_ID], controls=[]),
        NO_FILES,
    ),
    "IDP-PWD-002": (
        _password_rules(None),  # never created: the template's list is empty
        _password_rules({"EnableBannedPasswordCheck": "True", "BannedPasswordList": "a\tb"}),
        _no_group_settings(),
    ),
    "IDP-PWD-003": (
        _password_rules({**ON_PREMISES, "BannedPasswordCheckOnPremisesMode": "Audit"}, True),
        _password_rules({**ON_PREMISES, "BannedPasswordCheckOnPremisesMode": "Enforce"}, True),
        _no_group_settings(synced=True),
    ),
    "IDP-AMP-004": (
        settings(_system_preferred("default")),
        settings(_system_preferred("enabled")),
        settings(_system_preferred(None)),
    ),
    "IDP-PIM-006": (
        settings(_pra_approval(False)),
        settings(_pra_approval(True)),
        settings(drop=("roleManagementPolicies",)),
    ),
}


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_fails_passes_and_names_what_it_lacks(check_id: str, tmp_path: Path) -> None:
    bad, good, undecidable = CASES[check_id]
    failed = _run(check_id, bad, tmp_path / "bad")
    assert failed.status is CheckStatus.failed, failed
    assert failed.affected and all(a.detail for a in failed.affected)
    result = _run(check_id, good, tmp_path / "good")
    assert result.status is CheckStatus.passed, result
    assert result.evidence
    if undecidable is not None:
        unknown = _run(check_id, undecidable, tmp_path / "unknown")
        assert unknown.status is CheckStatus.unknown and unknown.missing, unknown


def test_every_new_check_names_its_cis_control() -> None:
    for check in CHECKS:
        if check.id in CASES:
            assert any(c.startswith("CIS.") for c in check.controls), check.id


def test_a_session_policy_missing_one_listed_role_is_not_coverage(tmp_path: Path) -> None:
    fragment = _session_policy(STRONG_SESSION, include_users=[], include_roles=ADMIN_ROLES[1:])
    result = _run("IDP-CA-018", fragment, tmp_path)
    assert result.status is CheckStatus.failed
    assert "1 of the roles not included" in result.affected[0].detail


def test_a_report_only_medium_risk_block_does_not_pass(tmp_path: Path) -> None:
    def fragment(t: TenantBuilder) -> None:
        t.user("U")
        t.policy("Risk", state="enabledForReportingButNotEnforced", controls=["block"],
                 signInRiskLevels=["medium", "high"])  # fmt: skip

    assert _run("IDP-CA-019", fragment, tmp_path).status is CheckStatus.failed


def test_cloud_only_tenants_have_no_on_premises_password_controls(tmp_path: Path) -> None:
    for check_id in ("IDP-PWD-003", "IDP-PWD-004"):
        result = _run(check_id, _password_rules({}), tmp_path / check_id)
        assert result.status is CheckStatus.not_applicable and not result.missing, result


def test_password_hash_sync_of_a_hybrid_tenant_is_not_in_a_snapshot(tmp_path: Path) -> None:
    result = _run("IDP-PWD-004", _password_rules({}, synced=True), tmp_path)
    assert result.status is CheckStatus.unknown
    assert result.missing == ["onPremisesSynchronization (features.passwordSyncEnabled)"]


def test_no_group_at_all_fails_the_dynamic_guest_group(tmp_path: Path) -> None:
    result = _run("IDP-GST-004", _groups({"groupTypes": []}), tmp_path)
    assert result.status is CheckStatus.failed
