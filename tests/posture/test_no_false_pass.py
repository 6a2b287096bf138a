"""No false pass: a Conditional Access policy narrowed by any condition is not coverage of what
it leaves out. One case per narrowing condition, over small in-memory tenants (pure, fast)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from idpilot.posture import CHECKS, CheckStatus
from idpilot.posture.base import CheckResult
from idpilot.posture.data import PostureData
from idpilot.posture.tenant_settings import TenantSettings

ADA, BREAK_GLASS, CONTRACTORS, EMERGENCY = "u-ada", "u-bg", "g-contractors", "g-emergency"
USERS = {
    ADA: {"displayName": "Ada Lovelace", "userPrincipalName": "ada@contoso.test"},
    BREAK_GLASS: {
        "displayName": "Break Glass 01",
        "userPrincipalName": "breakglass01@contoso.test",
    },
}
GROUPS = {CONTRACTORS: {"displayName": "Contractors"}, EMERGENCY: {"displayName": "Emergency"}}
MEMBERS = {CONTRACTORS: {ADA}, EMERGENCY: {BREAK_GLASS}}


def whole(controls: tuple[str, ...] = ("mfa",), **conditions: Any) -> dict[str, Any]:
    """An enabled policy for all users and all resources, no condition but `conditions`."""
    return {
        "id": "p-whole",
        "displayName": "Require MFA",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeUsers": [], "includeGroups": [],
                      "excludeGroups": [], "includeRoles": [], "excludeRoles": []},
            "applications": {"includeApplications": ["All"], "excludeApplications": []},
            "clientAppTypes": ["all"],
            **conditions,
        },
        "grantControls": {"operator": "OR", "builtInControls": list(controls)},
    }  # fmt: skip


def data(*policies: dict[str, Any]) -> PostureData:
    """A tenant of two users (one an emergency access account), two groups and `policies`."""
    users = {uid: {**u, "accountEnabled": True} for uid, u in USERS.items()}
    groups_of = {m: {g for g, ms in MEMBERS.items() if m in ms} for m in users}
    return PostureData(
        captured=datetime(2026, 1, 1, tzinfo=UTC), tenant_id=None, users=users,
        registrations={}, role_holders=[], groups=GROUPS, members_of_group=MEMBERS,
        groups_of_member=groups_of, policies=list(policies), named_locations=[],
        risky_users=[], risky_service_principals=[], service_principals={}, applications={},
        sp_permissions={}, grants=[], app_last_sign_in={}, sign_ins_recorded=False,
        settings=TenantSettings(),
    )  # fmt: skip


def run(check_id: str, *policies: dict[str, Any]) -> CheckResult:
    """One check over a tenant holding `policies`."""
    return next(c for c in CHECKS if c.id == check_id).run(data(*policies))


def narrowed(change: dict[str, Any], *, users: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole policy with `change` merged into its conditions (and users condition)."""
    policy = copy.deepcopy(whole())
    policy["conditions"].update(change)
    policy["conditions"]["users"].update(users or {})
    return policy


