"""Authentication methods policy checks (CISA SCuBA MS.AAD.3.x, CIS 5.2.3.6) over the tenant's
settings."""

from __future__ import annotations

from typing import Any

from idpilot.model.collections import Collection
from idpilot.model.enums import AuthenticationMethodsPolicyMigrationState, AuthenticationMethodState
from idpilot.model.tenant_policies import AuthenticationMethodsPolicy
from idpilot.posture.base import (
    Baseline,
    Outcome,
    check,
    failed_if,
    not_applicable,
    passed,
    unknown,
)
from idpilot.posture.cis_controls import cis_control, cis_ids
from idpilot.posture.data import PostureData
from idpilot.posture.tenant_settings import setting_record
from idpilot.security.severity import Severity

POLICY = Collection.authentication_methods_policy
ALL_USERS = "all_users"
NO_EXCLUSION = "00000000-0000-0000-0000-000000000000"
"""The target id Graph writes in a feature setting's `excludeTarget` when nobody is excluded."""
CONTEXT_FEATURES = ("displayAppInformationRequiredState", "displayLocationInformationRequiredState")
WEAK_METHOD_IDS = ("Sms", "Voice", "Email")


def _policy(data: PostureData) -> AuthenticationMethodsPolicy | Outcome:
    return data.settings.singleton(POLICY)


def _feature_gap(feature: Any) -> str | None:
    """Why a Microsoft Authenticator feature setting does not show context to everyone."""
    if not isinstance(feature, dict):
        return "not set (Microsoft-managed)"
    if feature.get("state") != "enabled":
        return f"state {feature.get('state')}"
    include = (feature.get("includeTarget") or {}).get("id")
    if include != ALL_USERS:
        return f"enabled only for {include}"
    exclude = (feature.get("excludeTarget") or {}).get("id")
    if exclude not in (None, NO_EXCLUSION):
        return f"excludes {exclude}"
    return None


@check(
    "IDP-AMP-001",
    "Microsoft Authenticator shows the application and location it is approving",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.3.3v1 If phishing-resistant MFA has not been enforced and Microsoft Authenticator "
    "is enabled, it SHALL be configured to show login context information",
    "In the authentication methods policy, enable 'Show application name' and 'Show geographic "
    "location' in Microsoft Authenticator's feature settings for all users, excluding no one.",
    controls=("MS.AAD.3.3v2", "MS.AAD.3.3v1", *cis_ids("5.2.3.1")),
)
def authenticator_shows_context(data: PostureData) -> Outcome:
    policy = _policy(data)
    if isinstance(policy, Outcome):
        return policy
    method = policy.method("MicrosoftAuthenticator")
    if method is None:
        return unknown(
            [f"{POLICY.value}.authenticationMethodConfigurations[MicrosoftAuthenticator]"]
        )
    if method.state != AuthenticationMethodState.enabled:
        return not_applicable("Microsoft Authenticator is not enabled")
    features = method.feature_settings or {}
    gaps = {name: _feature_gap(features.get(name)) for name in CONTEXT_FEATURES}
    gaps = {name: gap for name, gap in gaps.items() if gap}
    record = setting_record(
        POLICY,
        policy,
        "; ".join(f"{name}: {gap}" for name, gap in gaps.items()) or "app name and location shown",
        {"method": "MicrosoftAuthenticator", **{n: features.get(n) for n in CONTEXT_FEATURES}},
    )
    if gaps:
        return failed_if([record])
    return passed("app name and location shown to all users", [record])


