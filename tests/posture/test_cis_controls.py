"""The CIS v5.0.0 control table is the one list of CIS ids: every id a check carries is in it,
every row is implemented or said undecidable, and the checks and README agree with it."""

from __future__ import annotations

import re
from pathlib import Path

from idpilot.posture import CHECKS, CheckStatus
from idpilot.posture.base import Baseline, CheckResult
from idpilot.posture.cis_controls import CIS_CONTROLS, SOURCES, UNDECIDABLE, cis_control
from idpilot.posture.data import load_posture_data
from tests.posture.cis_cases import MICROSOFT_365_E5, Fragment, licensed_admin
from tests.security.builder import TenantBuilder

README = Path(__file__).resolve().parents[2] / "README.md"
GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
MESSAGE_CENTER_READER = "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b"


def _implemented() -> set[str]:
    return {c for check in CHECKS for c in check.controls if c.startswith("CIS.")}


def _run(check_id: str, fragment: Fragment, folder: Path) -> CheckResult:
    tenant = TenantBuilder()
    fragment(tenant)
    check = next(c for c in CHECKS if c.id == check_id)
    return check.run(load_posture_data(tenant.store(folder)))


def test_every_cis_id_a_check_carries_is_in_the_table() -> None:
    known = {control.id for control in CIS_CONTROLS.values()}
    assert _implemented() <= known, _implemented() - known


def test_every_control_is_implemented_or_said_undecidable_not_both() -> None:
    implemented = {i.removeprefix("CIS.") for i in _implemented()}
    assert implemented.isdisjoint(UNDECIDABLE)
    assert implemented | set(UNDECIDABLE) == set(CIS_CONTROLS)
    assert all(reason for reason in UNDECIDABLE.values())


def test_every_row_names_a_known_source_and_a_level() -> None:
    for control in CIS_CONTROLS.values():
        assert control.level in (1, 2) and control.title.startswith(("Ensure", "Enable"))
        assert control.sources and set(control.sources) <= set(SOURCES), control.number


def test_a_cis_check_words_its_control_as_the_table_does() -> None:
    for check in CHECKS:
        if check.baseline is Baseline.cis:
            number = check.control.split(" ", 1)[0]
            assert check.control.startswith(cis_control(number)), check.id


def test_the_readme_counts_and_lists_the_controls_as_the_table_does() -> None:
    text = README.read_text(encoding="utf-8")
    said = re.search(r"(\d+) CIS Microsoft 365 Foundations\s+controls", text)
    assert said and int(said.group(1)) == len(_implemented())
    for number in UNDECIDABLE:
        assert number in text, number


def _members(capable: bool | None, guest_capable: bool = False) -> Fragment:
    def build(t: TenantBuilder) -> None:
        member = t.user("Mia Member")
        if capable is not None:
            t.registration(member, ["microsoftAuthenticatorPush"], isMfaCapable=capable)
        guest = t.user("Gus Guest", userType="Guest")
        t.registration(guest, [], isMfaCapable=guest_capable, userType="guest")

    return build


def test_member_mfa_capability_fails_passes_and_names_what_it_lacks(tmp_path: Path) -> None:
    assert _run("IDP-MFA-001", _members(False), tmp_path / "a").status is CheckStatus.failed
    assert _run("IDP-MFA-001", _members(True), tmp_path / "b").status is CheckStatus.passed
    undecided = _run("IDP-MFA-001", _members(None), tmp_path / "c")
    assert undecided.status is CheckStatus.unknown
    assert undecided.missing == ["userRegistrationDetails"]


def test_registered_but_not_capable_is_not_capable(tmp_path: Path) -> None:
    """Registered only for a method the policy disables: `isMfaRegistered` true, capable false."""

    def build(t: TenantBuilder) -> None:
        t.registration(t.user("Sam Sms"), ["mobilePhone"], isMfaCapable=False)

    result = _run("IDP-MFA-001", build, tmp_path)
    assert result.status is CheckStatus.failed
    assert [a.label for a in result.affected] == ["sam.sms@contoso.test"]


def test_global_reader_counts_as_an_administrator(tmp_path: Path) -> None:
    fragment = licensed_admin(MICROSOFT_365_E5, role=GLOBAL_READER, role_name="Global Reader")
    result = _run("IDP-ADM-001", fragment, tmp_path)
    assert result.status is CheckStatus.failed
    assert "Global Reader; licensed Microsoft 365 E5" in result.affected[0].detail


def test_a_role_not_named_administrator_is_not_administrative(tmp_path: Path) -> None:
    fragment = licensed_admin(
        MICROSOFT_365_E5, role=MESSAGE_CENTER_READER, role_name="Message Center Reader"
    )
    assert _run("IDP-ADM-001", fragment, tmp_path).status is CheckStatus.not_applicable


def test_a_role_the_snapshot_cannot_name_is_not_a_pass(tmp_path: Path) -> None:
    unnamed = "11111111-2222-4333-8444-555555555555"
    result = _run("IDP-ADM-001", licensed_admin(role=unnamed), tmp_path)
    assert result.status is CheckStatus.unknown
    assert result.missing == [f"roleDefinitions (role {unnamed})"]


def test_a_built_in_role_without_its_definition_is_named_from_the_role_list(
    tmp_path: Path,
) -> None:
    result = _run("IDP-ADM-001", licensed_admin(MICROSOFT_365_E5), tmp_path)
    assert result.status is CheckStatus.failed
    assert result.affected[0].detail.startswith("Global Administrator;")
