"""Identity Protection: risky users and service principals, and their risk detections."""

from __future__ import annotations

from idpilot.model.base import GraphEntity
from idpilot.model.enums import (
    DetectionTimingType,
    RiskActivity,
    RiskDetail,
    RiskEventType,
    RiskLevel,
    RiskState,
    ServicePrincipalType,
    TokenIssuerType,
)
from idpilot.model.sign_ins import SignInLocation
from idpilot.model.values import Bool, Open, Timestamp


class RiskyUser(GraphEntity):
    """Graph `riskyUser` (its `id` is the user's id)."""

    user_principal_name: str | None = None
    user_display_name: str | None = None
    risk_level: Open[RiskLevel] | None = None
    risk_state: Open[RiskState] | None = None
    risk_detail: Open[RiskDetail] | None = None
    risk_last_updated_date_time: Timestamp = None
    is_deleted: Bool = None
    is_processing: Bool = None


class RiskyServicePrincipal(GraphEntity):
    """Graph `riskyServicePrincipal` (its `id` is the service principal's id)."""

    app_id: str | None = None
    display_name: str | None = None
    service_principal_type: Open[ServicePrincipalType] | None = None
    risk_level: Open[RiskLevel] | None = None
    risk_state: Open[RiskState] | None = None
    risk_detail: Open[RiskDetail] | None = None
    risk_last_updated_date_time: Timestamp = None
    is_enabled: Bool = None
    is_processing: Bool = None


class _Detection(GraphEntity):
    """What user and workload-identity risk detections share."""

    request_id: str | None = None
    correlation_id: str | None = None
    risk_event_type: Open[RiskEventType] | None = None
    risk_level: Open[RiskLevel] | None = None
    risk_state: Open[RiskState] | None = None
    risk_detail: Open[RiskDetail] | None = None
    source: str | None = None
    detection_timing_type: Open[DetectionTimingType] | None = None
    activity: Open[RiskActivity] | None = None
    token_issuer_type: Open[TokenIssuerType] | None = None
    location: SignInLocation | None = None
    activity_date_time: Timestamp = None
    detected_date_time: Timestamp = None
    last_updated_date_time: Timestamp = None
    additional_info: str | None = None


class RiskDetection(_Detection):
    """Graph `riskDetection` (a user risk event)."""

    ip_address: str | None = None
    user_id: str | None = None
    user_display_name: str | None = None
    user_principal_name: str | None = None


class ServicePrincipalRiskDetection(_Detection):
    """Graph `servicePrincipalRiskDetection` (a workload-identity risk event)."""

    service_principal_id: str | None = None
    service_principal_display_name: str | None = None
    app_id: str | None = None
    ip_addresses: list[str] | None = None
    key_ids: list[str] | None = None
