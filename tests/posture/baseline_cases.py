"""Golden pairs for the checks added for the baselines' depth (a failing and a passing tenant
fragment each), and the checks no snapshot can decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from idpilot.posture.privileged_access import HIGHLY_PRIVILEGED_ROLES
from tests.security.builder import GLOBAL_ADMIN, USER_ADMIN, TenantBuilder

Fragment = Callable[[TenantBuilder], None]
COMPLIANT = ["compliantDevice", "domainJoinedDevice"]
REGISTER = "urn:user:registersecurityinfo"
PHISHING_RESISTANT = {
    "id": "00000000-0000-0000-0000-000000000004",
    "displayName": "Phishing-resistant MFA",
    "allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
}
ALL_ADMIN_ROLES = sorted(HIGHLY_PRIVILEGED_ROLES)
ALL_APPS_DATE = "0001-01-01T00:00:00Z"
UNDECIDABLE = {"IDP-RSK-003", "IDP-GST-003", "IDP-LOG-001", "IDP-PWD-004"}
"""Checks whose data is not in Microsoft Graph (or not in a snapshot): never passed or failed
(`unknown`, or `notApplicable` where the control does not apply: password hash sync in a
cloud-only tenant)."""


def policy(**spec: Any) -> Fragment:
    """One user and one Conditional Access policy (TenantBuilder.policy's arguments)."""

    def build(t: TenantBuilder) -> None:
        t.user("Any User")
        t.policy(spec.pop("name", "P0"), **spec)

    return build


def _app_policy(**restrictions: list[dict[str, Any]]) -> Fragment:
    """The default app management policy, enabled, with these credential restrictions in both
    restriction sets."""

    def build(t: TenantBuilder) -> None:
        t.user("Any User")
        sets = {"passwordCredentials": restrictions.get("passwords", []),
                "keyCredentials": restrictions.get("keys", [])}  # fmt: skip
        t.add("defaultAppManagementPolicy", {
            "id": "00000000-0000-0000-0000-000000000000", "isEnabled": True,
            "applicationRestrictions": sets, "servicePrincipalRestrictions": sets,
        })  # fmt: skip

    return build


def _restriction(kind: str, lifetime: str | None = None, after: str = ALL_APPS_DATE) -> dict:
    found = {
        "restrictionType": kind,
        "state": "enabled",
        "restrictForAppsCreatedAfterDateTime": after,
    }
    return found | ({"maxLifetime": lifetime} if lifetime else {})


def _global_admins(n: int, others: int = 0) -> Fragment:
    def build(t: TenantBuilder) -> None:
        t.role(GLOBAL_ADMIN, "Global Administrator")
        t.role(USER_ADMIN, "User Administrator")
        for i in range(n):
            t.assign(t.user(f"Admin {i}"), GLOBAL_ADMIN, eligible=True)
        for i in range(others):
            t.assign(t.user(f"Helpdesk {i}"), USER_ADMIN, eligible=True)

    return build


def _tenant_creation(allowed: bool) -> Fragment:
    def build(t: TenantBuilder) -> None:
        t.user("Any User")
        t.add("authorizationPolicy", {
            "id": "authorizationPolicy",
            "defaultUserRolePermissions": {"allowedToCreateTenants": allowed},
        })  # fmt: skip

    return build


def _agents(**conditions: Any) -> dict[str, Any]:
    return {
        "include_users": ["None"],
        "controls": ["block"],
        "clientApplications": {"includeAgentIdServicePrincipals": ["All"]},
        **conditions,
    }


BASELINE_CASES: dict[str, tuple[Fragment, Fragment]] = {
    "IDP-CA-012": (
        policy(userRiskLevels=["high"], controls=["passwordChange"]),
        policy(userRiskLevels=["high"], controls=["block"]),
    ),
    "IDP-CA-013": (
        policy(signInRiskLevels=["high"], controls=["mfa"]),
        policy(signInRiskLevels=["high", "medium"], controls=["block"]),
    ),
    "IDP-CA-014": (
        policy(controls=["mfa"]),
        policy(controls=[], strength=PHISHING_RESISTANT),
    ),
    "IDP-CA-015": (
        policy(controls=["mfa", "compliantDevice"]),  # OR: MFA alone lets an unmanaged device in
        policy(controls=COMPLIANT),
    ),
    "IDP-CA-016": (
        policy(user_actions=[REGISTER], controls=["mfa"]),
        policy(user_actions=[REGISTER], controls=COMPLIANT),
    ),
    "IDP-CA-017": (
        policy(**_agents(agentIdRiskLevels=["medium"])),
        policy(**_agents(agentIdRiskLevels=["high"])),
    ),
    "IDP-APP-009": (
        _app_policy(passwords=[_restriction("passwordAddition", after="2024-01-01T00:00:00Z")]),
        _app_policy(passwords=[_restriction("passwordAddition")]),
    ),
    "IDP-APP-010": (
        _app_policy(passwords=[_restriction("passwordLifetime", "P365D")]),
        _app_policy(passwords=[_restriction("passwordLifetime", "P181D")]),
    ),
    "IDP-APP-011": (
        _app_policy(keys=[_restriction("asymmetricKeyLifetime", "P2Y")]),
        _app_policy(keys=[_restriction("asymmetricKeyLifetime", "P366D")]),
    ),
    "IDP-ROL-010": (_global_admins(9), _global_admins(5)),
    "IDP-ROL-011": (_global_admins(3, others=1), _global_admins(2, others=3)),
    "IDP-CON-005": (_tenant_creation(True), _tenant_creation(False)),
}
