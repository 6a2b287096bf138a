"""Tenant-wide settings: authorization, authentication methods, consent, guests, app policy.

Each reads the object Graph's `/policies/...` endpoints return; polymorphic members (method
configurations) are one model whose subtype-specific properties stay in `model_extra`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.enums import (
    AllowInvitesFrom,
    AuthenticationMethodsPolicyMigrationState,
    AuthenticationMethodState,
)
from idpilot.model.values import Bool, Int, Open, Timestamp


class DefaultUserRolePermissions(GraphRecord):
    """`defaultUserRolePermissions`: what every member user may do by default."""

    allowed_to_create_apps: Bool = None
    allowed_to_create_security_groups: Bool = None
    allowed_to_create_tenants: Bool = None
    allowed_to_read_bitlocker_keys_for_owned_device: Bool = None
    allowed_to_read_other_users: Bool = None
    permission_grant_policies_assigned: list[str] | None = None


class AuthorizationPolicy(GraphEntity):
    """Graph `authorizationPolicy`: guest access and invitations, user consent, app creation."""

    display_name: str | None = None
    description: str | None = None
    allow_invites_from: Open[AllowInvitesFrom] | None = None
    allowed_to_sign_up_email_based_subscriptions: Bool = None
    allowed_to_use_sspr: Bool = Field(default=None, alias="allowedToUseSSPR")
    allow_email_verified_users_to_join_organization: Bool = None
    allow_user_consent_for_risky_apps: Bool = None
    block_msol_power_shell: Bool = None
    guest_user_role_id: str | None = None
    default_user_role_permissions: DefaultUserRolePermissions | None = None


class AuthenticationMethodTarget(GraphRecord):
    """`authenticationMethodTarget`: a group (or `all_users`) a method is enabled for."""

    id: str | None = None
    target_type: str | None = None
    is_registration_required: Bool = None


class AuthenticationMethodConfiguration(GraphEntity):
    """`authenticationMethodConfiguration` (Fido2, MicrosoftAuthenticator, Sms, Voice, Email...).

    `id` names the method; subtype properties (`featureSettings`, `keyRestrictions`...) are
    kept as published.
    """

    state: Open[AuthenticationMethodState] | None = None
    include_targets: list[AuthenticationMethodTarget] | None = None
    exclude_targets: list[dict[str, Any]] | None = None
    feature_settings: dict[str, Any] | None = None


class AuthenticationMethodsPolicy(GraphEntity):
    """Graph `authenticationMethodsPolicy` with its method configurations."""

    display_name: str | None = None
    description: str | None = None
    last_modified_date_time: Timestamp = None
    policy_version: str | None = None
    policy_migration_state: Open[AuthenticationMethodsPolicyMigrationState] | None = None
    registration_enforcement: dict[str, Any] | None = None
    report_suspicious_activity_settings: dict[str, Any] | None = None
    system_credential_preferences: dict[str, Any] | None = None
    authentication_method_configurations: list[AuthenticationMethodConfiguration] | None = None

    def method(self, method_id: str) -> AuthenticationMethodConfiguration | None:
        """The configuration of one method (`Sms`, `Voice`, `Email`...), ids compared loosely."""
        for configuration in self.authentication_method_configurations or []:
            if (configuration.id or "").lower() == method_id.lower():
                return configuration
        return None


class IdentitySecurityDefaultsEnforcementPolicy(GraphEntity):
    """Graph `identitySecurityDefaultsEnforcementPolicy`: whether security defaults are on."""

    display_name: str | None = None
    description: str | None = None
    is_enabled: Bool = None


class AdminConsentRequestPolicy(GraphEntity):
    """Graph `adminConsentRequestPolicy`: the admin consent workflow and its reviewers."""

    is_enabled: Bool = None
    notify_reviewers: Bool = None
    reminders_enabled: Bool = None
    request_duration_in_days: Int = None
    version: Int = None
    reviewers: list[dict[str, Any]] | None = None


class PermissionGrantConditionSet(GraphEntity):
    """`permissionGrantConditionSet`: the permissions a grant policy includes or excludes."""

    permission_classification: str | None = None
    permission_type: str | None = None
    resource_application: str | None = None
    permissions: list[str] | None = None
    client_application_ids: list[str] | None = None
    client_application_tenant_ids: list[str] | None = None
    client_application_publisher_ids: list[str] | None = None
    client_applications_from_verified_publisher_only: Bool = None


class PermissionGrantPolicy(GraphEntity):
    """Graph `permissionGrantPolicy`: which consents a policy assigned to users allows."""

    display_name: str | None = None
    description: str | None = None
    includes: list[PermissionGrantConditionSet] | None = None
    excludes: list[PermissionGrantConditionSet] | None = None


class SettingValue(GraphRecord):
    """`settingValue`: one name/value pair of a directory setting (values are strings)."""

    name: str | None = None
    value: str | None = None


class GroupSetting(GraphEntity):
    """Graph `groupSetting` (`directorySetting`): a tenant-wide settings object from a template.

    "Group.Unified" holds guest and group-creation settings, "Consent Policy Settings" the
    legacy group-specific consent switches.
    """

    display_name: str | None = None
    template_id: str | None = None
    values: list[SettingValue] | None = None

    def value(self, name: str) -> str | None:
        """The value of the setting `name`, or None when the object does not carry it."""
        for item in self.values or []:
            if item.name == name:
                return item.value
        return None


class CrossTenantAccessPolicyConfigurationDefault(GraphEntity):
    """Graph `crossTenantAccessPolicyConfigurationDefault`: B2B defaults for every tenant."""

    is_service_default: Bool = None
    inbound_trust: dict[str, Any] | None = None
    b2b_collaboration_inbound: dict[str, Any] | None = None
    b2b_collaboration_outbound: dict[str, Any] | None = None
    b2b_direct_connect_inbound: dict[str, Any] | None = None
    b2b_direct_connect_outbound: dict[str, Any] | None = None
    automatic_user_consent_settings: dict[str, Any] | None = None
    tenant_restrictions: dict[str, Any] | None = None


class CrossTenantAccessPolicyConfigurationPartner(GraphRecord):
    """Graph `crossTenantAccessPolicyConfigurationPartner`: settings for one partner tenant
    (keyed by `tenantId`; Graph gives it no `id`)."""

    tenant_id: str | None = None
    is_service_provider: Bool = None
    is_in_multi_tenant_organization: Bool = None
    inbound_trust: dict[str, Any] | None = None
    b2b_collaboration_inbound: dict[str, Any] | None = None
    b2b_collaboration_outbound: dict[str, Any] | None = None
    b2b_direct_connect_inbound: dict[str, Any] | None = None
    b2b_direct_connect_outbound: dict[str, Any] | None = None
    automatic_user_consent_settings: dict[str, Any] | None = None
    tenant_restrictions: dict[str, Any] | None = None


class AuthenticationStrengthPolicy(GraphEntity):
    """Graph `authenticationStrengthPolicy`: the method combinations a strength allows."""

    display_name: str | None = None
    description: str | None = None
    policy_type: str | None = None
    requirements_satisfied: str | None = None
    allowed_combinations: list[str] | None = None
    created_date_time: Timestamp = None
    modified_date_time: Timestamp = None


class TenantAppManagementPolicy(GraphEntity):
    """Graph `tenantAppManagementPolicy` (`defaultAppManagementPolicy`): credential rules."""

    display_name: str | None = None
    description: str | None = None
    is_enabled: Bool = None
    application_restrictions: dict[str, Any] | None = None
    service_principal_restrictions: dict[str, Any] | None = None
