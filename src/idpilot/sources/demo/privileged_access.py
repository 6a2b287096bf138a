"""PIM of the demo tenant: role settings (policies and rules) and the role instances now.

Role settings follow Microsoft's defaults (activation up to 8 hours with MFA and a
justification, no approval, permanent active assignments allowed) except that the highly
privileged roles alert the security mailbox and Privileged Role Administrator needs approval.
Activating Global Administrator needs no approval, a default a SCuBA review flags
(MS.AAD.7.6v1, in the answer key). Active assignments became PIM schedule instances; the one
made outside PIM (the planted Global Administrator) has no start time, as Graph reports it.
Administrative units: the one a scoped User Administrator assignment names.
"""

from __future__ import annotations

import random

from .ids import days_before, guid, iso
from .roles import BUILT_IN_ROLES, GLOBAL_ADMIN, PRIVILEGED_ROLE_ADMIN
from .tenant import DOMAIN, Tenant, user_ref

SECURITY_MAILBOX = f"security@{DOMAIN}"
HIGHLY_PRIVILEGED = frozenset(
    {
        GLOBAL_ADMIN,
        PRIVILEGED_ROLE_ADMIN,
        "fe930be7-5e62-47db-91af-98c3a49a38b1",  # User Administrator
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",  # SharePoint Administrator
        "29232cdf-9323-42fd-ade2-1d097af3e4de",  # Exchange Administrator
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",  # Application Administrator
        "158c047a-c907-4556-b7ef-446551a6b5f7",  # Cloud Application Administrator
    }
)
RULE = "#microsoft.graph.unifiedRoleManagementPolicy{}Rule"


def _target(caller: str, level: str) -> dict:
    return {
        "caller": caller,
        "operations": ["all"],
        "level": level,
        "inheritableSettings": [],
        "enforcedSettings": [],
    }


def _notification(recipient: str, caller: str, level: str, to: list[str]) -> dict:
    return {
        "@odata.type": RULE.format("Notification"),
        "id": f"Notification_{recipient}_{caller}_{level}",
        "notificationType": "Email",
        "recipientType": recipient,
        "notificationLevel": "All",
        "isDefaultRecipientsEnabled": True,
        "notificationRecipients": to,
        "target": _target(caller, level),
    }


def policy_rules(*, approvers: list[str], alert: bool) -> list[dict]:
    """A role's PIM rules: Microsoft's defaults, approval when `approvers`, alerts when `alert`."""
    alerts = [SECURITY_MAILBOX] if alert else []
    approval = {
        "isApprovalRequired": bool(approvers),
        "isApprovalRequiredForExtension": False,
        "isRequestorJustificationRequired": True,
        "approvalMode": "SingleStage",
        "approvalStages": [
            {
                "approvalStageTimeOutInDays": 1,
                "isApproverJustificationRequired": True,
                "escalationTimeInMinutes": 0,
                "isEscalationEnabled": False,
                "primaryApprovers": [
                    {"@odata.type": "#microsoft.graph.singleUser", "userId": a} for a in approvers
                ],
                "escalationApprovers": [],
            }
        ],
    }
    rules = [
        {"@odata.type": RULE.format("Expiration"), "id": "Expiration_Admin_Eligibility",
         "isExpirationRequired": False, "maximumDuration": "P365D",
         "target": _target("Admin", "Eligibility")},
        {"@odata.type": RULE.format("Enablement"), "id": "Enablement_Admin_Eligibility",
         "enabledRules": [], "target": _target("Admin", "Eligibility")},
        {"@odata.type": RULE.format("Expiration"), "id": "Expiration_Admin_Assignment",
         "isExpirationRequired": False, "maximumDuration": "P180D",
         "target": _target("Admin", "Assignment")},
        {"@odata.type": RULE.format("Enablement"), "id": "Enablement_Admin_Assignment",
         "enabledRules": ["Justification"], "target": _target("Admin", "Assignment")},
        {"@odata.type": RULE.format("Expiration"), "id": "Expiration_EndUser_Assignment",
         "isExpirationRequired": True, "maximumDuration": "PT8H",
         "target": _target("EndUser", "Assignment")},
        {"@odata.type": RULE.format("Enablement"), "id": "Enablement_EndUser_Assignment",
         "enabledRules": ["MultiFactorAuthentication", "Justification"],
         "target": _target("EndUser", "Assignment")},
        {"@odata.type": RULE.format("Approval"), "id": "Approval_EndUser_Assignment",
         "target": _target("EndUser", "Assignment"), "setting": approval},
        {"@odata.type": RULE.format("AuthenticationContext"),
         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": False, "claimValue": None,
         "target": _target("EndUser", "Assignment")},
    ]  # fmt: skip
    for caller, level in (("Admin", "Eligibility"), ("Admin", "Assignment"),
                          ("EndUser", "Assignment")):  # fmt: skip
        for recipient in ("Admin", "Requestor", "Approver"):
            to = alerts if recipient == "Admin" else []
            rules.append(_notification(recipient, caller, level, to))
    return rules


