"""Small predicates over Conditional Access policies as Graph returns them (dicts)."""

from __future__ import annotations

from typing import Any

from idpilot.posture.data import PostureData

ALL = "All"
ADMIN_PORTALS = "MicrosoftAdminPortals"
AZURE_MANAGEMENT_APP_ID = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
REGISTER_SECURITY_INFO = "urn:user:registersecurityinfo"
LEGACY_CLIENT_TYPES = frozenset({"exchangeActiveSync", "other"})


def users_condition(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy's users condition (empty dict when absent)."""
    return (policy.get("conditions") or {}).get("users") or {}


def applications_condition(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy's applications condition."""
    return (policy.get("conditions") or {}).get("applications") or {}


def built_in_controls(policy: dict[str, Any]) -> set[str]:
    """The grant's built-in controls (block, mfa, compliantDevice, passwordChange, ...)."""
    return set((policy.get("grantControls") or {}).get("builtInControls") or [])


PHISHING_RESISTANT_STRENGTH_ID = "00000000-0000-0000-0000-000000000004"
"""The built-in "Phishing-resistant MFA" authentication strength."""
PHISHING_RESISTANT_COMBINATIONS = frozenset(
    {"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"}
)
MANAGED_DEVICE_CONTROLS = frozenset({"compliantDevice", "domainJoinedDevice"})


def _alternatives(policy: dict[str, Any]) -> int:
    """How many grant controls can satisfy the policy on their own (1 under AND)."""
    grant = policy.get("grantControls") or {}
    if str(grant.get("operator") or "OR").upper() == "AND":
        return 1
    return len(built_in_controls(policy)) + (1 if grant.get("authenticationStrength") else 0)


def requires_mfa(policy: dict[str, Any]) -> bool:
    """The grant requires MFA or an authentication strength (which implies MFA), and no other
    control OR-ed with it lets a sign-in through without MFA."""
    grant = policy.get("grantControls") or {}
    has_mfa = "mfa" in built_in_controls(policy) or bool(grant.get("authenticationStrength"))
    return has_mfa and _alternatives(policy) == 1


def requires_phishing_resistant(policy: dict[str, Any]) -> bool:
    """The grant requires an authentication strength whose methods are all phishing-resistant
    (the built-in one, or combinations all resistant), with no OR-ed alternative."""
    strength = (policy.get("grantControls") or {}).get("authenticationStrength") or {}
    combos = set(strength.get("allowedCombinations") or [])
    resistant = (combos and combos <= PHISHING_RESISTANT_COMBINATIONS) or (
        not combos and strength.get("id") == PHISHING_RESISTANT_STRENGTH_ID
    )
    return bool(resistant) and _alternatives(policy) == 1


def requires_managed_device(policy: dict[str, Any]) -> bool:
    """The grant requires a compliant or hybrid joined device, and every OR-ed alternative is
    one of these (MFA alone would not satisfy it)."""
    controls = built_in_controls(policy)
    grant = policy.get("grantControls") or {}
    if not controls & MANAGED_DEVICE_CONTROLS:
        return False
    if str(grant.get("operator") or "OR").upper() == "AND":
        return True
    return controls <= MANAGED_DEVICE_CONTROLS and not grant.get("authenticationStrength")


def risk_levels(policy: dict[str, Any], key: str) -> set[str]:
    """The policy's risk levels under `key` ("signInRiskLevels", "userRiskLevels", ...), lower
    case; Graph writes some risk conditions as a comma-separated string, others as a list."""
    value = (policy.get("conditions") or {}).get(key) or []
    if isinstance(value, str):
        value = value.split(",")
    return {str(level).strip().lower() for level in value}


def blocks(policy: dict[str, Any]) -> bool:
    """The policy blocks access."""
    return "block" in built_in_controls(policy)


def all_apps(policy: dict[str, Any]) -> bool:
    """The policy targets all cloud apps."""
    return ALL in (applications_condition(policy).get("includeApplications") or [])


def includes_all_users(policy: dict[str, Any]) -> bool:
    """The policy targets all users."""
    return ALL in (users_condition(policy).get("includeUsers") or [])


def applies_to_user(policy: dict[str, Any], user_id: str, data: PostureData) -> bool:
    """Whether the users condition includes this user and does not exclude them."""
    users = users_condition(policy)
    groups = data.groups_of_member.get(user_id, set())
    roles = {h["template_id"] for h in data.role_holders if h["user_id"] == user_id}
    if user_id in (users.get("excludeUsers") or []):
        return False
    if groups & set(users.get("excludeGroups") or []):
        return False
    if roles & set(users.get("excludeRoles") or []):
        return False
    include_users = users.get("includeUsers") or []
    return (
        ALL in include_users
        or user_id in include_users
        or bool(groups & set(users.get("includeGroups") or []))
        or bool(roles & set(users.get("includeRoles") or []))
    )


def client_app_types(policy: dict[str, Any]) -> set[str]:
    """The policy's client app types ('all' when unset)."""
    return set((policy.get("conditions") or {}).get("clientAppTypes") or ["all"])
