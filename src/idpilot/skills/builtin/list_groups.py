"""Skill `list_groups`: role-assignable, ownerless, empty or dynamic groups, groups with guests."""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.model.collections import Collection
from idpilot.skills.base import SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import LIST_LIMIT, group_record, last_owner_removal
from idpilot.skills.builtin._audit_facts import OwnerRemovalFact
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.queries.groups import GROUP_FILTER_NAMES, count_groups, matching_groups

NAME = "list_groups"


class ListGroupsInput(BaseModel):
    """Filters; none means every group."""

    role_assignable: bool | None = slot(Slot.stated, "isAssignableToRole.", default=None)
    ownerless: bool | None = slot(Slot.stated, "Has no owner.", default=None)
    empty: bool | None = slot(Slot.stated, "Has no member.", default=None)
    with_guests: bool | None = slot(Slot.stated, "Has a guest as a direct member.", default=None)
    dynamic: bool | None = slot(Slot.stated, "Dynamic membership.", default=None)
    unified: bool | None = slot(Slot.stated, "Microsoft 365 group.", default=None)
    any_of: bool | None = slot(
        Slot.stated,
        "The filters are alternatives ('empty or ownerless'): any one lists a group.",
        default=None,
    )


class GroupLine(SkillFacts):
    """A listed group with its member, owner and guest counts."""

    id: str
    displayName: str | None
    isAssignableToRole: bool | None
    members: int
    owners: int
    guests: int
    dynamic: bool
    owner_removed: OwnerRemovalFact | None = None
    """Who removed the last owner, when ownerless groups were asked for and the log says."""


class ListGroupsFacts(SkillFacts):
    """The groups matching the filters: exact count, the first `limit` by name."""

    filters: dict[str, bool]
    any_of: bool = False
    """The filters were alternatives: a group matching any one is listed."""
    total: int
    tenant_total: int
    groups: list[GroupLine]
    limit: int


def list_groups(store: Store, params: ListGroupsInput) -> SkillResult:
    """List groups by role-assignability, owners, emptiness, guests or dynamic membership."""
    filters = {name: getattr(params, name) for name in GROUP_FILTER_NAMES}
    active = {k: v for k, v in filters.items() if v is not None}
    any_of = bool(params.any_of) and len(active) > 1
    total, rows = matching_groups(store, active, LIST_LIMIT, any_of)
    result = SkillResult(skill=NAME)
    groups = []
    for row in rows:
        result.add_evidence(group_record(row))
        types = row.pop("groupTypes") or []
        group = GroupLine(**row, dynamic="DynamicMembership" in str(types))
        if row["owners"] == 0 and active.get("ownerless"):
            # The audit behind the state: who removed the last owner, and when.
            group.owner_removed = last_owner_removal(store, row["id"], result)
        groups.append(group)
    result.facts = ListGroupsFacts(
        filters=active,
        any_of=any_of,
        total=total,
        tenant_total=count_groups(store),
        groups=groups,
        limit=LIST_LIMIT,
    )
    if groups:
        result.followups.append(f"Who are the members and owners of {groups[0].displayName}?")
    return result


def register(registry: SkillRegistry) -> None:
    """Register `list_groups`."""
    registry.add(
        define_skill(
            list_groups,
            name=NAME,
            facts=ListGroupsFacts,
            reads=(Collection.groups,),
            keywords={
                "list groups": 3.5,
                "how many groups": 3.5,
                "groups without": 3.5,
                "groups with": 3.0,
                "groups that": 2.5,
                "groups have": 2.5,
                "role-assignable groups": 4.0,
                "role assignable groups": 4.0,
                "ownerless": 4.0,
                "ownerless groups": 4.5,
                "no owner": 3.0,
                "no owners": 3.0,
                "empty groups": 4.5,
                "dynamic groups": 3.5,
                "groups with guests": 4.5,
                "all groups": 3.0,
            },
        )
    )
