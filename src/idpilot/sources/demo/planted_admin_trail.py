"""The audit trail behind planted situations: who removed the owner of the ownerless group and
disabled the account of the owner who left, who reset the password after the lockout, and which
group change the locked-out user had the week before, and who took the second break-glass
account out of the legacy-authentication policy's exclusions.

Activity names, categories and services are Entra's documented ones ("Remove owner from group"
and "Disable account" in Core Directory, "Reset password (by admin)" in Self-service Password
Management, "Add member to group"). A separate random stream keeps every other planted record as
it was.
"""

from __future__ import annotations

import copy
import random
from typing import TYPE_CHECKING

from .audits import audit, by_user, prop, target, target_user
from .geo import OFFICE_BY_NAME, host
from .ids import iso

if TYPE_CHECKING:
    from .scenarios import Planter

SSPR = "Self-service Password Management"
LOCKOUT_DAYS_AGO = 5  # the day planted_sign_ins locks the account out (08:15-08:19 UTC)
RESET_HOUR = 9.0  # the helpdesk resets the password about 40 minutes after the lockout
GROUP_CHANGE_DAYS_AGO = 8
OWNER_REMOVED_DAYS_AGO = 12
EXCLUSION_REMOVED_DAYS_AGO = 18  # breakglass02 has no sign-in before or after it


def plant_admin_trail(planter: Planter) -> None:
    """Plant the audits and their answer-key entries (after every other planted record)."""
    rng = random.Random(f"admin-trail-{planter.tenant.seed}")
    _former_owner(planter, rng)
    _lockout_reset(planter, rng)
    _recent_group_change(planter, rng)
    _breakglass_exclusion_removed(planter, rng)


def _admin(planter: Planter, rng: random.Random) -> tuple[dict, str]:
    return planter.p["it_admin"], host(rng, OFFICE_BY_NAME["Seattle HQ"].egress[0])


def _former_owner(planter: Planter, rng: random.Random) -> None:
    """The ownerless group lost its owner when they left; the same admin disabled their account."""
    t = planter.tenant
    group = t.groups_by_key["ownerless"]
    leaver = next(u for u in t.members() if t.profiles[u["id"]].kind == "disabled")
    admin, ip = _admin(planter, rng)
    removed = audit(
        rng,
        planter.when(OWNER_REMOVED_DAYS_AGO, 17.2),
        "Remove owner from group",
        "GroupManagement",
        "Unassign",
        by_user(admin, ip),
        [
            target_user(
                leaver,
                prop("Group.ObjectID", group["id"], None),
                prop("Group.DisplayName", group["displayName"], None),
            ),
            target("Group", group["id"], group["displayName"]),
        ],
    )
    disabled = audit(
        rng,
        planter.when(OWNER_REMOVED_DAYS_AGO, 17.3),
        "Disable account",
        "UserManagement",
        "Update",
        by_user(admin, ip),
        [
            target_user(
                leaver,
                prop("AccountEnabled", [True], [False]),
                prop("Included Updated Properties", None, "AccountEnabled"),
            )
        ],
    )
    t.directory_audits += [removed, disabled]
    entry = planter.scenario(
        "ownerless_group_owner_removed",
        "The audit behind an ownerless group",
        f"'{group['displayName']}' has no owner since {admin['displayName']} removed "
        f"{leaver['displayName']} as owner when they left; the same admin disabled their account.",
        groupId=group["id"],
        formerOwnerId=leaver["id"],
        actorId=admin["id"],
    )
    planter.cite(entry, "directoryAudit", removed["id"])
    planter.cite(entry, "group", group["id"])
    planter.cite(entry, "user", leaver["id"])
    entry["facts"] = {"activityDateTime": removed["activityDateTime"], "owners": 0}
    entry = planter.scenario(
        "account_disabled_by_admin",
        "The audit that disabled an account",
        f"{admin['displayName']} disabled the account of {leaver['displayName']}.",
        userId=leaver["id"],
        actorId=admin["id"],
    )
    planter.cite(entry, "directoryAudit", disabled["id"])
    planter.cite(entry, "user", leaver["id"])
    entry["facts"] = {
        "activityDateTime": disabled["activityDateTime"],
        "accountEnabled": False,
        "actorUserPrincipalName": admin["userPrincipalName"],
    }


