"""Pydantic models of Graph's `conditionalAccessPolicy`, parsed exactly as Graph returns it.

Unknown properties are kept (`extra="allow"`), unknown enum values stay plain strings and
null is accepted wherever Graph may send it (lists become empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import Field

from idpilot.conditional_access._graph_model import (
    GraphModel,
    StrList,
    open_enum,
    open_enum_list,
)
from idpilot.conditional_access.catalog import BuiltInControl
from idpilot.model.enums import ConditionalAccessPolicyState, RiskLevel

PolicyState = ConditionalAccessPolicyState
"""Graph `conditionalAccessPolicyState` (its home is `idpilot.model.enums`)."""

RiskLevelTarget = RiskLevel
"""Graph `riskLevel` values a policy may target (its home is `idpilot.model.enums`)."""


class ClientAppTarget(StrEnum):
    """Graph `conditionalAccessClientApp` values a policy may target (adds `all`)."""

    all = "all"
    browser = "browser"
    mobile_apps_and_desktop_clients = "mobileAppsAndDesktopClients"
    exchange_active_sync = "exchangeActiveSync"
    eas_supported = "easSupported"
    other = "other"
    unknown_future_value = "unknownFutureValue"


class PlatformTarget(StrEnum):
    """Graph `conditionalAccessDevicePlatform` values a policy may target (adds `all`)."""

    android = "android"
    ios = "iOS"
    windows = "windows"
    windows_phone = "windowsPhone"
    macos = "macOS"
    linux = "linux"
    all = "all"
    unknown_future_value = "unknownFutureValue"


class FilterMode(StrEnum):
    """Graph `filterMode`: whether matching devices are in or out of scope."""

    include = "include"
    exclude = "exclude"


class GuestOrExternalUserType(StrEnum):
    """Graph `conditionalAccessGuestOrExternalUserTypes` flags."""

    none = "none"
    internal_guest = "internalGuest"
    b2b_collaboration_guest = "b2bCollaborationGuest"
    b2b_collaboration_member = "b2bCollaborationMember"
    b2b_direct_connect_user = "b2bDirectConnectUser"
    other_external_user = "otherExternalUser"
    service_provider = "serviceProvider"
    unknown_future_value = "unknownFutureValue"


class TransferMethod(StrEnum):
    """Graph `conditionalAccessTransferMethods` flags."""

    none = "none"
    device_code_flow = "deviceCodeFlow"
    authentication_transfer = "authenticationTransfer"
    unknown_future_value = "unknownFutureValue"


class GrantOperator(StrEnum):
    """How several grant controls combine."""

    and_ = "AND"
    or_ = "OR"


class ExternalTenants(GraphModel):
    """`conditionalAccessExternalTenants`: all external tenants or an enumerated list."""

    membership_kind: str | None = None  # all | enumerated
    members: StrList = Field(default_factory=list)


class GuestsOrExternalUsers(GraphModel):
    """`conditionalAccessGuestsOrExternalUsers`: which kinds of external users are targeted."""

    guest_or_external_user_types: open_enum_list(GuestOrExternalUserType) = Field(
        default_factory=list
    )
    external_tenants: ExternalTenants | None = None


class UsersCondition(GraphModel):
    """`conditionalAccessUsers`: include/exclude users, groups, roles and external users."""

    include_users: StrList = Field(default_factory=list)
    exclude_users: StrList = Field(default_factory=list)
    include_groups: StrList = Field(default_factory=list)
    exclude_groups: StrList = Field(default_factory=list)
    include_roles: StrList = Field(default_factory=list)
    exclude_roles: StrList = Field(default_factory=list)
    include_guests_or_external_users: GuestsOrExternalUsers | None = None
    exclude_guests_or_external_users: GuestsOrExternalUsers | None = None


class ApplicationsCondition(GraphModel):
    """`conditionalAccessApplications`: target apps, user actions or authentication contexts."""

    include_applications: StrList = Field(default_factory=list)
    exclude_applications: StrList = Field(default_factory=list)
    include_user_actions: StrList = Field(default_factory=list)
    include_authentication_context_class_references: StrList = Field(default_factory=list)


class PlatformsCondition(GraphModel):
    """`conditionalAccessPlatforms`."""

    include_platforms: open_enum_list(PlatformTarget) = Field(default_factory=list)
    exclude_platforms: open_enum_list(PlatformTarget) = Field(default_factory=list)


class LocationsCondition(GraphModel):
    """`conditionalAccessLocations`: named location ids, `All` or `AllTrusted`."""

    include_locations: StrList = Field(default_factory=list)
    exclude_locations: StrList = Field(default_factory=list)


class DeviceFilter(GraphModel):
    """`conditionalAccessFilter`: a device filter rule and whether it includes or excludes."""

    mode: open_enum(FilterMode) = None
    rule: str | None = None


class DevicesCondition(GraphModel):
    """`conditionalAccessDevices`."""

    device_filter: DeviceFilter | None = None


class AuthenticationFlowsCondition(GraphModel):
    """`conditionalAccessAuthenticationFlows`."""

    transfer_methods: open_enum_list(TransferMethod) = Field(default_factory=list)


class Conditions(GraphModel):
    """`conditionalAccessConditionSet`."""

    users: UsersCondition | None = None
    applications: ApplicationsCondition | None = None
    client_app_types: open_enum_list(ClientAppTarget) = Field(default_factory=list)
    platforms: PlatformsCondition | None = None
    locations: LocationsCondition | None = None
    sign_in_risk_levels: open_enum_list(RiskLevelTarget) = Field(default_factory=list)
    user_risk_levels: open_enum_list(RiskLevelTarget) = Field(default_factory=list)
    devices: DevicesCondition | None = None
    authentication_flows: AuthenticationFlowsCondition | None = None


class AuthenticationStrength(GraphModel):
    """`authenticationStrengthPolicy` as embedded in grant controls."""

    id: str | None = None
    display_name: str | None = None
    allowed_combinations: StrList = Field(default_factory=list)


class GrantControls(GraphModel):
    """`conditionalAccessGrantControls`."""

    operator: open_enum(GrantOperator) = None
    built_in_controls: open_enum_list(BuiltInControl) = Field(default_factory=list)
    terms_of_use: StrList = Field(default_factory=list)
    custom_authentication_factors: StrList = Field(default_factory=list)
    authentication_strength: AuthenticationStrength | None = None


class SessionControl(GraphModel):
    """Any session control object; only `isEnabled` is read, the rest is kept as is."""

    is_enabled: bool | None = None


class SessionControls(GraphModel):
    """`conditionalAccessSessionControls`."""

    application_enforced_restrictions: SessionControl | None = None
    cloud_app_security: SessionControl | None = None
    sign_in_frequency: SessionControl | None = None
    persistent_browser: SessionControl | None = None
    continuous_access_evaluation: SessionControl | None = None
    secure_sign_in_session: SessionControl | None = None
    disable_resilience_defaults: bool | None = None


class ConditionalAccessPolicy(GraphModel):
    """Graph `conditionalAccessPolicy`."""

    id: str
    display_name: str | None = None
    state: open_enum(PolicyState) = None
    conditions: Conditions | None = None
    grant_controls: GrantControls | None = None
    session_controls: SessionControls | None = None
    created_date_time: str | None = None
    modified_date_time: str | None = None


def parse_policy(data: Mapping[str, Any]) -> ConditionalAccessPolicy:
    """Parse one Graph conditionalAccessPolicy JSON object."""
    return ConditionalAccessPolicy.model_validate(dict(data))
