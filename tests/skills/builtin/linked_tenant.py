"""A small tenant whose facts are connected across sources: a lockout then a password reset, a
group change the week before, a disabled account still tried, an ownerless group whose owner
was removed, a policy change naming users by id, and a risk detection on a spraying IP."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from idpilot.store import Store
from tests.security.builder import TenantBuilder

UNKNOWN_ID = "0badc0de-0000-4000-8000-00000000beef"
SPRAY_IP = "198.51.100.66"


@dataclass
class Linked:
    """The ingested store and the objects and records the tests look for."""

    store: Store
    t: TenantBuilder
    ann: dict[str, Any]
    dora: dict[str, Any]
    admin: dict[str, Any]
    helpdesk: dict[str, Any]
    finance: dict[str, Any]
    share: dict[str, Any]
    policy: dict[str, Any]
    lockout_at: datetime
    reset: dict[str, Any]
    group_add: dict[str, Any]
    disable: dict[str, Any]
    owner_removed: dict[str, Any]
    policy_update: dict[str, Any]
    risk: dict[str, Any]


def _prop(name: str, old: Any, new: Any) -> dict[str, Any]:
    encode = lambda v: None if v is None else json.dumps(v)  # noqa: E731
    return {"displayName": name, "oldValue": encode(old), "newValue": encode(new)}


def _target(obj: dict[str, Any], kind: str, *props: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": obj["id"],
        "displayName": obj.get("displayName"),
        "type": kind,
        "userPrincipalName": obj.get("userPrincipalName"),
        "modifiedProperties": list(props),
    }


def build_linked(folder: Path) -> Linked:
    """Write and ingest the tenant."""
    t = TenantBuilder()
    ann = t.user("Ann Lock")
    dora = t.user("Dora Gone", accountEnabled=False)
    admin = t.user("Ivan Admin")
    helpdesk = t.user("Hana Helpdesk")
    finance = t.group("Finance Team", [ann])
    share = t.group("Old Share", [ann])
    policy = t.policy("Block legacy", exclude_users=[admin["id"]], controls=["block"])
    lockout_at = t.ago(days=3)
    for minutes in range(6):
        t.sign_in(ann, lockout_at - timedelta(minutes=10 - minutes), error=50126)
    t.sign_in(ann, lockout_at, error=50053)
    group_add = t.audit(
        "Add member to group", lockout_at - timedelta(days=6), admin,
        [_target(ann, "User", _prop("Group.ObjectID", None, finance["id"]),
                 _prop("Group.DisplayName", None, finance["displayName"])),
         _target(finance, "Group")],
        category="GroupManagement",
    )  # fmt: skip
    reset = t.audit(
        "Reset password (by admin)", lockout_at + timedelta(minutes=40), helpdesk,
        [_target(ann, "User")], category="UserManagement",
        loggedByService="Self-service Password Management", operationType="Update",
    )  # fmt: skip
    disable = t.audit(
        "Disable account", t.ago(days=10), admin,
        [_target(dora, "User", _prop("AccountEnabled", [True], [False]))],
        category="UserManagement", operationType="Update",
    )  # fmt: skip
    for days in (2, 1):
        t.sign_in(dora, t.ago(days=days), error=50057)
    owner_removed = t.audit(
        "Remove owner from group", t.ago(days=9), admin,
        [_target(dora, "User", _prop("Group.ObjectID", share["id"], None),
                 _prop("Group.DisplayName", share["displayName"], None)),
         _target(share, "Group")],
        category="GroupManagement", operationType="Unassign",
    )  # fmt: skip
    before = json.loads(json.dumps(policy))
    before["conditions"]["users"]["excludeUsers"] = [admin["id"], dora["id"], UNKNOWN_ID]
    policy_update = t.audit(
        "Update conditional access policy", t.ago(days=4), admin,
        [_target(policy, "Policy", _prop("ConditionalAccessPolicy", before, policy))],
        category="Policy", loggedByService="Conditional Access", operationType="Update",
    )  # fmt: skip
    victims = [t.user(f"Victim {i}") for i in range(12)]
    spray_at = t.ago(days=2)
    for i, victim in enumerate(victims):
        t.sign_in(victim, spray_at + timedelta(minutes=i), ip=SPRAY_IP, error=50126)
    risk = t.risk_detection(
        victims[0], "passwordSpray", "high", spray_at + timedelta(hours=3), ipAddress=SPRAY_IP
    )
    return Linked(
        t.store(folder), t, ann, dora, admin, helpdesk, finance, share, policy, lockout_at,
        reset, group_add, disable, owner_removed, policy_update, risk,
    )  # fmt: skip
