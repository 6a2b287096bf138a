"""PIM: role management policies and their rules, and role assignment schedule instances."""

from __future__ import annotations

from typing import Any

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.enums import RoleAssignmentType
from idpilot.model.values import Bool, Open, Timestamp


class PolicyRuleTarget(GraphRecord):
    """`unifiedRoleManagementPolicyRuleTarget`: who a rule applies to and when."""

    caller: str | None = None
    operations: list[str] | None = None
    level: str | None = None
    inheritable_settings: list[str] | None = None
    enforced_settings: list[str] | None = None


class UnifiedRoleManagementPolicyRule(GraphEntity):
    """A rule of a PIM policy; its `@odata.type` says which (approval, expiration, ...).

    Graph's rule ids say what they govern: `Approval_EndUser_Assignment` (activation
    approval), `Expiration_Admin_Assignment` (permanent active assignments),
    `Notification_Admin_Admin_Eligibility` (alert on an eligible assignment)...
    """

    target: PolicyRuleTarget | None = None
    setting: dict[str, Any] | None = None
    is_expiration_required: Bool = None
    maximum_duration: str | None = None
    enabled_rules: list[str] | None = None
    notification_type: str | None = None
    recipient_type: str | None = None
    notification_level: str | None = None
    is_default_recipients_enabled: Bool = None
    notification_recipients: list[str] | None = None
    is_enabled: Bool = None
    claim_value: str | None = None


class UnifiedRoleManagementPolicy(GraphEntity):
    """Graph `unifiedRoleManagementPolicy`: the PIM settings of a role (with `$expand=rules`)."""

    display_name: str | None = None
    description: str | None = None
    is_organization_default: Bool = None
    scope_id: str | None = None
    scope_type: str | None = None
    last_modified_date_time: Timestamp = None
    last_modified_by: dict[str, Any] | None = None
    rules: list[UnifiedRoleManagementPolicyRule] | None = None
    effective_rules: list[UnifiedRoleManagementPolicyRule] | None = None

    def rule(self, rule_id: str) -> UnifiedRoleManagementPolicyRule | None:
        """The rule with this id (`Approval_EndUser_Assignment`...), or None."""
        return next((r for r in self.rules or [] if r.id == rule_id), None)


class UnifiedRoleManagementPolicyAssignment(GraphEntity):
    """Graph `unifiedRoleManagementPolicyAssignment`: which policy governs which role."""

    policy_id: str | None = None
    scope_id: str | None = None
    scope_type: str | None = None
    role_definition_id: str | None = None


class UnifiedRoleAssignmentScheduleInstance(GraphEntity):
    """Graph `unifiedRoleAssignmentScheduleInstance`: an active role held now.

    `assignmentType` is `Assigned` (a standing assignment) or `Activated` (an eligible role
    switched on); no `endDateTime` means permanent, and no `startDateTime` an assignment
    made outside PIM.
    """

    principal_id: str | None = None
    role_definition_id: str | None = None
    directory_scope_id: str | None = None
    app_scope_id: str | None = None
    start_date_time: Timestamp = None
    end_date_time: Timestamp = None
    assignment_type: Open[RoleAssignmentType] | None = None
    member_type: str | None = None
    role_assignment_origin_id: str | None = None
    role_assignment_schedule_id: str | None = None


class UnifiedRoleEligibilityScheduleInstance(GraphEntity):
    """Graph `unifiedRoleEligibilityScheduleInstance`: a role a principal may activate now."""

    principal_id: str | None = None
    role_definition_id: str | None = None
    directory_scope_id: str | None = None
    app_scope_id: str | None = None
    start_date_time: Timestamp = None
    end_date_time: Timestamp = None
    member_type: str | None = None
    role_eligibility_schedule_id: str | None = None
