"""Skill `group_details`: a group's properties, owners, and direct and transitive members."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import last_owner_removal, member_additions
from idpilot.skills.builtin._audit_facts import AuditEventFact, OwnerRemovalFact
from idpilot.skills.registry import SkillRegistry
from idpilot.skills.resolve import resolve
from idpilot.store import Store
from idpilot.store.directory import group_by_id, members_of, owners_of
from idpilot.store.queries.group_links import policies_naming_group

NAME = "group_details"
MEMBER_EVIDENCE_LIMIT = 200
_KIND_OF_MEMBER = {"user": "user", "group": "group", "servicePrincipal": "servicePrincipal"}


class GroupDetailsInput(BaseModel):
    """Which group to describe."""

    group: str = slot(Slot.group, "The group: object id or display name.")


class GroupSummary(SkillFacts):
    """The group's own properties."""

    id: str
    displayName: str | None
    description: str | None
    kind: str
    """Microsoft 365 group, Security group, Distribution list..."""
    dynamic: bool
    membershipRule: str | None
    role_assignable: bool
    visibility: str | None


class GroupOwner(SkillFacts):
    """An owner of the group (a user or service principal)."""

    id: str
    type: str | None
    displayName: str | None
    userPrincipalName: str | None


class GroupMember(SkillFacts):
    """A member, direct (depth 1) or through nested groups, and who added a direct one."""

    id: str
    member_type: str | None
    depth: int
    via_group_id: str | None
    displayName: str | None
    userPrincipalName: str | None
    added_by: AuditEventFact | None = None


class MemberCounts(SkillFacts):
    """How many owners and members the group has."""

    owners: int
    direct: int
    transitive_users: int
    all: int


class PolicyLink(SkillFacts):
    """A Conditional Access policy that names the group in its user conditions."""

    id: str
    displayName: str | None
    state: str | None
    excluded: bool


class GroupDetailsFacts(SkillFacts):
    """A group, its owners, direct and transitive members, and its nested groups."""

    group: GroupSummary
    owners: list[GroupOwner]
    direct_members: list[GroupMember]
    transitive_members: list[GroupMember]
    nested_groups: list[GroupMember]
    counts: MemberCounts
    evidence_limit: int
    owner_removed: OwnerRemovalFact | None
    policies: list[PolicyLink] = Field(default_factory=list)
    """The Conditional Access policies that include or exclude the group: what being in it
    brings under a policy, or lets its members skip."""


def group_details(store: Store, params: GroupDetailsInput) -> SkillResult:
    """Describe a group: type, owners, direct and transitive members, nested groups."""
    resolution = resolve(store, params.group, "group")
    if resolution.match is None:
        return resolution.unresolved(NAME, "group")
    group = group_by_id(store, resolution.match.id)
    assert group is not None
    result = SkillResult(skill=NAME)
    result.add_evidence(
        Record(
            kind="group",
            id=group["id"],
            label=f"group {group['displayName']}",
            fields={
                k: v
                for k, v in group.items()
                if v is not None and k not in ("createdDateTime", "groupTypes")
            },
        )
    )
    types = list(group.get("groupTypes") or [])
    owners = owners_of(store, group["id"])
    members = members_of(store, group["id"])
    for person in owners + members[:MEMBER_EVIDENCE_LIMIT]:
        result.add_evidence(_member_evidence(person))
    direct = [m for m in members if m["depth"] == 1]
    owner_removed = _owner_removed(store, group["id"], owners, result)
    shown = direct[:MEMBER_EVIDENCE_LIMIT]
    added = member_additions(store, group["id"], [m["id"] for m in shown], result)
    for member in shown:
        member["added_by"] = added.get(member["id"])
    facts = GroupDetailsFacts(
        group=GroupSummary(
            id=group["id"],
            displayName=group["displayName"],
            description=group.get("description"),
            kind=_group_kind(group, types),
            dynamic="DynamicMembership" in types,
            membershipRule=group.get("membershipRule"),
            role_assignable=bool(group.get("isAssignableToRole")),
            visibility=group.get("visibility"),
        ),
        owners=owners,
        direct_members=direct,
        transitive_members=[m for m in members if m["depth"] > 1],
        nested_groups=[m for m in members if m["member_type"] == "group"],
        counts=MemberCounts(
            owners=len(owners),
            direct=len(direct),
            transitive_users=sum(1 for m in members if m["member_type"] == "user"),
            all=len(members),
        ),
        evidence_limit=MEMBER_EVIDENCE_LIMIT,
        owner_removed=owner_removed,
    )
    facts.policies = _policies_naming(store, group["id"], result)
    result.facts = facts
    result.next_steps = _next_steps(facts, group)
    name = group["displayName"]
    result.followups = [
        f"Who changed the membership of {name} this month?",
        f"Which roles does {name} grant?",
    ]
    return result


