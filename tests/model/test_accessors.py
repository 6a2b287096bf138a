"""Typed access to the nested Graph shapes skills read most."""

from __future__ import annotations

from datetime import UTC, datetime

from idpilot.model import (
    AppliedConditionalAccessPolicyResult,
    Collection,
    ConditionalAccessStatus,
    DetectionTimingType,
    OAuth2PermissionGrant,
    RiskEventType,
    SignIn,
    User,
    UserType,
    parse_record,
)
from tests.model.examples import HAND_WRITTEN, examples_in


def test_sign_in_status_device_and_location() -> None:
    sign_in = parse_record(Collection.sign_ins, examples_in("signIn.beta.list.json")[0])
    assert isinstance(sign_in, SignIn)
    assert sign_in.status is not None and sign_in.status.error_code == 50126
    assert sign_in.error_code == 50126
    assert sign_in.conditional_access_status is ConditionalAccessStatus.not_applied
    assert sign_in.device_detail.operating_system == "Windows 10"
    assert sign_in.device_detail.is_compliant is False
    assert sign_in.location.country_or_region == "US"
    assert sign_in.location.geo_coordinates.latitude is None
    assert sign_in.created_date_time == datetime(2021, 6, 30, 16, 34, 32, tzinfo=UTC)


def test_applied_policies_and_mfa_detail() -> None:
    sign_in = SignIn.model_validate(
        {
            "id": "s1",
            "appliedConditionalAccessPolicies": [
                {
                    "id": "p1",
                    "displayName": "Require MFA",
                    "enforcedGrantControls": ["Mfa"],
                    "enforcedSessionControls": [],
                    "result": "reportOnlyFailure",
                }
            ],
            "mfaDetail": {"authMethod": "PhoneAppNotification", "authDetail": None},
        }
    )
    policy = sign_in.applied_conditional_access_policies[0]
    assert policy.result is AppliedConditionalAccessPolicyResult.report_only_failure
    assert policy.enforced_grant_controls == ["Mfa"]
    assert sign_in.mfa_detail.auth_method == "PhoneAppNotification"


def test_directory_audit_initiator_and_targets() -> None:
    audit = parse_record(Collection.directory_audits, examples_in("directoryAudit.list.json")[0])
    assert audit.initiated_by.user.user_principal_name == "bob@wingtiptoysonline.com"
    assert audit.initiated_by.app is None
    changed = audit.target_resources[0].modified_properties[0]
    assert (changed.display_name, changed.old_value, changed.new_value) == (
        "Action Client Name",
        None,
        "DirectorySync",
    )
    assert audit.additional_details[0].key == "Additional Detail Name"


def test_user_sign_in_activity_and_licences() -> None:
    adele = parse_record(Collection.users, examples_in("user.list.signInActivity.json")[0])
    last = adele.sign_in_activity.last_sign_in_date_time
    assert last == datetime(2021, 6, 17, 16, 41, 33, tzinfo=UTC)
    assert last.tzinfo is not None
    never = adele.sign_in_activity.last_non_interactive_sign_in_date_time
    assert never is not None and never.year == 1
    licensed = parse_record(Collection.users, examples_in("user.list.assignedLicenses.json")[0])
    assert licensed.assigned_licenses[0].sku_id == "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"
    guest = User.model_validate({"userType": "Guest", "externalUserState": "Accepted"})
    assert guest.user_type is UserType.guest


def test_risk_detection_enums() -> None:
    detection = parse_record(Collection.risk_detections, examples_in("riskDetection.list.json")[0])
    assert detection.risk_event_type is RiskEventType.unfamiliar_features
    assert detection.detection_timing_type is DetectionTimingType.realtime
    assert detection.location.city == "Seattle"
    # The published example's tokenIssuerType is not one of the enum's values: kept as text.
    assert detection.token_issuer_type == "Azure Active Directory"
    workload = parse_record(
        Collection.service_principal_risk_detections,
        HAND_WRITTEN[Collection.service_principal_risk_detections],
    )
    assert workload.risk_event_type is RiskEventType.investigations_threat_intelligence
    assert workload.ip_addresses == ["192.0.2.10"]


def test_service_principal_credentials_and_roles() -> None:
    sp = parse_record(
        Collection.service_principals,
        {
            "id": "sp1",
            "appId": "a1",
            "servicePrincipalType": "Application",
            "passwordCredentials": [
                {
                    "keyId": "k1",
                    "displayName": "ci secret",
                    "hint": "abc",
                    "startDateTime": "2024-01-01T00:00:00Z",
                    "endDateTime": "2025-01-01T00:00:00Z",
                }
            ],
            "keyCredentials": [{"keyId": "k2", "type": "AsymmetricX509Cert", "usage": "Verify"}],
            "appRoles": [{"id": "r1", "value": "Tasks.Read", "allowedMemberTypes": ["User"]}],
        },
    )
    assert sp.password_credentials[0].end_date_time.year == 2025
    assert sp.key_credentials[0].usage == "Verify"
    assert sp.app_roles[0].value == "Tasks.Read"


def test_oauth2_grant_scopes_and_role_eligibility() -> None:
    grant = parse_record(
        Collection.oauth2_permission_grants, HAND_WRITTEN[Collection.oauth2_permission_grants]
    )
    assert isinstance(grant, OAuth2PermissionGrant)
    assert grant.scopes == ["User.Read", "Group.ReadWrite.All"]
    schedule = parse_record(
        Collection.role_eligibility_schedules, HAND_WRITTEN[Collection.role_eligibility_schedules]
    )
    assert schedule.schedule_info.expiration.type == "noExpiration"
    assert schedule.schedule_info.start_date_time.tzinfo is not None
