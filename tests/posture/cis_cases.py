"""Tenant fragments for the CIS Microsoft 365 Foundations checks added for the benchmark's depth:
a failing, a passing and an undecidable tenant each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from idpilot.posture.conditional_access_cis import CIS_ADMIN_ROLES, INTUNE_ENROLLMENT_APP_ID
from idpilot.posture.passwords import PASSWORD_RULES_TEMPLATE
from tests.posture.settings_cases import settings
from tests.security.builder import GLOBAL_ADMIN, TenantBuilder

Fragment = Callable[[TenantBuilder], None]
GUEST_RULE = '(user.userType -eq "Guest")'
STRONG_SESSION = {
    "signInFrequency": {"value": 4, "type": "hours", "isEnabled": True,
                        "frequencyInterval": "timeBased"},
    "persistentBrowser": {"mode": "never", "isEnabled": True},
}  # fmt: skip


def groups_of_a_guest(*groups: dict[str, Any]) -> Fragment:
    def build(t: TenantBuilder) -> None:
        guest = t.user("Gus Guest", userType="Guest")
        for n, spec in enumerate(groups):
            t.group(f"G{n}", [guest], **spec)

    return build


def session_policy(session: dict[str, Any], **spec: Any) -> Fragment:
    def build(t: TenantBuilder) -> None:
        t.user("Any User")
        policy = t.policy("Admin sessions", **spec)
        policy["sessionControls"] = session

    return build


def password_rules(values: dict[str, str] | None, synced: bool = False) -> Fragment:
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


MICROSOFT_365_E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06"
ENTRA_ID_P2 = "84a661c4-e949-4bd2-a560-ed7766fcaf2b"
UNNAMED_SKU = "0badc0de-0000-4000-8000-000000000000"


def licensed_admin(*skus: str, role: str = GLOBAL_ADMIN, role_name: str | None = None) -> Fragment:
    """An administrator holding these licences (no subscribedSkus: only known skuIds name)."""

    def build(t: TenantBuilder) -> None:
        if role_name is not None:
            t.role(role, role_name)
        admin = t.user("Ada Admin", assignedLicenses=[{"skuId": s, "disabledPlans": []}
                                                      for s in skus])  # fmt: skip
        t.assign(admin, role)

    return build


CIS_CASES: dict[str, tuple[Fragment, Fragment, Fragment]] = {
    # check id: (failing, passing, one whose snapshot cannot decide)
    "IDP-GST-004": (
        groups_of_a_guest({**DYNAMIC, "membershipRuleProcessingState": "Paused"}),
        groups_of_a_guest({**DYNAMIC, "membershipRuleProcessingState": "On"}),
        NO_FILES,
    ),
    "IDP-CA-018": (
        session_policy(PERSISTENT, include_users=[], include_roles=ADMIN_ROLES),
        session_policy(STRONG_SESSION, include_users=[], include_roles=ADMIN_ROLES),
        NO_FILES,
    ),
    "IDP-CA-019": (_risk_block("high"), _risk_block("medium", "high"), NO_FILES),
    "IDP-CA-020": (
        session_policy(HOURLY, apps=[INTUNE_ENROLLMENT_APP_ID], controls=[]),
        session_policy(EVERY_TIME, apps=[INTUNE_ENROLLMENT_APP_ID], controls=[]),
        NO_FILES,
    ),
    "IDP-PWD-002": (
        password_rules(None),  # never created: the template's list is empty
        password_rules({"EnableBannedPasswordCheck": "True", "BannedPasswordList": "a\tb"}),
        _no_group_settings(),
    ),
    "IDP-PWD-003": (
        password_rules({**ON_PREMISES, "BannedPasswordCheckOnPremisesMode": "Audit"}, True),
        password_rules({**ON_PREMISES, "BannedPasswordCheckOnPremisesMode": "Enforce"}, True),
        _no_group_settings(synced=True),
    ),
    "IDP-AMP-004": (
        settings(_system_preferred("default")),
        settings(_system_preferred("enabled")),
        settings(_system_preferred(None)),
    ),
    "IDP-ADM-001": (
        licensed_admin(MICROSOFT_365_E5, role_name="Global Administrator"),
        licensed_admin(ENTRA_ID_P2, role_name="Global Administrator"),
        licensed_admin(UNNAMED_SKU, role_name="Global Administrator"),
    ),
    "IDP-PIM-006": (
        settings(_pra_approval(False)),
        settings(_pra_approval(True)),
        settings(drop=("roleManagementPolicies",)),
    ),
}
