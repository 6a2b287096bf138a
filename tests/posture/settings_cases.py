"""Tenant fragments for the settings checks: a hardened tenant, and one setting weakened."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from idpilot.sources.demo.privileged_access import policy_rules
from tests.security.builder import GLOBAL_ADMIN, TenantBuilder

PRIVILEGED_ROLE_ADMIN = "e8611ab8-c189-46e8-94e1-60213ab1f814"

Fragment = Callable[[TenantBuilder], None]
Change = Callable[[dict[str, Any]], None]
ALL_USERS = {"targetType": "group", "id": "all_users"}
NO_ONE = {"targetType": "group", "id": "00000000-0000-0000-0000-000000000000"}
P2_PLAN = {"servicePlanId": "eec0eb4f-6444-4f95-aba0-50c24d67f998",
           "servicePlanName": "AAD_PREMIUM_P2", "provisioningStatus": "Success",
           "appliesTo": "User"}  # fmt: skip
P1_PLAN = {**P2_PLAN, "servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d",
           "servicePlanName": "AAD_PREMIUM"}  # fmt: skip


def _feature(state: str = "enabled", include: dict = ALL_USERS, exclude: dict = NO_ONE) -> dict:
    return {"state": state, "includeTarget": include, "excludeTarget": exclude}


def hardened() -> dict[str, list[dict[str, Any]]]:
    """Every settings collection, configured as CISA SCuBA asks (collection -> objects)."""
    method = {"excludeTargets": [], "includeTargets": [{**ALL_USERS}]}
    return {
        "authorizationPolicy": [{
            "id": "authorizationPolicy", "displayName": "Authorization Policy",
            "allowInvitesFrom": "adminsAndGuestInviters",
            "guestUserRoleId": "2af84b1e-32c8-42b7-82bc-daa82404023b",
            "defaultUserRolePermissions": {"allowedToCreateApps": False,
                                           "permissionGrantPoliciesAssigned": []},
        }],
        "authenticationMethodsPolicy": [{
            "id": "authenticationMethodsPolicy", "displayName": "Authentication Methods Policy",
            "policyMigrationState": "migrationComplete",
            "authenticationMethodConfigurations": [
                {"id": "MicrosoftAuthenticator", "state": "enabled", **method,
                 "featureSettings": {"displayAppInformationRequiredState": _feature(),
                                     "displayLocationInformationRequiredState": _feature()}},
                {"id": "Sms", "state": "disabled", **method},
                {"id": "Voice", "state": "disabled", **method},
                {"id": "Email", "state": "disabled", **method},
            ],
        }],
        "adminConsentRequestPolicy": [{
            "isEnabled": True, "notifyReviewers": True, "remindersEnabled": True,
            "requestDurationInDays": 30, "version": 1,
            "reviewers": [{"query": "/users/1", "queryType": "MicrosoftGraph", "queryRoot": None}],
        }],
        "groupSettings": [{
            "id": "consent", "displayName": "Consent Policy Settings",
            "templateId": "dffd5d46-495d-40a9-8e21-954ff55e198a",
            "values": [{"name": "EnableGroupSpecificConsent", "value": "false"}],
        }],
        "domains": [{"id": "example.com", "authenticationType": "Managed", "isVerified": True,
                     "passwordValidityPeriodInDays": 2147483647}],
        "subscribedSkus": [{"id": "t_sku", "skuId": "sku", "skuPartNumber": "AAD_PREMIUM_P2",
                            "capabilityStatus": "Enabled", "servicePlans": [P1_PLAN, P2_PLAN]}],
        "roleManagementPolicies": [
            {"id": "DirectoryRole_t_ga", "scopeId": "/", "scopeType": "DirectoryRole",
             "rules": policy_rules(approvers=["approver"], alert=True)},
            {"id": "DirectoryRole_t_pra", "scopeId": "/", "scopeType": "DirectoryRole",
             "rules": policy_rules(approvers=["approver"], alert=True)},
        ],
        "roleManagementPolicyAssignments": [
            {"id": f"DirectoryRole_t_ga_{GLOBAL_ADMIN}", "policyId": "DirectoryRole_t_ga",
             "scopeId": "/", "scopeType": "DirectoryRole", "roleDefinitionId": GLOBAL_ADMIN},
            {"id": f"DirectoryRole_t_pra_{PRIVILEGED_ROLE_ADMIN}",
             "policyId": "DirectoryRole_t_pra", "scopeId": "/", "scopeType": "Directory",
             "roleDefinitionId": PRIVILEGED_ROLE_ADMIN},
        ],
        "roleAssignmentScheduleInstances": [{
            "id": "ga-1", "principalId": "admin", "roleDefinitionId": GLOBAL_ADMIN,
            "directoryScopeId": "/", "startDateTime": "2026-01-01T00:00:00Z",
            "endDateTime": "2026-12-31T00:00:00Z", "assignmentType": "Assigned",
            "memberType": "Direct",
        }],
    }  # fmt: skip


def settings(change: Change | None = None, drop: tuple[str, ...] = ()) -> Fragment:
    """A fragment holding the hardened settings, `change`d, without the `drop`ped collections."""

    def build(t: TenantBuilder) -> None:
        objects = copy.deepcopy(hardened())
        if change:
            change(objects)
        t.user("Ada Admin")
        for name, items in objects.items():
            if name not in drop:
                for item in items:
                    t.add(name, item)

    return build


def _authorization(**values: Any) -> Change:
    def change(o: dict[str, Any]) -> None:
        o["authorizationPolicy"][0].update(values)

    return change


def _user_permissions(**values: Any) -> Change:
    def change(o: dict[str, Any]) -> None:
        o["authorizationPolicy"][0]["defaultUserRolePermissions"].update(values)

    return change


def _method(method_id: str, **values: Any) -> Change:
    def change(o: dict[str, Any]) -> None:
        methods = o["authenticationMethodsPolicy"][0]["authenticationMethodConfigurations"]
        next(m for m in methods if m["id"] == method_id).update(values)

    return change


def authenticator_feature(**feature: Any) -> Change:
    """Show the app name only under `feature` (state, include, exclude)."""
    return _method(
        "MicrosoftAuthenticator",
        featureSettings={"displayAppInformationRequiredState": _feature(**feature),
                         "displayLocationInformationRequiredState": _feature()},
    )  # fmt: skip


def _rule(rule_id: str, policy: int = 0, **values: Any) -> Change:
    def change(o: dict[str, Any]) -> None:
        rules = o["roleManagementPolicies"][policy]["rules"]
        next(r for r in rules if r["id"] == rule_id).update(values)

    return change


def _approval(required: bool) -> Change:
    def change(o: dict[str, Any]) -> None:
        rules = o["roleManagementPolicies"][0]["rules"]
        rule = next(r for r in rules if r["id"] == "Approval_EndUser_Assignment")
        rule["setting"]["isApprovalRequired"] = required

    return change


def _instance(**values: Any) -> Change:
    def change(o: dict[str, Any]) -> None:
        o["roleAssignmentScheduleInstances"][0].update(values)

    return change


def _group_consent(value: str) -> Change:
    def change(o: dict[str, Any]) -> None:
        o["groupSettings"][0]["values"] = [{"name": "EnableGroupSpecificConsent", "value": value}]

    return change


def _domain(**values: Any) -> Change:
    def change(o: dict[str, Any]) -> None:
        o["domains"][0].update(values)

    return change


def _admin_consent(**values: Any) -> Change:
    def change(o: dict[str, Any]) -> None:
        o["adminConsentRequestPolicy"][0].update(values)

    return change


SETTINGS_CASES: dict[str, tuple[Fragment, Fragment]] = {
    "IDP-AMP-001": (settings(authenticator_feature(state="default")), settings()),
    "IDP-AMP-002": (
        settings(
            lambda o: o["authenticationMethodsPolicy"][0].update(
                policyMigrationState="migrationInProgress"
            )
        ),
        settings(),
    ),
    "IDP-AMP-003": (settings(_method("Sms", state="enabled")), settings()),
    "IDP-CON-001": (settings(_user_permissions(allowedToCreateApps=True)), settings()),
    "IDP-CON-002": (
        settings(
            _user_permissions(
                permissionGrantPoliciesAssigned=[
                    "ManagePermissionGrantsForSelf.microsoft-user-default-legacy"
                ]
            )
        ),
        settings(),
    ),
    "IDP-CON-003": (settings(_admin_consent(isEnabled=False)), settings()),
    "IDP-CON-004": (settings(_group_consent("true")), settings()),
    "IDP-GST-001": (
        settings(_authorization(guestUserRoleId="a0b1b346-4d3e-4e8b-98f8-753987be4970")),
        settings(),
    ),
    "IDP-GST-002": (settings(_authorization(allowInvitesFrom="everyone")), settings()),
    "IDP-PWD-001": (settings(_domain(passwordValidityPeriodInDays=90)), settings()),
    "IDP-PIM-001": (settings(_instance(startDateTime=None)), settings()),
    "IDP-PIM-002": (settings(_approval(False)), settings()),
    "IDP-PIM-003": (
        settings(_rule("Notification_Admin_Admin_Eligibility", notificationRecipients=[])),
        settings(),
    ),
    "IDP-PIM-004": (
        settings(_rule("Notification_Admin_EndUser_Assignment", notificationRecipients=[])),
        settings(),
    ),
    "IDP-PIM-005": (
        settings(_rule("Notification_Admin_EndUser_Assignment", 1, notificationRecipients=[])),
        settings(_rule("Notification_Admin_EndUser_Assignment", 0, notificationRecipients=[])),
    ),
}
"""Check id -> (a fragment it fails on, one it passes on)."""

SETTINGS_NEEDS: dict[str, tuple[str, ...]] = {
    "IDP-AMP-001": ("authenticationMethodsPolicy",),
    "IDP-AMP-002": ("authenticationMethodsPolicy",),
    "IDP-AMP-003": ("authenticationMethodsPolicy",),
    "IDP-CON-001": ("authorizationPolicy",),
    "IDP-CON-002": ("authorizationPolicy",),
    "IDP-CON-003": ("adminConsentRequestPolicy",),
    "IDP-CON-004": ("groupSettings",),
    "IDP-GST-001": ("authorizationPolicy",),
    "IDP-GST-002": ("authorizationPolicy",),
    "IDP-PWD-001": ("domains",),
    "IDP-PIM-001": ("subscribedSkus", "roleAssignmentScheduleInstances"),
    "IDP-PIM-002": ("subscribedSkus", "roleManagementPolicies", "roleManagementPolicyAssignments"),
    "IDP-PIM-003": ("subscribedSkus", "roleManagementPolicies", "roleManagementPolicyAssignments"),
    "IDP-PIM-004": ("subscribedSkus", "roleManagementPolicies", "roleManagementPolicyAssignments"),
    "IDP-PIM-005": ("subscribedSkus", "roleManagementPolicies", "roleManagementPolicyAssignments"),
}
"""Check id -> the collections it reads (dropping any one makes it `unknown`, naming it)."""
