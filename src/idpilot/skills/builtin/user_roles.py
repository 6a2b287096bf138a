"""Skill `user_roles`: a user's directory roles and how they got each (direct, group, PIM)."""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.model.collections import Collection
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import group_record, resolve_reference, user_record
from idpilot.skills.builtin._audit_facts import ObjectBrief
from idpilot.skills.builtin._roles import GrantFact, grant_fact, grants, role_names
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.directory import groups_of, user_by_id

NAME = "user_roles"


class UserRolesInput(BaseModel):
    """Which user."""

    user: str = slot(Slot.user, "The user: object id, userPrincipalName, mail or display name.")


class GroupHop(SkillFacts):
    """A group on the path a role reaches the user through."""

    id: str
    displayName: str | None


class UserRoleGrant(GrantFact):
    """A role grant the user holds, and the groups it comes through."""

    via_path: list[GroupHop] | None = None
    """The groups from the role-holding one down to the user; None when granted directly."""


class UserRolesFacts(SkillFacts):
    """A user's role grants, privileged first, each with how the user holds it."""

    user: ObjectBrief
    roles: list[UserRoleGrant]
    privileged_count: int


def user_roles(store: Store, params: UserRolesInput) -> SkillResult:
    """List a user's roles, active or eligible, with the group path and scope of each."""
    resolution = resolve_reference(store, params.user, "user")
    if resolution.match is None:
        return resolution.unresolved(NAME, "user")
    user = user_by_id(store, resolution.match.id)
    result = SkillResult(skill=NAME)
    result.add_evidence(user_record(user))
    groups = {g["id"]: g for g in groups_of(store, user["id"])}
    names = role_names(store)
    roles = []
    for grant in grants(store, principals=[user["id"], *groups]):
        fact = UserRoleGrant(**dict(grant_fact(grant, names, result)))
        group = groups.get(grant["principalId"])
        if group:
            fact.via_path = []
            for group_id in group["path"]:
                hop = groups.get(group_id)
                if hop:
                    result.add_evidence(group_record(hop))
                    fact.via_path.append(GroupHop(id=group_id, displayName=hop["displayName"]))
        roles.append(fact)
    roles.sort(key=lambda r: (not r.privileged, r.role, r.assignment))
    result.facts = UserRolesFacts(
        user=ObjectBrief(**{k: user.get(k) for k in ("id", "displayName", "userPrincipalName")}),
        roles=roles,
        privileged_count=sum(1 for r in roles if r.privileged),
    )
    standing = [r.id for r in roles if r.privileged and r.assignment == "active"]
    if standing:
        result.next_steps.append(
            NextStep(
                action="Convert standing privileged roles to PIM-eligible assignments and require "
                "phishing-resistant MFA on activation.",
                evidence_ids=standing,
            )
        )
    name = user.get("displayName") or user["id"]
    result.followups = [f"Who added {name} to {roles[0].role}?"] if roles else []
    return result


def register(registry: SkillRegistry) -> None:
    """Register `user_roles`."""
    registry.add(
        define_skill(
            user_roles,
            name=NAME,
            facts=UserRolesFacts,
            reads=(
                Collection.role_assignments,
                Collection.role_eligibility_schedules,
            ),
            keywords={
                "role assignments": 3.5,
                "how did": 1.5,
                "get the role": 3.5,
                "get their roles": 4.0,
                "get them": 2.0,
                "how did they": 2.0,
                "get his roles": 4.0,
                "get her roles": 4.0,
                "got the role": 3.5,
                "obtain": 2.0,
                "admin roles": 2.0,
                "directory roles": 2.0,
                "privileges": 2.5,
                "eligible roles": 3.5,
                "roles and how": 4.0,
                "through which group": 2.5,
            },
        )
    )
