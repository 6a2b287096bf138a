"""Account hygiene checks: break-glass accounts, stale members and guests, pending invitations."""

from __future__ import annotations

from typing import Any

from idpilot.model.records import Record
from idpilot.posture.base import Baseline, Outcome, check, failed_if, not_applicable
from idpilot.posture.cis_controls import cis_ids
from idpilot.posture.data import PostureData
from idpilot.security.severity import Severity
from idpilot.store.queries.users import is_break_glass

STALE_DAYS = 90
"""No sign-in for this long: CIS and Microsoft's access-review guidance both use 90 days."""

PENDING_INVITATION_DAYS = 30
"""A guest invitation not redeemed in a month is unlikely to be wanted."""

MIN_BREAK_GLASS = 2
"""Microsoft recommends two emergency access accounts."""


def break_glass_ids(data: PostureData) -> list[str]:
    """The emergency access accounts of the tenant, by naming convention."""
    return sorted(uid for uid, user in data.users.items() if is_break_glass(user))


@check(
    "IDP-ACC-001",
    "Two emergency access (break-glass) accounts exist",
    Severity.medium,
    Baseline.microsoft,
    "Manage emergency access accounts in Microsoft Entra ID",
    "Create two cloud-only emergency access accounts with Global Administrator, strong "
    "phishing-resistant credentials, excluded from Conditional Access, and alert on their "
    "use.",
    controls=cis_ids("1.1.2"),
)
def break_glass_accounts_exist(data: PostureData) -> Outcome:
    if not data.users:
        return not_applicable("no users in the snapshot")
    found = break_glass_ids(data)
    if len(found) >= MIN_BREAK_GLASS:
        return failed_if([], f"{len(found)} emergency access accounts")
    return failed_if(
        [data.user_affected(uid, "only one found") for uid in found]
        or [Record(kind="tenant", id="tenant", label="tenant", detail="none found")],
        f"{len(found)} emergency access accounts",
    )


def _stale(data: PostureData, user: dict[str, Any]) -> bool:
    if user["accountEnabled"] is False or is_break_glass(user):
        return False
    days = data.days_since(user["last_sign_in"])
    if days is not None:
        return days > STALE_DAYS
    created = data.days_since(user["createdDateTime"])
    return created is not None and created > STALE_DAYS


def _stale_of_type(data: PostureData, user_type: str) -> Outcome:
    if not any(u["activity_known"] for u in data.users.values()):
        return not_applicable("the snapshot has no sign-in activity")
    return failed_if(
        [
            data.user_affected(uid, _last_seen(data, user))
            for uid, user in sorted(data.users.items())
            if user["userType"] == user_type and _stale(data, user)
        ]
    )


def _last_seen(data: PostureData, user: dict[str, Any]) -> str:
    if user["last_sign_in"] is None:
        return "never signed in"
    return f"last sign-in {user['last_sign_in']:%Y-%m-%d}"


@check(
    "IDP-ACC-002",
    "No enabled member accounts unused for 90 days",
    Severity.medium,
    Baseline.microsoft,
    "Identity governance: review and disable inactive user accounts",
    "Disable members with no sign-in in 90 days after confirming with their manager; "
    "automate with a lifecycle workflow or access review.",
)
def stale_members(data: PostureData) -> Outcome:
    return _stale_of_type(data, "Member")


@check(
    "IDP-ACC-003",
    "No guest accounts unused for 90 days",
    Severity.medium,
    Baseline.microsoft,
    "Access reviews: review and remove inactive guest users",
    "Remove or disable guests with no sign-in in 90 days; schedule a recurring access "
    "review of inactive guests.",
)
def stale_guests(data: PostureData) -> Outcome:
    return _stale_of_type(data, "Guest")


@check(
    "IDP-ACC-004",
    "No guest invitations pending for more than 30 days",
    Severity.low,
    Baseline.microsoft,
    "B2B collaboration: clean up unredeemed invitations",
    "Delete guest accounts whose invitation was never redeemed.",
)
def pending_guest_invitations(data: PostureData) -> Outcome:
    return failed_if(
        [
            data.user_affected(uid, "invitation pending")
            for uid, user in sorted(data.users.items())
            if user["externalUserState"] == "PendingAcceptance"
            and (data.days_since(user["createdDateTime"]) or 0) > PENDING_INVITATION_DAYS
        ]
    )


@check(
    "IDP-ACC-005",
    "Disabled accounts hold no licences",
    Severity.low,
    Baseline.microsoft,
    "Licence hygiene: reclaim licences from disabled accounts",
    "Remove licences from disabled accounts (or delete the accounts).",
)
def disabled_with_licences(data: PostureData) -> Outcome:
    return failed_if(
        [
            data.user_affected(uid, f"{len(user['assignedLicenses'])} licences")
            for uid, user in sorted(data.users.items())
            if user["accountEnabled"] is False and user["assignedLicenses"]
        ]
    )


@check(
    "IDP-GRP-001",
    "No guests in privileged or role-assignable groups",
    Severity.high,
    Baseline.microsoft,
    "Privileged access groups: keep external users out of groups that "
    "grant roles or sensitive access",
    "Remove guests from role-assignable groups and groups that hold privileged roles; "
    "review the group's membership with an access review.",
)
def guests_in_privileged_groups(data: PostureData) -> Outcome:
    privileged = {h["via_group_id"] for h in data.role_holders if h["via_group_id"]}
    privileged |= {gid for gid, g in data.groups.items() if g["isAssignableToRole"]}
    affected = []
    for gid in sorted(privileged):
        for member in sorted(data.members_of_group.get(gid, set())):
            user = data.users.get(member)
            if user is not None and user["userType"] == "Guest":
                name = data.groups.get(gid, {}).get("displayName") or gid
                affected.append(data.user_affected(member, f"member of {name}"))
                affected.append(data.group_affected(gid, "privileged group with a guest"))
    return failed_if(affected)