def _policies_naming(store: Store, group_id: str, result: SkillResult) -> list[PolicyLink]:
    """The policies that include or exclude the group, each cited."""
    links = []
    for row in policies_naming_group(store, group_id):
        result.add_evidence(
            Record(
                kind="conditionalAccessPolicy",
                id=str(row["id"]),
                label=f"Conditional Access policy {row['displayName'] or row['id']}",
                fields={"displayName": row["displayName"], "state": row["state"]},
            )
        )
        links.append(PolicyLink(**row))
    return links


def _member_evidence(member: dict[str, Any]) -> Record:
    kind = _KIND_OF_MEMBER.get(
        member.get("member_type") or member.get("type") or "", "directoryObject"
    )
    label = member.get("displayName") or member["id"]
    if member.get("userPrincipalName"):
        label = f"{label} ({member['userPrincipalName']})"
    return Record(
        kind=kind,
        id=member["id"],
        label=f"{kind} {label}",
        fields={
            k: member[k] for k in ("displayName", "userPrincipalName") if member.get(k) is not None
        },
    )


def _owner_removed(
    store: Store, group_id: str, owners: list[dict[str, Any]], result: SkillResult
) -> OwnerRemovalFact | None:
    """For a group without owners, the audit event that removed the last one (who, when)."""
    if owners:
        return None
    return last_owner_removal(store, group_id, result)


def _group_kind(group: dict[str, Any], types: list[str]) -> str:
    if "Unified" in types:
        return "Microsoft 365 group"
    if group.get("securityEnabled") and group.get("mailEnabled"):
        return "Mail-enabled security group"
    if group.get("securityEnabled"):
        return "Security group"
    if group.get("mailEnabled"):
        return "Distribution list"
    return "Group"


def _next_steps(facts: GroupDetailsFacts, group: dict[str, Any]) -> list[NextStep]:
    steps = []
    if not facts.owners:
        steps.append(
            NextStep(
                action="Assign at least two owners so someone is accountable for this group's "
                "membership.",
                evidence_ids=[group["id"]],
            )
        )
    if facts.group.role_assignable and facts.transitive_members:
        steps.append(
            NextStep(
                action="Review this role-assignable group's members regularly (access review).",
                evidence_ids=[group["id"]],
            )
        )
    if facts.counts.all == 0 and not facts.group.dynamic:
        steps.append(
            NextStep(
                action="The group is empty: delete it if nothing uses it.",
                evidence_ids=[group["id"]],
            )
        )
    return steps


def register(registry: SkillRegistry) -> None:
    """Register `group_details`."""
    registry.add(
        define_skill(
            group_details,
            name=NAME,
            facts=GroupDetailsFacts,
            reads=(Collection.groups,),
            describes="group",
            keywords={
                "members": 2.0,
                "member": 1.0,
                "owners": 2.0,
                "owner": 2.0,
                "owns": 1.5,
                "who is in": 2.0,
                "who's in": 2.0,
                "in the group": 1.5,
                "group": 1.0,
                "transitive": 2.0,
                "nested": 2.0,
                "membership": 1.5,
                "dynamic": 1.0,
                "rule": 0.5,
                "belongs to": 0.5,
                "how many people": 1.5,
                "list everyone": 1.5,
            },
        )
    )
