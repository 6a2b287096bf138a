"""Typed access to the tenant settings Graph publishes (the published examples, read)."""

from __future__ import annotations

from idpilot.model import (
    AllowInvitesFrom,
    AuthenticationMethodState,
    Collection,
    parse_record,
)
from idpilot.model.privileged_access import UnifiedRoleManagementPolicy
from idpilot.model.tenant_policies import AuthenticationMethodsPolicy, AuthorizationPolicy
from idpilot.sources.demo.privileged_access import policy_rules
from tests.model.examples import first_example


def test_authorization_policy_reads_guest_and_consent_settings() -> None:
    policy = parse_record(
        Collection.authorization_policy, first_example("authorizationPolicy.get.json")
    )
    assert isinstance(policy, AuthorizationPolicy)
    assert policy.allow_invites_from is AllowInvitesFrom.everyone
    assert policy.allowed_to_use_sspr is True  # Graph spells it allowedToUseSSPR
    assert policy.block_msol_power_shell is None
    permissions = policy.default_user_role_permissions
    assert permissions is not None and permissions.allowed_to_create_apps is True
    assert permissions.permission_grant_policies_assigned == ["just-user-read"]


def test_a_method_is_found_by_its_id_in_any_case() -> None:
    policy = parse_record(
        Collection.authentication_methods_policy,
        first_example("authenticationMethodsPolicy.get.json"),
    )
    assert isinstance(policy, AuthenticationMethodsPolicy)
    sms = policy.method("sms")
    assert sms is not None and sms.state is AuthenticationMethodState.enabled
    assert sms.include_targets and sms.include_targets[0].id == "all_users"
    assert policy.method("Voice") is None
    fido = policy.method("Fido2")
    assert fido is not None and fido.model_extra and "keyRestrictions" in fido.model_extra


def test_group_setting_values_by_name() -> None:
    setting = parse_record(Collection.group_settings, first_example("groupSetting.list.json"))
    assert setting.value("AllowToAddGuests") == "true"
    assert setting.value("NoSuchSetting") is None


def test_role_management_rules_by_id() -> None:
    policy = UnifiedRoleManagementPolicy.model_validate(
        {"id": "p", "rules": policy_rules(approvers=["u"], alert=False)}
    )
    approval = policy.rule("Approval_EndUser_Assignment")
    assert approval is not None and approval.setting and approval.setting["isApprovalRequired"]
    assert approval.target is not None and approval.target.caller == "EndUser"
    alert = policy.rule("Notification_Admin_Admin_Eligibility")
    assert alert is not None and alert.notification_recipients == []
    assert policy.rule("Nothing") is None


def test_schedule_instances_read_their_dates() -> None:
    instance = parse_record(
        Collection.role_eligibility_schedule_instances,
        first_example("unifiedRoleEligibilityScheduleInstance.list.json"),
    )
    assert instance.start_date_time is not None and instance.end_date_time is not None
    assert instance.end_date_time.year == 2024
