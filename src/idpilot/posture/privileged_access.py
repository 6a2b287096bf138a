"""PIM checks (CISA SCuBA MS.AAD.7.5-7.8) over role management policies and role instances.

Each needs an Entra ID P2 licence (`subscribedSkus`): without one the control does not apply.
"""

from __future__ import annotations

from collections.abc import Callable

from idpilot.model.collections import Collection
from idpilot.model.enums import RoleAssignmentType
from idpilot.model.privileged_access import (
    UnifiedRoleManagementPolicy,
    UnifiedRoleManagementPolicyRule,
)
from idpilot.model.records import Record
from idpilot.posture.base import Baseline, Outcome, check, failed_if, passed, unknown
from idpilot.posture.cis_controls import cis_control, cis_ids
from idpilot.posture.data import PostureData
from idpilot.posture.tenant_settings import TenantSettings, setting_record
from idpilot.security.severity import Severity

POLICIES = Collection.role_management_policies
POLICY_ASSIGNMENTS = Collection.role_management_policy_assignments
INSTANCES = Collection.role_assignment_schedule_instances
GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"
PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814"
HIGHLY_PRIVILEGED_ROLES = {
    GLOBAL_ADMINISTRATOR: "Global Administrator",
    PRIVILEGED_ROLE_ADMINISTRATOR: "Privileged Role Administrator",
    "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
    "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
    "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2": "Hybrid Identity Administrator",
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
    "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
}
"""SCuBA's highly privileged roles (template id -> name)."""
DIRECTORY_SCOPES = frozenset({"Directory", "DirectoryRole"})
APPROVAL_RULE = "Approval_EndUser_Assignment"
ASSIGNMENT_ALERT_RULES = (
    "Notification_Admin_Admin_Eligibility",
    "Notification_Admin_Admin_Assignment",
)
ACTIVATION_ALERT_RULE = "Notification_Admin_EndUser_Assignment"


def role_policies(settings: TenantSettings) -> dict[str, UnifiedRoleManagementPolicy]:
    """Role template id -> the PIM policy assigned to it tenant-wide."""
    policies = {p.id: p for p in settings.all(POLICIES)}
    found = {}
    for assignment in settings.all(POLICY_ASSIGNMENTS):
        if assignment.scope_id == "/" and assignment.scope_type in DIRECTORY_SCOPES:
            policy = policies.get(assignment.policy_id)
            if policy is not None and assignment.role_definition_id:
                found[assignment.role_definition_id.lower()] = policy
    return found


def _policy_record(role_id: str, policy: UnifiedRoleManagementPolicy, detail: str) -> Record:
    role = HIGHLY_PRIVILEGED_ROLES.get(role_id, role_id)
    return setting_record(POLICIES, policy, detail, {"roleDefinitionId": role_id},
                          label=f"PIM settings of {role}")  # fmt: skip


def _rule(
    policy: UnifiedRoleManagementPolicy, rule_id: str
) -> UnifiedRoleManagementPolicyRule | None:
    return policy.rule(rule_id)


@check(
    "IDP-PIM-001",
    "Highly privileged roles are not assigned outside PIM",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.7.5v1 Provisioning users to highly privileged roles SHALL NOT occur outside of a "
    "PAM system",
    "Remove each assignment made outside PIM and grant the role again through PIM (eligible, "
    "or time-bound active), then find out who assigned it directly.",
)
def assigned_outside_pim(data: PostureData) -> Outcome:
    undecided = data.settings.require_p2(INSTANCES)
    if undecided is not None:
        return undecided
    affected, through_pim = [], []
    for instance in data.settings.all(INSTANCES):
        role = HIGHLY_PRIVILEGED_ROLES.get((instance.role_definition_id or "").lower())
        if role is None:
            continue
        principal = instance.principal_id or ""
        # PIM dates what it assigns; an assignment made directly has no start time.
        if instance.assignment_type == RoleAssignmentType.assigned and not instance.start_date_time:
            affected.append(data.user_affected(principal, f"{role}, assigned outside PIM"))
        else:
            through_pim.append(_instance_record(data, instance.id or "", role, principal))
    if affected:
        return failed_if(affected, f"{len(affected)} assignment(s) made outside PIM")
    return passed(f"{len(through_pim)} active assignment(s), all through PIM", through_pim)


def _instance_record(data: PostureData, instance_id: str, role: str, principal: str) -> Record:
    holder = data.user_affected(principal)
    return Record(
        kind=INSTANCES.kind,
        id=instance_id,
        label=f"{role} held by {holder.label}",
        detail="assigned through PIM",
        fields={"principalId": principal},
    )


@check(
    "IDP-PIM-002",
    "Activating Global Administrator requires approval",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.7.6v1 Activation of the Global Administrator role SHALL require approval",
    "In PIM, Global Administrator role settings: require approval to activate and name the "
    "approvers.",
    controls=("MS.AAD.7.6v1", *cis_ids("5.3.4")),
)
def global_admin_activation_approval(data: PostureData) -> Outcome:
    return _activation_approval(data, GLOBAL_ADMINISTRATOR)


@check(
    "IDP-PIM-006",
    "Activating Privileged Role Administrator requires approval",
    Severity.high,
    Baseline.cis,
    cis_control("5.3.5"),
    "In PIM, Privileged Role Administrator role settings: require approval to activate and "
    "name at least two approvers.",
    controls=cis_ids("5.3.5"),
)
def privileged_role_admin_activation_approval(data: PostureData) -> Outcome:
    """CIS v5.0.0 5.3.5: Privileged Role Administrator activation needs approval."""
    return _activation_approval(data, PRIVILEGED_ROLE_ADMINISTRATOR)


