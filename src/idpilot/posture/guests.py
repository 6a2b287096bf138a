"""Guest access and invitation settings (CISA SCuBA MS.AAD.8.x), and the dynamic group of
guests (CIS Microsoft 365 Foundations v5.0.0, 5.1.3.1)."""

from __future__ import annotations

import re

from idpilot.model.collections import Collection
from idpilot.model.enums import AllowInvitesFrom
from idpilot.model.records import Record
from idpilot.model.tenant_policies import AuthorizationPolicy
from idpilot.posture.base import Baseline, Outcome, check, failed_if, passed, unknown
from idpilot.posture.cis_controls import cis_control, cis_ids
from idpilot.posture.data import PostureData
from idpilot.posture.tenant_settings import setting_record
from idpilot.security.severity import Severity

AUTHORIZATION = Collection.authorization_policy
GUEST_ROLES = {
    "a0b1b346-4d3e-4e8b-98f8-753987be4970": "same access as members",
    "10dae51f-b6af-4016-8d66-8c2a99b929b3": "limited access (default)",
    "2af84b1e-32c8-42b7-82bc-daa82404023b": "restricted access",
}
"""`guestUserRoleId` values and what guests may read with each (Microsoft's documentation)."""
LIMITED_GUEST_ROLES = frozenset(
    {"10dae51f-b6af-4016-8d66-8c2a99b929b3", "2af84b1e-32c8-42b7-82bc-daa82404023b"}
)
GUEST_INVITER_ONLY = frozenset({AllowInvitesFrom.admins_and_guest_inviters, AllowInvitesFrom.none})


def _authorization(data: PostureData) -> AuthorizationPolicy | Outcome:
    return data.settings.singleton(AUTHORIZATION)


@check(
    "IDP-GST-001",
    "Guests have limited or restricted access to directory objects",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.8.1v1 Guest users SHOULD have limited or restricted access to Microsoft Entra ID "
    "directory objects",
    "Set guest user access to 'limited access' or 'restricted access' (External "
    "Identities > External collaboration settings).",
    controls=("MS.AAD.8.1v1", *cis_ids("5.1.6.2")),
)
def guest_access_limited(data: PostureData) -> Outcome:
    policy = _authorization(data)
    if isinstance(policy, Outcome):
        return policy
    role = policy.guest_user_role_id
    if role is None:
        return unknown([f"{AUTHORIZATION.value}.guestUserRoleId"])
    meaning = GUEST_ROLES.get(role.lower(), "an unrecognised role")
    record = setting_record(AUTHORIZATION, policy, f"guestUserRoleId: {meaning}",
                            {"guestUserRoleId": role})  # fmt: skip
    if role.lower() in LIMITED_GUEST_ROLES:
        return passed(f"guests have {meaning}", [record])
    return failed_if([record], f"guests have {meaning}")


@check(
    "IDP-GST-002",
    "Only admins and Guest Inviters can invite guests",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.8.2v1 Only users with the Guest Inviter role SHOULD be able to invite guest users",
    "Set guest invite restrictions to 'Only users assigned to specific admin roles can invite "
    "guest users' (allowInvitesFrom = adminsAndGuestInviters).",
    controls=("MS.AAD.8.2v1", *cis_ids("5.1.6.3")),
)
def guest_invites_restricted(data: PostureData) -> Outcome:
    policy = _authorization(data)
    if isinstance(policy, Outcome):
        return policy
    setting = policy.allow_invites_from
    if setting is None:
        return unknown([f"{AUTHORIZATION.value}.allowInvitesFrom"])
    record = setting_record(AUTHORIZATION, policy, f"allowInvitesFrom: {setting}",
                            {"allowInvitesFrom": str(setting)})  # fmt: skip
    if setting in GUEST_INVITER_ONLY:
        return passed(f"allowInvitesFrom is {setting}", [record])
    return failed_if([record], f"allowInvitesFrom is {setting}")


B2B_INVITATION_POLICY = "b2bManagementPolicy (invitation allow or deny list of domains)"


@check(
    "IDP-GST-003",
    "Guest invitations are limited to authorised domains",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.8.3v1 Guest invites SHOULD only be allowed to specific external domains that have "
    "been authorized by the agency for legitimate business purposes",
    "In External collaboration settings > Collaboration restrictions, allow invitations only "
    "to the specified domains and list the authorised ones.",
    controls=("MS.AAD.8.3v1", *cis_ids("5.1.6.1")),
)
def invitations_limited_to_domains(data: PostureData) -> Outcome:
    """Undecidable without the B2B invitation allow list, which the snapshot does not carry."""
    return unknown([B2B_INVITATION_POLICY])


DYNAMIC = "dynamicmembership"
RULE_ON = "on"
_GUEST_RULE = re.compile(r"user\.userType\s+-eq\s+[\"']guest[\"']", re.I)
"""The rule clause CIS 5.1.3.1 asks for: `(user.userType -eq "Guest")`."""


@check(
    "IDP-GST-004",
    "A dynamic group holds the guest users",
    Severity.low,
    Baseline.cis,
    cis_control("5.1.3.1"),
    'Create a security group with dynamic user membership, rule (user.userType -eq "Guest"), '
    "processing on, and target guests' Conditional Access and access reviews at it.",
    controls=cis_ids("5.1.3.1"),
)
def dynamic_guest_group(data: PostureData) -> Outcome:
    """A dynamic group whose rule takes guests in and whose rule processing is on."""
    if not data.groups_known:
        return unknown([Collection.groups.value])
    found, paused = [], []
    for gid, group in data.groups.items():
        types = {str(t).lower() for t in group.get("groupTypes") or []}
        if DYNAMIC not in types or not _GUEST_RULE.search(group.get("membershipRule") or ""):
            continue
        state = str(group.get("membershipRuleProcessingState") or "")
        record = data.group_affected(gid, f"rule {group.get('membershipRule')}, processing {state}")
        (found if state.lower() == RULE_ON else paused).append(record)
    if found:
        return passed(f"{len(found)} dynamic group(s) of guests", found)
    tenant = Record(
        kind="tenant", id="tenant", label="tenant", detail="no dynamic group with a guest rule"
    )
    return failed_if(paused or [tenant], "no dynamic group of guests with its rule processing on")
