"""The CIS Microsoft 365 Foundations checks added for the benchmark's depth: a failing tenant,
a passing one and one whose snapshot cannot decide (naming what it lacks) each."""

from __future__ import annotations

from pathlib import Path

import pytest

from idpilot.posture import CHECKS, CheckStatus
from idpilot.posture.base import CheckResult
from idpilot.posture.data import load_posture_data
from tests.posture.cis_cases import (
    ADMIN_ROLES,
    CIS_CASES,
    STRONG_SESSION,
    Fragment,
    groups_of_a_guest,
    password_rules,
    session_policy,
)
from tests.security.builder import TenantBuilder


def _run(check_id: str, fragment: Fragment, folder: Path) -> CheckResult:
    tenant = TenantBuilder()
    fragment(tenant)
    check = next(c for c in CHECKS if c.id == check_id)
    return check.run(load_posture_data(tenant.store(folder)))


@pytest.mark.parametrize("check_id", sorted(CIS_CASES))
def test_fails_passes_and_names_what_it_lacks(check_id: str, tmp_path: Path) -> None:
    bad, good, undecidable = CIS_CASES[check_id]
    failed = _run(check_id, bad, tmp_path / "bad")
    assert failed.status is CheckStatus.failed, failed
    assert failed.affected and all(a.detail for a in failed.affected)
    result = _run(check_id, good, tmp_path / "good")
    assert result.status is CheckStatus.passed, result
    assert result.evidence
    unknown = _run(check_id, undecidable, tmp_path / "unknown")
    assert unknown.status is CheckStatus.unknown and unknown.missing, unknown


def test_every_new_check_names_its_cis_control() -> None:
    for check in CHECKS:
        if check.id in CIS_CASES:
            assert any(c.startswith("CIS.") for c in check.controls), check.id


def test_a_session_policy_missing_one_listed_role_is_not_coverage(tmp_path: Path) -> None:
    fragment = session_policy(STRONG_SESSION, include_users=[], include_roles=ADMIN_ROLES[1:])
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
        result = _run(check_id, password_rules({}), tmp_path / check_id)
        assert result.status is CheckStatus.not_applicable and not result.missing, result


def test_password_hash_sync_of_a_hybrid_tenant_is_not_in_a_snapshot(tmp_path: Path) -> None:
    result = _run("IDP-PWD-004", password_rules({}, synced=True), tmp_path)
    assert result.status is CheckStatus.unknown
    assert result.missing == ["onPremisesSynchronization (features.passwordSyncEnabled)"]


def test_no_group_at_all_fails_the_dynamic_guest_group(tmp_path: Path) -> None:
    result = _run("IDP-GST-004", groups_of_a_guest({"groupTypes": []}), tmp_path)
    assert result.status is CheckStatus.failed


@pytest.mark.parametrize(("check_id", "key"), [("IDP-CA-004", "signInRiskLevels"),
                                               ("IDP-CA-005", "userRiskLevels")])  # fmt: skip
def test_risk_levels_written_as_one_string_count_as_a_list(
    check_id: str, key: str, tmp_path: Path
) -> None:
    """Graph writes some risk conditions as "medium,high": the same verdict as the list."""

    def fragment(levels: object) -> Fragment:
        def build(t: TenantBuilder) -> None:
            t.user("U")
            t.policy("Risk", controls=["block"], **{key: levels})

        return build

    as_list = _run(check_id, fragment(["medium", "high"]), tmp_path / "list")
    as_text = _run(check_id, fragment("medium,high"), tmp_path / "text")
    assert as_list.status is CheckStatus.passed, as_list
    assert as_text.status is as_list.status