# narrowing -> (the policy, words the failing result must say about it)
NARROWINGS: dict[str, tuple[dict[str, Any], str]] = {
    "report-only": ({**whole(), "state": "enabledForReportingButNotEnforced"}, "report-only"),
    "disabled": ({**whole(), "state": "disabled"}, "disabled"),
    "excluded user": (narrowed({}, users={"excludeUsers": [ADA]}), "ada@contoso.test"),
    "excluded group": (narrowed({}, users={"excludeGroups": [CONTRACTORS]}), "Contractors"),
    "excluded role": (
        narrowed({}, users={"excludeRoles": ["62e90394-69f5-4237-9190-012177145e10"]}),
        "directory role",
    ),
    "excluded guests": (
        narrowed(
            {},
            users={
                "excludeGuestsOrExternalUsers": {
                    "guestOrExternalUserTypes": "b2bCollaborationGuest,internalGuest",
                    "externalTenants": {"membershipKind": "all"},
                }
            },
        ),
        "guests or external users",
    ),
    "included group only": (
        narrowed({}, users={"includeUsers": [], "includeGroups": [CONTRACTORS]}),
        "not all users",
    ),
    "excluded application": (
        narrowed(
            {
                "applications": {
                    "includeApplications": ["All"],
                    "excludeApplications": ["00000003-0000-0ff1-ce00-000000000000"],
                }
            }
        ),
        "application",
    ),
    "one application": (
        narrowed(
            {"applications": {"includeApplications": ["00000003-0000-0ff1-ce00-000000000000"]}}
        ),
        "not all resources",
    ),
    "platforms": (
        narrowed({"platforms": {"includePlatforms": ["iOS", "android"], "excludePlatforms": []}}),
        "platforms",
    ),
    "platforms excluded": (
        narrowed({"platforms": {"includePlatforms": ["all"], "excludePlatforms": ["linux"]}}),
        "linux",
    ),
    "client apps": (narrowed({"clientAppTypes": ["browser"]}), "client apps"),
    "locations": (
        narrowed({"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}}),
        "AllTrusted",
    ),
    "device filter": (
        narrowed(
            {
                "devices": {
                    "deviceFilter": {"mode": "exclude", "rule": 'device.trustType -eq "ServerAD"'}
                }
            }
        ),
        "device filter",
    ),
    "risk level": (narrowed({"signInRiskLevels": ["high"]}), "signInRiskLevels"),
    "authentication flow": (
        narrowed({"authenticationFlows": {"transferMethods": "deviceCodeFlow"}}),
        "authentication flows",
    ),
    "grant alternative": (whole(("mfa", "compliantDevice")), ""),
}


def test_the_whole_policy_passes_and_is_cited() -> None:
    result = run("IDP-CA-003", whole())
    assert result.status is CheckStatus.passed
    assert [e.id for e in result.evidence] == ["p-whole"]


def test_excluding_only_emergency_access_accounts_still_covers() -> None:
    by_user = narrowed({}, users={"excludeUsers": [BREAK_GLASS]})
    by_group = narrowed({}, users={"excludeGroups": [EMERGENCY]})
    assert run("IDP-CA-003", by_user).status is CheckStatus.passed
    assert run("IDP-CA-003", by_group).status is CheckStatus.passed


@pytest.mark.parametrize("narrowing", sorted(NARROWINGS))
def test_a_narrowed_policy_is_not_coverage_and_says_what_it_leaves_out(narrowing: str) -> None:
    policy, said = NARROWINGS[narrowing]
    result = run("IDP-CA-003", policy)
    assert result.status is CheckStatus.failed, result
    named = {a.id: a.detail for a in result.affected}
    if said:  # the narrowed policy is named with the reason
        assert said in named["p-whole"], named
    else:  # an OR-ed alternative: the policy does not require MFA at all
        assert "p-whole" not in named


@pytest.mark.parametrize("narrowing", sorted(NARROWINGS))
def test_a_narrowed_policy_beside_a_whole_one_does_not_hide_it(narrowing: str) -> None:
    policy, _ = NARROWINGS[narrowing]
    full = {**whole(), "id": "p-full", "displayName": "Require MFA everywhere"}
    result = run("IDP-CA-003", policy, full)
    assert result.status is CheckStatus.passed
    assert [e.id for e in result.evidence] == ["p-full"]


def _legacy(client_apps: list[str], **users: Any) -> dict[str, Any]:
    policy = narrowed({"clientAppTypes": client_apps}, users=users)
    policy["grantControls"]["builtInControls"] = ["block"]
    return policy


@pytest.mark.parametrize(
    ("client_apps", "users", "verdict"),
    [
        (["exchangeActiveSync", "other"], {}, CheckStatus.passed),
        (["exchangeActiveSync"], {}, CheckStatus.failed),  # other legacy clients left open
        (["exchangeActiveSync", "other"], {"excludeGroups": [CONTRACTORS]}, CheckStatus.failed),
    ],
    ids=["whole", "activesync-only", "group-excluded"],
)
def test_legacy_authentication_block_is_judged_whole(
    client_apps: list[str], users: dict, verdict: CheckStatus
) -> None:
    assert run("IDP-CA-001", _legacy(client_apps, **users)).status is verdict


def test_a_report_only_device_code_block_does_not_pass() -> None:
    flows = {"authenticationFlows": {"transferMethods": "deviceCodeFlow"}}
    policy = _legacy(["all"])
    policy["conditions"].update(flows)
    assert run("IDP-CA-009", policy).status is CheckStatus.passed
    report_only = {**policy, "state": "enabledForReportingButNotEnforced"}
    result = run("IDP-CA-009", report_only)
    assert result.status is CheckStatus.failed
    assert "report-only" in result.affected[0].detail


def test_admin_mfa_must_reach_every_highly_privileged_role() -> None:
    from idpilot.posture.privileged_access import HIGHLY_PRIVILEGED_ROLES

    roles = sorted(HIGHLY_PRIVILEGED_ROLES)
    some = narrowed({}, users={"includeUsers": [], "includeRoles": roles[:-1]})
    every = narrowed({}, users={"includeUsers": [], "includeRoles": roles})
    assert run("IDP-CA-002", some).status is CheckStatus.failed
    assert run("IDP-CA-002", every).status is CheckStatus.passed


def test_a_strength_named_phishing_resistant_that_allows_sms_is_not_phishing_resistant() -> None:
    policy = whole(())
    policy["grantControls"]["authenticationStrength"] = {
        "id": "custom", "displayName": "Phishing-resistant (custom)",
        "allowedCombinations": ["fido2", "sms"],
    }  # fmt: skip
    assert run("IDP-CA-014", policy).status is CheckStatus.failed