@check(
    "IDP-AMP-002",
    "Authentication methods are managed in the authentication methods policy only",
    Severity.low,
    Baseline.cisa_scuba,
    "MS.AAD.3.4v1 The Authentication Methods Manage Migration feature SHALL be set to "
    "Migration Complete",
    "Finish moving the legacy MFA and SSPR method settings into the authentication methods "
    "policy, then set the migration to Migration Complete.",
)
def methods_migration_complete(data: PostureData) -> Outcome:
    policy = _policy(data)
    if isinstance(policy, Outcome):
        return policy
    state = policy.policy_migration_state
    if state is None:
        return unknown([f"{POLICY.value}.policyMigrationState"])
    record = setting_record(POLICY, policy, f"policyMigrationState: {state}",
                            {"policyMigrationState": str(state)})  # fmt: skip
    if state == AuthenticationMethodsPolicyMigrationState.migration_complete:
        return passed("migration complete", [record])
    return failed_if([record], f"policyMigrationState is {state}")


@check(
    "IDP-AMP-003",
    "SMS, voice call and email one-time passcode are disabled",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.3.5v1 The authentication methods SMS, Voice Call, and Email One-Time Passcode "
    "(OTP) SHALL be disabled",
    "Disable SMS, Voice call and Email OTP in the authentication methods policy once users "
    "have Microsoft Authenticator or a passkey.",
    controls=("MS.AAD.3.5v2", "MS.AAD.3.5v1", *cis_ids("5.2.3.5")),
)
def weak_methods_disabled(data: PostureData) -> Outcome:
    policy = _policy(data)
    if isinstance(policy, Outcome):
        return policy
    methods = {method_id: policy.method(method_id) for method_id in WEAK_METHOD_IDS}
    absent = [m for m, config in methods.items() if config is None]
    if absent:
        return unknown([f"{POLICY.value}.authenticationMethodConfigurations[{m}]" for m in absent])
    enabled = [
        m for m, config in methods.items() if config.state != AuthenticationMethodState.disabled
    ]
    records = [
        setting_record(POLICY, policy, f"{m} is {methods[m].state}",
                       {"method": m, "state": str(methods[m].state)},
                       label=f"{m} method ({policy.display_name or POLICY.value})")
        for m in enabled
    ]  # fmt: skip
    if records:
        return failed_if(records, "enabled: " + ", ".join(enabled))
    return passed(
        "SMS, voice and email OTP disabled",
        [setting_record(POLICY, policy, "Sms, Voice, Email disabled")],
    )


SYSTEM_PREFERRED = "systemCredentialPreferences"
"""Graph's system-preferred MFA setting (published in beta: a v1.0 read does not carry it)."""


@check(
    "IDP-AMP-004",
    "System-preferred multifactor authentication is enabled for everyone",
    Severity.low,
    Baseline.cis,
    cis_control("5.2.3.6"),
    "In Authentication methods > Settings, set System-preferred multifactor authentication to "
    "Enabled for all users, excluding no one.",
    controls=cis_ids("5.2.3.6"),
)
def system_preferred_mfa(data: PostureData) -> Outcome:
    """`systemCredentialPreferences`: state enabled, all users included, no one excluded."""
    policy = _policy(data)
    if isinstance(policy, Outcome):
        return policy
    preferences = policy.system_credential_preferences
    if not isinstance(preferences, dict) or "state" not in preferences:
        return unknown([f"{POLICY.value}.{SYSTEM_PREFERRED} (Graph beta)"])
    state = str(preferences.get("state"))
    included = [t.get("id") for t in preferences.get("includeTargets") or [] if isinstance(t, dict)]
    excluded = [t.get("id") for t in preferences.get("excludeTargets") or [] if isinstance(t, dict)]
    gaps = [] if state == "enabled" else [f"state {state}"]
    if ALL_USERS not in included:
        gaps.append("not for all users")
    if [e for e in excluded if e not in (None, NO_EXCLUSION)]:
        gaps.append(f"excludes {len(excluded)} target(s)")
    detail = "; ".join(gaps) or "enabled for all users"
    record = setting_record(POLICY, policy, f"{SYSTEM_PREFERRED}: {detail}",
                            {f"{SYSTEM_PREFERRED}.state": state})  # fmt: skip
    if gaps:
        return failed_if([record], detail)
    return passed(detail, [record])