def _lockout_reset(planter: Planter, rng: random.Random) -> None:
    """The helpdesk reset the locked-out user's password soon after the lockout."""
    t, p = planter.tenant, planter.p
    user, helpdesk = p["lockout_user"], p["eve_role_actor"]
    reset = audit(
        rng,
        planter.when(LOCKOUT_DAYS_AGO, RESET_HOUR),
        "Reset password (by admin)",
        "UserManagement",
        "Update",
        by_user(helpdesk, host(rng, OFFICE_BY_NAME["London"].egress[0])),
        [target_user(user)],
        service=SSPR,
    )
    t.directory_audits.append(reset)
    entry = planter.scenario(
        "lockout_password_reset",
        "A password reset after the lockout",
        f"{helpdesk['displayName']} reset {user['displayName']}'s password about 40 minutes "
        "after smart lockout locked the account.",
        userId=user["id"],
        actorId=helpdesk["id"],
    )
    planter.cite(entry, "directoryAudit", reset["id"])
    planter.cite(entry, "user", user["id"])
    entry["facts"] = {
        "activityDateTime": reset["activityDateTime"],
        "activity": reset["activityDisplayName"],
        "actorUserPrincipalName": helpdesk["userPrincipalName"],
    }


def _recent_group_change(planter: Planter, rng: random.Random) -> None:
    """The locked-out user was added to a group the week before (by the IT admin)."""
    t, p = planter.tenant, planter.p
    user = p["lockout_user"]
    group = next(
        g
        for g in t.groups
        if not g["membershipRule"] and any(m["id"] == user["id"] for m in g["members"])
    )
    admin, ip = _admin(planter, rng)
    added = audit(
        rng,
        planter.when(GROUP_CHANGE_DAYS_AGO, 16.4),
        "Add member to group",
        "GroupManagement",
        "Assign",
        by_user(admin, ip),
        [
            target_user(
                user,
                prop("Group.ObjectID", None, group["id"]),
                prop("Group.DisplayName", None, group["displayName"]),
            ),
            target("Group", group["id"], group["displayName"]),
        ],
    )
    t.directory_audits.append(added)
    entry = planter.scenario(
        "recent_group_change",
        "A group change in the week before",
        f"{admin['displayName']} added {user['displayName']} to '{group['displayName']}' "
        f"{GROUP_CHANGE_DAYS_AGO} days before the snapshot.",
        userId=user["id"],
        groupId=group["id"],
        actorId=admin["id"],
    )
    planter.cite(entry, "directoryAudit", added["id"])
    planter.cite(entry, "user", user["id"])
    planter.cite(entry, "group", group["id"])
    entry["facts"] = {
        "activityDateTime": added["activityDateTime"],
        "groupDisplayName": group["displayName"],
        "actorUserPrincipalName": admin["userPrincipalName"],
    }


def _breakglass_exclusion_removed(planter: Planter, rng: random.Random) -> None:
    """An admin removed breakglass02 from the legacy-auth block policy's excluded users.

    Entra writes the whole policy as JSON in the `ConditionalAccessPolicy` property's old and
    new values, so the change reads as object ids that the answer resolves to names."""
    t, p = planter.tenant, planter.p
    policy = t.policies_by_key["block_legacy_auth"]
    kept, removed_user = p["breakglass01"], p["breakglass02"]
    admin, ip = _admin(planter, rng)
    when = planter.when(EXCLUSION_REMOVED_DAYS_AGO, 18.6)
    before = copy.deepcopy(policy)
    excluded = before["conditions"]["users"]["excludeUsers"]
    if removed_user["id"] not in excluded:
        excluded.insert(excluded.index(kept["id"]) + 1 if kept["id"] in excluded else 0,
                        removed_user["id"])  # fmt: skip
    policy["modifiedDateTime"] = iso(when)
    record = audit(
        rng,
        when,
        "Update conditional access policy",
        "Policy",
        "Update",
        by_user(admin, ip),
        [
            target(
                "Policy",
                policy["id"],
                policy["displayName"],
                prop("ConditionalAccessPolicy", before, copy.deepcopy(policy)),
            )
        ],
        service="Conditional Access",
    )
    t.directory_audits.append(record)
    entry = planter.scenario(
        "breakglass_exclusion_removed",
        "Who removed a break-glass account from a policy's exclusions",
        f"{admin['displayName']} updated '{policy['displayName']}': its excluded users went "
        f"from {kept['userPrincipalName']} and {removed_user['userPrincipalName']} to "
        f"{kept['userPrincipalName']} alone.",
        policyId=policy["id"],
        userId=removed_user["id"],
        actorId=admin["id"],
    )
    planter.cite(entry, "directoryAudit", record["id"])
    planter.cite(entry, "conditionalAccessPolicy", policy["id"])
    planter.cite(entry, "user", removed_user["id"])
    entry["facts"] = {
        "activityDateTime": record["activityDateTime"],
        "removedFromExcludeUsers": removed_user["userPrincipalName"],
        "keptInExcludeUsers": kept["userPrincipalName"],
    }
