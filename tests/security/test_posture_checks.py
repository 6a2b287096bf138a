"""Golden tests for every posture check: one tenant fragment that fails it, one that passes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from idpilot.posture import CHECKS, CheckStatus, assess, grade, score_results
from idpilot.posture.base import Baseline, CheckResult
from idpilot.posture.data import load_posture_data
from idpilot.security.severity import Severity
from tests.posture.baseline_cases import ALL_ADMIN_ROLES, BASELINE_CASES, UNDECIDABLE
from tests.posture.cis_cases import CIS_CASES
from tests.posture.settings_cases import SETTINGS_CASES

from .builder import GLOBAL_ADMIN, GRAPH_ROLES, USER_ADMIN, TenantBuilder

Fragment = Callable[[TenantBuilder], None]
PHISHING_RESISTANT = {
    "displayName": "Phishing-resistant MFA",
    "allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
}


def _admin(t: TenantBuilder, name: str, methods=("fido2",), role=GLOBAL_ADMIN, eligible=True, **kw):
    user = t.user(name, **kw)
    t.assign(user, role, eligible=eligible)
    t.registration(user, list(methods), isAdmin=True)
    return user


def _roles(t: TenantBuilder) -> None:
    t.role(GLOBAL_ADMIN, "Global Administrator")
    t.role(USER_ADMIN, "User Administrator")


def _gas(n: int) -> Fragment:
    def build(t: TenantBuilder) -> None:
        _roles(t)
        for i in range(n):
            _admin(t, f"Admin {i}")

    return build


def _with_admin(**kw) -> Fragment:
    def build(t: TenantBuilder) -> None:
        _roles(t)
        _admin(t, "Ada Admin", **kw)

    return build


def _guest_admin(guest: bool) -> Fragment:
    return _with_admin(userType="Guest" if guest else "Member")


def _sp_role(has_role: bool) -> Fragment:
    def build(t: TenantBuilder) -> None:
        _roles(t)
        sp = t.service_principal("Ops Bot")
        t.assign(sp, USER_ADMIN if has_role else "88d8e3e3-8f55-4a1e-953a-9b9898b8876b")

    return build


def _stale_admin(stale: bool) -> Fragment:
    last = {"lastSignInDateTime": "2024-01-01T00:00:00Z"} if stale else None
    return _with_admin(**({"signInActivity": last} if stale else {}))


def _users_mfa(registered: bool) -> Fragment:
    def build(t: TenantBuilder) -> None:
        user = t.user("Uma User")
        t.registration(user, ["microsoftAuthenticatorPush"] if registered else [])

    return build


def _weak(weak: bool) -> Fragment:
    def build(t: TenantBuilder) -> None:
        user = t.user("Sid Sms")
        t.registration(user, ["mobilePhone"] if weak else ["mobilePhone", "fido2"])

    return build


def _policies(*specs: dict) -> Fragment:
    def build(t: TenantBuilder) -> None:
        t.user("Any User")
        for i, spec in enumerate(specs):
            t.policy(spec.pop("name", f"P{i}"), **spec)

    return build


def _break_glass(excluded: bool) -> Fragment:
    def build(t: TenantBuilder) -> None:
        a = t.user("Break Glass 01", userPrincipalName="breakglass01@contoso.test")
        b = t.user("Break Glass 02", userPrincipalName="breakglass02@contoso.test")
        group = t.group("Emergency exclusions", [a, b])
        t.policy("Require MFA", exclude_groups=[group["id"]] if excluded else [])
        t.policy("Block legacy", controls=["block"], clientAppTypes=["exchangeActiveSync", "other"],
                 exclude_users=[a["id"], b["id"]] if excluded else [a["id"]])  # fmt: skip

    return build


def _break_glass_count(n: int) -> Fragment:
    def build(t: TenantBuilder) -> None:
        t.user("Normal Person")
        for i in range(n):
            t.user(f"Emergency Access {i}")

    return build


def _stale_user(user_type: str, stale: bool) -> Fragment:
    def build(t: TenantBuilder) -> None:
        when = "2024-11-01T00:00:00Z" if stale else "2025-06-20T00:00:00Z"
        t.user("Old Timer", userType=user_type, signInActivity={"lastSignInDateTime": when})

    return build


def _pending(pending: bool) -> Fragment:
    def build(t: TenantBuilder) -> None:
        t.user("Gil Guest", userType="Guest",
               externalUserState="PendingAcceptance" if pending else "Accepted")  # fmt: skip

    return build


def _disabled_licensed(licensed: bool) -> Fragment:
    licences = [{"skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965", "disabledPlans": []}]
    return lambda t: t.user("Dee Parted", accountEnabled=False,
                            assignedLicenses=licences if licensed else [])  # fmt: skip


def _guest_in_group(guest: bool) -> Fragment:
    def build(t: TenantBuilder) -> None:
        _roles(t)
        member = t.user("Gus Guest", userType="Guest" if guest else "Member")
        group = t.group("Tier0 Admins", [member], isAssignableToRole=True)
        t.assign(group, USER_ADMIN, eligible=True)

    return build


def _app_secret(days_valid: int, expired: bool = False) -> Fragment:
    def build(t: TenantBuilder) -> None:
        sp = t.service_principal("Payroll Sync")
        start = t.ago(days=days_valid + 10) if expired else t.ago(days=10)
        secret = t.secret("key1", start, start + __import__("datetime").timedelta(days=days_valid))
        t.application(sp, passwordCredentials=[secret], owners=[{"id": "x"}])

    return build


def _privileged_sp(role: str, foreign: bool = False) -> Fragment:
    def build(t: TenantBuilder) -> None:
        graph = t.graph()
        owner = "99999999-8888-7777-6666-555555555555" if foreign else None
        sp = t.service_principal(
            "Vendor Sync", **({"appOwnerOrganizationId": owner} if owner else {})
        )
        t.grant_app_role(sp, graph, GRAPH_ROLES[role])

    return build


def _owners(has_owner: bool) -> Fragment:
    def build(t: TenantBuilder) -> None:
        sp = t.service_principal("Orphan App")
        t.application(sp, owners=[{"id": t.id("owner")}] if has_owner else [])
        other = t.service_principal("Owned App")
        t.application(other, owners=[{"id": t.id("owner2")}])

    return build


def _unused(used: bool) -> Fragment:
    def build(t: TenantBuilder) -> None:
        user = t.user("App User")
        sp = t.service_principal("Dormant App")
        secret = t.secret("k", t.ago(days=200), t.ago(days=-100))
        t.application(sp, passwordCredentials=[secret])
        t.sign_in(user, t.ago(days=5 if used else 150), appId=sp["appId"])
        t.sign_in(user, t.ago(days=1))

    return build


def _grant(consent_type: str, scope: str) -> Fragment:
    def build(t: TenantBuilder) -> None:
        graph = t.graph()
        client = t.service_principal("Mail Helper")
        user = t.user("Connie Consent")
        t.add("oauth2PermissionGrants", {
            "id": t.id(), "clientId": client["id"], "consentType": consent_type,
            "principalId": user["id"] if consent_type == "Principal" else None,
            "resourceId": graph["id"], "scope": scope})  # fmt: skip

    return build


def _risky_user(state: str) -> Fragment:
    def build(t: TenantBuilder) -> None:
        t.risky_user(t.user("Rick Risky"), "high", state)

    return build


def _risky_sp(state: str) -> Fragment:
    def build(t: TenantBuilder) -> None:
        sp = t.service_principal("Risky Bot")
        t.add("riskyServicePrincipals", {
            "id": sp["id"], "appId": sp["appId"], "displayName": sp["displayName"],
            "riskLevel": "high", "riskState": state, "riskDetail": "none",
            "riskLastUpdatedDateTime": "2025-06-29T00:00:00Z", "isEnabled": True})  # fmt: skip

    return build


def _location(cidr: str) -> Fragment:
    return lambda t: t.named_location("Corp", [cidr])


_LEGACY = {"controls": ["block"], "clientAppTypes": ["exchangeActiveSync", "other"]}

# check id -> (fragment that fails, fragment that passes)
CASES: dict[str, tuple[Fragment, Fragment]] = {
    "IDP-ROL-001": (_gas(5), _gas(3)),
    "IDP-ROL-002": (_gas(1), _gas(2)),
    "IDP-ROL-003": (_with_admin(eligible=False), _with_admin(eligible=True)),
    "IDP-ROL-004": (_with_admin(methods=("microsoftAuthenticatorPush",)), _with_admin()),
    "IDP-ROL-005": (_with_admin(methods=()), _with_admin()),
    "IDP-ROL-006": (_guest_admin(True), _guest_admin(False)),
    "IDP-ROL-007": (_sp_role(True), _sp_role(False)),
    "IDP-ROL-008": (_with_admin(onPremisesSyncEnabled=True), _with_admin()),
    "IDP-ROL-009": (_stale_admin(True), _stale_admin(False)),
    "IDP-MFA-001": (_users_mfa(False), _users_mfa(True)),
    "IDP-MFA-002": (_weak(True), _weak(False)),
    "IDP-CA-001": (_policies({**_LEGACY, "state": "disabled"}), _policies(dict(_LEGACY))),
    "IDP-CA-002": (
        _policies({"include_users": [], "include_roles": [GLOBAL_ADMIN]}),  # not every role
        _policies({"include_users": [], "include_roles": ALL_ADMIN_ROLES}),
    ),
    "IDP-CA-003": (_policies({"state": "enabledForReportingButNotEnforced"}), _policies({})),
    "IDP-CA-004": (
        _policies({"userRiskLevels": ["high"], "controls": ["mfa", "passwordChange"]}),
        _policies({"signInRiskLevels": ["high", "medium"]}),
    ),
    "IDP-CA-005": (
        _policies({"signInRiskLevels": ["high"]}),
        _policies({"userRiskLevels": ["high"], "controls": ["mfa", "passwordChange"]}),
    ),
    "IDP-CA-006": (_break_glass(False), _break_glass(True)),
    "IDP-CA-007": (_policies({"state": "enabledForReportingButNotEnforced"}), _policies({})),
    "IDP-CA-008": (
        _policies({"include_users": [], "include_roles": [GLOBAL_ADMIN]}),
        _policies(
            {
                "include_users": [],
                "include_roles": ALL_ADMIN_ROLES,
                "controls": [],
                "strength": PHISHING_RESISTANT,
            }
        ),
    ),
    "IDP-CA-009": (
        _policies({"controls": ["block"]}),
        _policies(
            {"controls": ["block"], "authenticationFlows": {"transferMethods": "deviceCodeFlow"}}
        ),
    ),
    "IDP-CA-010": (
        _policies({}),
        _policies({"user_actions": ["urn:user:registersecurityinfo"]}),
    ),
    "IDP-CA-011": (
        _policies({"apps": ["00000002-0000-0ff1-ce00-000000000000"]}),
        _policies({"apps": ["797f4846-ba00-4fd7-ba43-dac1f8f63013"]}),
    ),
    "IDP-ACC-001": (_break_glass_count(1), _break_glass_count(2)),
    "IDP-ACC-002": (_stale_user("Member", True), _stale_user("Member", False)),
    "IDP-ACC-003": (_stale_user("Guest", True), _stale_user("Guest", False)),
    "IDP-ACC-004": (_pending(True), _pending(False)),
    "IDP-ACC-005": (_disabled_licensed(True), _disabled_licensed(False)),
    "IDP-GRP-001": (_guest_in_group(True), _guest_in_group(False)),
    "IDP-APP-001": (_app_secret(180, expired=True), _app_secret(180)),
    "IDP-APP-002": (_app_secret(730), _app_secret(180)),
    "IDP-APP-003": (
        _privileged_sp("RoleManagement.ReadWrite.Directory"),
        _privileged_sp("User.Read.All"),
    ),
    "IDP-APP-004": (
        _privileged_sp("Mail.Read", foreign=True),
        _privileged_sp("Mail.Read", foreign=False),
    ),
    "IDP-APP-005": (_owners(False), _owners(True)),
    "IDP-APP-006": (_unused(False), _unused(True)),
    "IDP-APP-007": (
        _grant("Principal", "User.Read Mail.ReadWrite"),
        _grant("Principal", "User.Read openid profile"),
    ),
    "IDP-APP-008": (
        _grant("AllPrincipals", "Files.ReadWrite.All"),
        _grant("AllPrincipals", "User.Read"),
    ),
    "IDP-RSK-001": (_risky_user("atRisk"), _risky_user("remediated")),
    "IDP-RSK-002": (_risky_sp("atRisk"), _risky_sp("dismissed")),
    "IDP-LOC-001": (_location("10.0.0.0/8"), _location("198.51.100.0/24")),
    **SETTINGS_CASES,  # the tenant settings checks (tests/posture), through a real ingest
    **BASELINE_CASES,  # the checks added for the baselines' depth (tests/posture)
    **{check_id: (bad, good) for check_id, (bad, good, _) in CIS_CASES.items()},
}


def _result(fragment: Fragment, check_id: str, tmp_path) -> CheckResult:
    tenant = TenantBuilder()
    fragment(tenant)
    store = tenant.store(tmp_path / "snap")
    check = next(c for c in CHECKS if c.id == check_id)
    return check.run(load_posture_data(store))


def test_every_check_has_a_golden_pair_and_metadata():
    assert len(CHECKS) >= 30
    assert set(CASES) | UNDECIDABLE == {c.id for c in CHECKS}
    assert not set(CASES) & UNDECIDABLE
    for c in CHECKS:
        assert c.control and c.fix and c.title
        assert isinstance(c.baseline, Baseline) and isinstance(c.severity, Severity)


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_fails_on_bad_fragment(check_id, tmp_path):
    result = _result(CASES[check_id][0], check_id, tmp_path)
    assert result.status is CheckStatus.failed, result
    assert result.affected and result.affected_count == len(result.affected)


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_passes_on_good_fragment(check_id, tmp_path):
    result = _result(CASES[check_id][1], check_id, tmp_path)
    assert result.status is CheckStatus.passed, result


def test_score_weights_by_severity():
    def result(severity: Severity, status: CheckStatus) -> CheckResult:
        return CheckResult(id="X", title="x", area="a", status=status, severity=severity,
                           baseline=Baseline.microsoft, control="c", fix="f")  # fmt: skip

    results = [
        result(Severity.critical, CheckStatus.passed),
        result(Severity.high, CheckStatus.failed),
        result(Severity.low, CheckStatus.not_applicable),
    ]
    assert score_results(results) == round(100 * 10 / 15)
    assert score_results([]) == 100
    assert grade(95) == "A" and grade(59) == "D" and grade(10) == "F"


def test_assess_orders_failed_worst_first(tmp_path):
    tenant = TenantBuilder()
    _gas(5)(tenant)
    tenant.named_location("Corp", ["10.0.0.0/8"])
    report = assess(tenant.store(tmp_path / "snap"))
    failed = report.prioritized()
    assert failed and [r.severity.rank for r in failed] == sorted(r.severity.rank for r in failed)
    assert report.counts["failed"] == len(failed)
    assert 0 <= report.score < 100


def _legacy_result(tmp_path, build: Fragment) -> CheckResult:
    t = TenantBuilder()
    build(t)
    return next(r for r in assess(t.store(tmp_path / "snap")).results if r.id == "IDP-CA-001")


def test_legacy_block_passes_citing_the_blocking_policy_and_the_blocked_attempts(tmp_path):
    def build(t: TenantBuilder) -> None:
        user = t.user("Ivar Imap")
        t.policy("Block legacy", exclude_users=[t.user("Break Glass 01")["id"]], **_LEGACY)
        t.sign_in(user, t.ago(days=1), client="IMAP4", error=53003)

    result = _legacy_result(tmp_path, build)
    assert result.status is CheckStatus.passed
    assert [e.label for e in result.evidence] == ["Block legacy"]
    assert "1 legacy sign-in attempts in the logs, 0 succeeded" in result.summary


def test_legacy_block_fails_for_a_user_it_exempts_or_a_legacy_sign_in_that_got_through(tmp_path):
    def build(t: TenantBuilder) -> None:
        exempt, imap = t.user("Eve Exempt"), t.user("Ivar Imap")
        t.policy("Block legacy", exclude_users=[exempt["id"]], **_LEGACY)
        t.sign_in(imap, t.ago(days=1), client="IMAP4")

    result = _legacy_result(tmp_path, build)
    assert result.status is CheckStatus.failed
    details = {(a.kind, a.label): a.detail for a in result.affected}
    assert details[("conditionalAccessPolicy", "Block legacy")] == (
        "excludes users: eve.exempt@contoso.test"
    )
    assert details[("user", "eve.exempt@contoso.test")].startswith("excluded from every")
    [signed_in] = [a for a in result.affected if a.kind == "signIn"]
    assert signed_in.detail == "1 successful legacy sign-ins (IMAP4)"