def _activation_approval(data: PostureData, role_id: str) -> Outcome:
    """Whether activating the role through PIM needs approval (its Approval_EndUser_Assignment
    rule); unknown when the role's policy or the rule is not in the snapshot."""
    undecided = data.settings.require_p2(POLICIES, POLICY_ASSIGNMENTS)
    if undecided is not None:
        return undecided
    role = HIGHLY_PRIVILEGED_ROLES[role_id]
    policy = role_policies(data.settings).get(role_id)
    if policy is None:
        return unknown([f"{POLICY_ASSIGNMENTS.value}[{role}]"])
    rule = _rule(policy, APPROVAL_RULE)
    if rule is None or rule.setting is None:
        return unknown([f"{POLICIES.value}.rules[{APPROVAL_RULE}]"])
    required = rule.setting.get("isApprovalRequired") is True
    record = _policy_record(role_id, policy, f"isApprovalRequired: {str(required).lower()}")
    if required:
        return passed("activation needs approval", [record])
    return failed_if([record], f"{role} activates without approval")


def _alerts_missing(
    policy: UnifiedRoleManagementPolicy, rule_ids: tuple[str, ...]
) -> list[str] | None:
    """Rules among `rule_ids` that send no alert to named recipients; None when one is absent."""
    missing = []
    for rule_id in rule_ids:
        rule = _rule(policy, rule_id)
        if rule is None or rule.notification_recipients is None:
            return None
        if not rule.notification_recipients:
            missing.append(rule_id)
    return missing


@check(
    "IDP-PIM-003",
    "Eligible and active assignments of highly privileged roles raise an alert",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.7.7v1 Eligible and Active highly privileged role assignments SHALL trigger an alert",
    "In PIM role settings of each highly privileged role, send 'role assignment alert' "
    "notifications (eligible and active) to the security team's mailbox.",
)
def assignment_alerts(data: PostureData) -> Outcome:
    return _alerts_by_role(
        data,
        ASSIGNMENT_ALERT_RULES,
        lacking_rules=".rules",
        unmet=lambda missing: "no alert recipients: " + ", ".join(missing),
        met="assignment alerts sent",
        passed_text="every highly privileged role alerts on assignment",
    )


@check(
    "IDP-PIM-004",
    "Activating Global Administrator raises an alert",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.7.8v1 User activation of the Global Administrator role SHALL trigger an alert",
    "In PIM, Global Administrator role settings: send 'role activation alert' notifications to "
    "the security team's mailbox.",
)
def global_admin_activation_alert(data: PostureData) -> Outcome:
    undecided = data.settings.require_p2(POLICIES, POLICY_ASSIGNMENTS)
    if undecided is not None:
        return undecided
    policy = role_policies(data.settings).get(GLOBAL_ADMINISTRATOR)
    if policy is None:
        return unknown([f"{POLICY_ASSIGNMENTS.value}[Global Administrator]"])
    missing = _alerts_missing(policy, (ACTIVATION_ALERT_RULE,))
    if missing is None:
        return unknown([f"{POLICIES.value}.rules[{ACTIVATION_ALERT_RULE}]"])
    detail = "no activation alert recipients" if missing else "activation alert sent"
    record = _policy_record(GLOBAL_ADMINISTRATOR, policy, detail)
    if missing:
        return failed_if([record])
    return passed("activation alerts go to named recipients", [record])


@check(
    "IDP-PIM-005",
    "Activating the other highly privileged roles raises an alert",
    Severity.low,
    Baseline.cisa_scuba,
    "MS.AAD.7.9v1 User activation of other highly privileged roles SHOULD trigger an alert",
    "In PIM role settings of each highly privileged role, send 'role activation alert' "
    "notifications to the security team's mailbox.",
)
def privileged_activation_alerts(data: PostureData) -> Outcome:
    return _alerts_by_role(
        data,
        (ACTIVATION_ALERT_RULE,),
        skip=GLOBAL_ADMINISTRATOR,
        lacking_rules=f".rules[{ACTIVATION_ALERT_RULE}]",
        unmet=lambda _: "no activation alert recipients",
        met="activation alert sent",
        passed_text="every other highly privileged role alerts on activation",
    )


def _alerts_by_role(
    data: PostureData,
    rules: tuple[str, ...],
    *,
    lacking_rules: str,
    unmet: Callable[[list[str]], str],
    met: str,
    passed_text: str,
    skip: str | None = None,
) -> Outcome:
    """Whether each highly privileged role's PIM policy (but `skip`) sends the alerts of
    `rules` to named recipients: the roles that do not fail, an unreadable rule is unknown."""
    undecided = data.settings.require_p2(POLICIES, POLICY_ASSIGNMENTS)
    if undecided is not None:
        return undecided
    policies = role_policies(data.settings)
    affected, shown, lacking = [], [], []
    for role_id in HIGHLY_PRIVILEGED_ROLES:
        policy = policies.get(role_id)
        if role_id == skip or policy is None:
            continue
        missing = _alerts_missing(policy, rules)
        if missing is None:
            lacking.append(f"{POLICIES.value}[{HIGHLY_PRIVILEGED_ROLES[role_id]}]{lacking_rules}")
        elif missing:
            affected.append(_policy_record(role_id, policy, unmet(missing)))
        else:
            shown.append(_policy_record(role_id, policy, met))
    if lacking or not (affected or shown):
        return unknown(lacking or [f"{POLICY_ASSIGNMENTS.value}[highly privileged roles]"])
    if affected:
        return failed_if(affected)
    return passed(passed_text, shown)
