"""Graph `signIn` and the complex types it nests."""

from __future__ import annotations

from pydantic import Field

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.enums import (
    AppliedConditionalAccessPolicyResult,
    AuthenticationRequirement,
    ConditionalAccessStatus,
    RiskDetail,
    RiskEventType,
    RiskLevel,
    RiskState,
    SignInUserType,
)
from idpilot.model.values import Bool, Float, Int, Open, Timestamp


class SignInStatus(GraphRecord):
    """`signInStatus`: the AADSTS error code (0 = success) and why."""

    error_code: Int = None
    failure_reason: str | None = None
    additional_details: str | None = None


class DeviceDetail(GraphRecord):
    """`deviceDetail`: the device a sign-in came from."""

    device_id: str | None = None
    display_name: str | None = None
    operating_system: str | None = None
    browser: str | None = None
    is_compliant: Bool = None
    is_managed: Bool = None
    trust_type: str | None = None


class GeoCoordinates(GraphRecord):
    """`geoCoordinates`."""

    latitude: Float = None
    longitude: Float = None
    altitude: Float = None


class SignInLocation(GraphRecord):
    """`signInLocation`: where an IP address places a sign-in or risk detection."""

    city: str | None = None
    state: str | None = None
    country_or_region: str | None = None
    geo_coordinates: GeoCoordinates | None = None


class AppliedConditionalAccessPolicy(GraphRecord):
    """`appliedConditionalAccessPolicy`: one policy's result for one sign-in."""

    id: str | None = None
    display_name: str | None = None
    result: Open[AppliedConditionalAccessPolicyResult] | None = None
    enforced_grant_controls: list[str] | None = None
    enforced_session_controls: list[str] | None = None


class MfaDetail(GraphRecord):
    """`mfaDetail`: the second factor used."""

    auth_method: str | None = None
    auth_detail: str | None = None


class SignIn(GraphEntity):
    """Graph `signIn` (v1.0 properties typed; beta and newer ones kept as extra)."""

    created_date_time: Timestamp = None
    user_id: str | None = None
    user_principal_name: str | None = None
    user_display_name: str | None = None
    user_type: Open[SignInUserType] | None = None
    app_id: str | None = None
    app_display_name: str | None = None
    resource_id: str | None = None
    resource_display_name: str | None = None
    resource_tenant_id: str | None = None
    home_tenant_id: str | None = None
    service_principal_id: str | None = None
    ip_address: str | None = None
    client_app_used: str | None = None
    user_agent: str | None = None
    correlation_id: str | None = None
    is_interactive: Bool = None
    sign_in_event_types: list[str] | None = None
    authentication_requirement: Open[AuthenticationRequirement] | None = None
    conditional_access_status: Open[ConditionalAccessStatus] | None = None
    risk_detail: Open[RiskDetail] | None = None
    risk_level_aggregated: Open[RiskLevel] | None = None
    risk_level_during_sign_in: Open[RiskLevel] | None = None
    risk_state: Open[RiskState] | None = None
    risk_event_types: list[Open[RiskEventType]] | None = None
    risk_event_types_v2: list[Open[RiskEventType]] | None = Field(
        default=None, alias="riskEventTypes_v2"
    )
    status: SignInStatus | None = None
    device_detail: DeviceDetail | None = None
    location: SignInLocation | None = None
    applied_conditional_access_policies: list[AppliedConditionalAccessPolicy] | None = None
    mfa_detail: MfaDetail | None = None

    @property
    def error_code(self) -> int | None:
        """`status.errorCode`: 0 for success, otherwise the AADSTS code."""
        return self.status.error_code if self.status else None
