"""Skill `membership_path`: why a user is in a group, as the chain(s) of nested groups."""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.model.collections import Collection
from idpilot.skills.base import SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import group_record, resolve_reference, user_record
from idpilot.skills.builtin._audit_facts import ObjectBrief
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.directory import MAX_NESTING_DEPTH, group_by_id, user_by_id
from idpilot.store.queries.groups import group_chains, groups_by_ids

NAME = "membership_path"
MAX_PATHS = 10
"""Distinct nesting chains shown; more are counted, not listed."""


class MembershipPathInput(BaseModel):
    """Which user (or group) and which group."""

    user: str = slot(Slot.user, "The member: user id, UPN or name.")
    group: str = slot(Slot.group, "The group the member belongs to.")


class PathGroup(SkillFacts):
    """A group on a membership path."""

    id: str
    displayName: str


class PathTarget(SkillFacts):
    """The group asked about."""

    id: str
    displayName: str | None
    dynamic: bool


class MembershipPathFacts(SkillFacts):
    """Whether the user is in the group, and each chain of nested groups that puts them there."""

    user: ObjectBrief
    group: PathTarget
    member: bool
    direct: bool
    paths: list[list[PathGroup]]
    """Up to `limit` chains, each from the user's direct group up to the group asked about."""
    path_count: int
    limit: int


def membership_paths(store: Store, member_id: str, group_id: str) -> list[list[str]]:
    """Every chain of group ids from the member's direct group up to `group_id`, shortest first."""
    return group_chains(store, member_id, group_id, MAX_NESTING_DEPTH)


def membership_path(store: Store, params: MembershipPathInput) -> SkillResult:
    """Explain why a user is in a group: each path of nested groups, each hop cited."""
    found_user = resolve_reference(store, params.user, "user")
    if found_user.match is None:
        return found_user.unresolved(NAME, "user")
    found_group = resolve_reference(store, params.group, "group")
    if found_group.match is None:
        return found_group.unresolved(NAME, "group")
    user = user_by_id(store, found_user.match.id)
    group = group_by_id(store, found_group.match.id)
    result = SkillResult(skill=NAME)
    result.add_evidence(user_record(user))
    result.add_evidence(group_record(group, "membershipRule"))
    paths = membership_paths(store, user["id"], group["id"])
    shown = paths[:MAX_PATHS]
    hop_ids = sorted({g for path in shown for g in path})
    hop_groups = {row["id"]: row for row in groups_by_ids(store, hop_ids)}
    for row in hop_groups.values():
        result.add_evidence(group_record(row))
    hops = [
        [{"id": g, "displayName": (hop_groups.get(g) or {}).get("displayName") or g} for g in path]
        for path in shown
    ]
    dynamic = "DynamicMembership" in (group.get("groupTypes") or [])
    result.facts = MembershipPathFacts(
        user=ObjectBrief(**{k: user.get(k) for k in ("id", "displayName", "userPrincipalName")}),
        group=PathTarget(id=group["id"], displayName=group["displayName"], dynamic=dynamic),
        member=bool(paths),
        direct=any(len(p) == 1 for p in paths),
        paths=hops,
        path_count=len(paths),
        limit=MAX_PATHS,
    )
    name = user.get("displayName") or user["id"]
    if dynamic:
        result.followups.append(f"Explain the membership rule of {group['displayName']}")
    result.followups.append(f"Who added {name} to {group['displayName']}?")
    return result


def register(registry: SkillRegistry) -> None:
    """Register `membership_path`."""
    registry.add(
        define_skill(
            membership_path,
            name=NAME,
            facts=MembershipPathFacts,
            reads=(Collection.groups,),
            keywords={
                "why is": 3.0,
                "why does": 2.0,
                "how is": 2.5,
                "how come": 2.5,
                "path": 2.0,
                "through which": 3.0,
                "via which": 3.0,
                "membership path": 4.0,
                "nesting": 2.0,
                "how did": 1.0,
                "end up in": 3.0,
                "in group": 1.0,
                "a member of": 1.5,
                "in the group": 1.0,
            },
        )
    )