def role_management_policies(rng: random.Random, tenant: Tenant) -> tuple[list[dict], list[dict]]:
    """One PIM policy per built-in role and the assignment tying it to the role."""
    approver = tenant.personas["it_admin"]["id"]
    policies, assignments = [], []
    for role_id in BUILT_IN_ROLES:
        policy_id = f"DirectoryRole_{tenant.tenant_id}_{guid(rng)}"
        modified = role_id in HIGHLY_PRIVILEGED
        policies.append(
            {
                "id": policy_id,
                "displayName": "DirectoryRole",
                "description": "DirectoryRole",
                "isOrganizationDefault": False,
                "scopeId": "/",
                "scopeType": "DirectoryRole",
                "lastModifiedDateTime": iso(days_before(rng.uniform(40, 300)))
                if modified
                else None,
                "lastModifiedBy": {"displayName": None, "id": None},
                "rules": policy_rules(
                    approvers=[approver] if role_id == PRIVILEGED_ROLE_ADMIN else [],
                    alert=role_id in HIGHLY_PRIVILEGED,
                ),
            }
        )
        assignments.append(
            {
                "id": f"{policy_id}_{role_id}",
                "policyId": policy_id,
                "scopeId": "/",
                "scopeType": "DirectoryRole",
                "roleDefinitionId": role_id,
            }
        )
    return policies, assignments


def assignment_instances(rng: random.Random, tenant: Tenant, outside_pim: set[str]) -> list[dict]:
    """The active role assignments as PIM reports them: permanent (no end) unless time-bound;
    an assignment made outside PIM has no start time."""
    instances = []
    for assignment in tenant.role_assignments:
        start = None if assignment["id"] in outside_pim else iso(days_before(rng.uniform(30, 700)))
        instances.append(
            {
                "id": f"{assignment['id']}-1",
                "principalId": assignment["principalId"],
                "roleDefinitionId": assignment["roleDefinitionId"],
                "directoryScopeId": assignment["directoryScopeId"],
                "appScopeId": None,
                "startDateTime": start,
                "endDateTime": None,
                "assignmentType": "Assigned",
                "memberType": "Direct",
                "roleAssignmentOriginId": assignment["id"],
                "roleAssignmentScheduleId": assignment["id"],
            }
        )
    return instances


def eligibility_instances(tenant: Tenant) -> list[dict]:
    """The PIM eligibility schedules as the instances in force now."""
    return [
        {
            "id": f"{schedule['id']}-1-e",
            "principalId": schedule["principalId"],
            "roleDefinitionId": schedule["roleDefinitionId"],
            "directoryScopeId": schedule["directoryScopeId"],
            "appScopeId": None,
            "startDateTime": schedule["scheduleInfo"]["startDateTime"],
            "endDateTime": schedule["scheduleInfo"]["expiration"]["endDateTime"],
            "memberType": schedule["memberType"],
            "roleEligibilityScheduleId": schedule["id"],
        }
        for schedule in tenant.role_eligibility_schedules
    ]


def administrative_units(tenant: Tenant) -> list[dict]:
    """The administrative unit a scoped role assignment names, its members the London office."""
    prefix = "/administrativeUnits/"
    unit_ids = sorted(
        {a["directoryScopeId"][len(prefix) :] for a in tenant.role_assignments
         if a["directoryScopeId"].startswith(prefix)}
    )  # fmt: skip
    members = [u for u in tenant.members() if u.get("city") == "London"][:25]
    return [
        {
            "id": unit_id,
            "deletedDateTime": None,
            "displayName": "London office",
            "description": "Users of the London office, managed by the London IT team",
            "membershipRule": None,
            "membershipType": None,
            "membershipRuleProcessingState": None,
            "visibility": None,
            "isMemberManagementRestricted": False,
            "members": [user_ref(u) for u in members],
        }
        for unit_id in unit_ids
    ]


def build_privileged_access(rng: random.Random, tenant: Tenant, outside_pim: set[str]) -> None:
    """PIM policies, role instances and administrative units, into `tenant.settings`."""
    policies, assignments = role_management_policies(rng, tenant)
    settings = tenant.settings
    settings["roleManagementPolicies"] = policies
    settings["roleManagementPolicyAssignments"] = assignments
    settings["roleAssignmentScheduleInstances"] = assignment_instances(rng, tenant, outside_pim)
    settings["roleEligibilityScheduleInstances"] = eligibility_instances(tenant)
    settings["administrativeUnits"] = administrative_units(tenant)
    ga_policy = next(a["policyId"] for a in assignments if a["roleDefinitionId"] == GLOBAL_ADMIN)
    tenant.settings_findings += [
        {"control": "MS.AAD.7.6v1", "collection": "roleManagementPolicies", "id": ga_policy,
         "property": "rules[Approval_EndUser_Assignment].setting.isApprovalRequired",
         "value": False, "expected": True},
    ]  # fmt: skip
    for instance in settings["roleAssignmentScheduleInstances"]:
        if instance["roleAssignmentOriginId"] in outside_pim:
            tenant.settings_findings.append(
                {"control": "MS.AAD.7.5v1", "collection": "roleAssignmentScheduleInstances",
                 "id": instance["id"], "principalId": instance["principalId"],
                 "property": "startDateTime", "value": None, "expected": "a PIM start time"}
            )  # fmt: skip
