"""Skill `role_holders`: who holds a role (or every privileged role), active or eligible, how."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from idpilot.knowledge.privileged_roles import privileged_template_ids
from idpilot.knowledge.role_capabilities import roles_able_to
from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.skills.base import (
    NextStep,
    SkillFacts,
    SkillResult,
    Slot,
    UnresolvedFacts,
    define_skill,
    slot,
)
from idpilot.skills.builtin._role_names import find_role
from idpilot.skills.builtin._roles import (
    GrantFact,
    grant_fact,
    grants,
    principal_record,
    role_names,
)
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.directory import (
    members_of,
    objects_by_id,
    registered_methods,
    user_profiles,
)
from idpilot.store.queries.roles import role_definitions_by_ids
from idpilot.store.queries.users import is_break_glass

NAME = "role_holders"
MAX_GROUP_MEMBERS = 50
"""Users listed per role-holding group (the count is exact)."""


class RoleHoldersInput(BaseModel):
    """Which role; none means every privileged role."""

    role: str | None = slot(Slot.role, "The role: name, id or template id.", default=None)
    privileged: bool | None = slot(
        Slot.stated, "Asked about privileged roles in general.", default=None
    )
    capabilities: list[str] | None = slot(
        Slot.stated,
        "Things to be able to do ('reset passwords'): the roles that can.",
        default=None,
    )
    mfa_registered: bool | None = slot(
        Slot.stated, "Only holders registered for MFA (true) or not (false).", default=None
    )
    sms_only: bool | None = slot(
        Slot.stated, "Only holders whose MFA methods are SMS or voice calls alone.", default=None
    )
    weak_mfa: bool | None = slot(
        Slot.stated,
        "Only holders with weak MFA: none registered, or only SMS or voice calls.",
        default=None,
    )
    assignment: Literal["active", "eligible"] | None = slot(
        Slot.stated,
        "Only grants of this kind: 'eligible' keeps holders who are eligible and not also "
        "active for that role (PIM, just in time); 'active' keeps standing assignments.",
        default=None,
    )
    user_type: str | None = slot(
        Slot.stated, "Only holders of this type: Member or Guest.", default=None
    )
    department: str | None = slot(
        Slot.stated, "Only holders of this department (case-insensitive).", default=None
    )
    department_excluded: bool | None = slot(
        Slot.stated, "Only holders outside `department` ('admins outside IT').", default=None
    )
    break_glass: bool | None = slot(
        Slot.stated,
        "Only emergency access (break-glass) accounts (true) or none of them (false), by name.",
        default=None,
    )


class RolePrincipal(SkillFacts):
    """Who a grant is to: a user, group or service principal (`type`)."""

    id: str
    displayName: str | None
    userPrincipalName: str | None = None
    type: str
    """`user`, `group`, `servicePrincipal`, or `directoryObject` when the snapshot lacks it."""
    accountEnabled: bool | None = None
    userType: str | None = None
    methods: list[str] | None = None
    """A user's registered MFA methods, when the question filters by registration."""


class RoleGroupMember(SkillFacts):
    """A user holding a role through a group, at `depth` levels of nesting."""

    id: str
    member_type: str
    depth: int
    via_group_id: str | None
    displayName: str | None
    userPrincipalName: str | None
    methods: list[str] | None = None
    """Registered MFA methods, when the question filters by registration."""


class HeldGrant(GrantFact):
    """A grant of the role, to whom, and the users holding it through a group."""

    principal: RolePrincipal
    via_members: list[RoleGroupMember] | None = None
    """A group's user members (the first `limit`); None for a user or service principal."""
    via_member_count: int | None = None


class RoleHolding(SkillFacts):
    """A role and its grants, by assignment then holder name."""

    role: str
    privileged: bool | None
    """None for an asked-for role nobody holds (not judged)."""
    why: str | None
    grants: list[HeldGrant]
    active: int
    eligible: int
    role_id: str | None
    """The id of the role's definition, when the question named the role."""


class RoleHoldersFacts(SkillFacts):
    """Who holds the asked-for roles (or every privileged role), filtered as the question
    states."""

    registration: str
    """The registration or user-type filter in words ('' for none)."""
    capabilities: list[str]
    """The capability phrases asked about ('reset passwords')."""
    privileged_only: bool
    roles: list[RoleHolding]
    limit: int


def _of_assignment(found: list[dict[str, Any]], kind: str | None) -> list[dict[str, Any]]:
    """The grants of the kind asked: eligible ones of principals not also active in that role,
    or the active ones."""
    if kind is None:
        return found
    active = {
        (g["principalId"], g["roleDefinitionId"]) for g in found if g["assignment"] == "active"
    }
    if kind == "active":
        return [g for g in found if g["assignment"] == "active"]
    return [
        g
        for g in found
        if g["assignment"] == "eligible" and (g["principalId"], g["roleDefinitionId"]) not in active
    ]


def role_holders(store: Store, params: RoleHoldersInput) -> SkillResult:
    """List who holds a role (or each privileged role): active or eligible, direct or via group."""
    result = SkillResult(skill=NAME)
    definitions = find_role(store, params.role) if params.role else []
    if params.role and not definitions and not params.privileged:
        return SkillResult(
            skill=NAME, status="notFound", query=params.role, facts=UnresolvedFacts(kind="role")
        )
    capabilities, capable = (
        ([], []) if definitions else roles_able_to(" / ".join(params.capabilities or []))
    )
    if capable:  # "who can reset passwords?": every role whose permissions include it
        definitions = role_definitions_by_ids(store, capable)
    # "who is only eligible for a role?": every role; "who holds roles?": the privileged ones.
    every_role = (
        bool(params.assignment) and not definitions and not capable and not params.privileged
    )
    privileged_only = not definitions and not capable and not every_role
    role_ids = (
        [i for d in definitions for i in (d["id"], d["templateId"]) if i]
        if definitions
        else privileged_template_ids()
    )
    role_ids = sorted(set(role_ids) | set(capable)) if capable else role_ids
    names = role_names(store)
    found = _of_assignment(grants(store, roles=None if every_role else role_ids), params.assignment)
    principals = objects_by_id(store, sorted({g["principalId"] for g in found}))
    keep = _registration_filter(store, params, principals)
    held: dict[str, list[HeldGrant]] = {}
    for grant in found:
        fact = grant_fact(grant, names, result)
        principal = principals.get(grant["principalId"]) or {
            "id": grant["principalId"], "displayName": None, "type": "directoryObject",
        }  # fmt: skip
        if keep is not None and principal["type"] == "user" and principal["id"] not in keep:
            continue
        if keep is not None and principal["type"] not in ("user", "group"):
            continue
        if keep is not None and principal["type"] == "user":
            principal = {**principal, "methods": keep[principal["id"]]}
        result.add_evidence(principal_record(principal))
        holder = HeldGrant(**dict(fact), principal=RolePrincipal(**principal))
        if principal["type"] == "group":
            members = [m for m in members_of(store, principal["id"]) if m["member_type"] == "user"]
            if keep is not None:
                members = [{**m, "methods": keep[m["id"]]} for m in members if m["id"] in keep]
                if not members:
                    continue
            holder.via_members = [RoleGroupMember(**m) for m in members[:MAX_GROUP_MEMBERS]]
            holder.via_member_count = len(members)
            for member in members[:MAX_GROUP_MEMBERS]:
                result.add_evidence(principal_record({**member, "type": "user"}))
        held.setdefault(fact.role, []).append(holder)
    for definition in definitions:
        held.setdefault(definition["displayName"], [])
        result.add_evidence(
            Record(
                kind="unifiedRoleDefinition",
                id=definition["id"],
                label=f"role {definition['displayName']}",
                fields={"displayName": definition["displayName"]},
            )
        )
    ordered = [_holding(name, held[name], definitions) for name in sorted(held)]
    result.facts = RoleHoldersFacts(
        registration=_registration_words(params),
        capabilities=capabilities,
        privileged_only=privileged_only,
        roles=ordered,
        limit=MAX_GROUP_MEMBERS,
    )
    permanent = [
        g for r in ordered if r.privileged for g in r.grants
        if g.assignment == "active" and g.principal.type == "user"
    ]  # fmt: skip
    if permanent:
        result.next_steps.append(
            NextStep(
                action="Make standing privileged assignments eligible in PIM (just-in-time), "
                "keeping only break-glass accounts permanently active.",
                evidence_ids=[g.id for g in permanent],
            )
        )
    result.followups = ["Who added the newest holder to this role?"]
    return result


def _holding(name: str, holders: list[HeldGrant], definitions: list[dict[str, Any]]) -> RoleHolding:
    """A role's grants, sorted and counted; its privilege as its first grant (in query order)
    judged it, not judged when nobody holds it."""
    first = holders[0] if holders else None
    ordered = sorted(holders, key=lambda g: (g.assignment, g.principal.displayName or ""))
    active = sum(1 for g in ordered if g.assignment == "active")
    return RoleHolding(
        role=name,
        privileged=first.privileged if first else None,
        why=first.why_privileged if first else None,
        grants=ordered,
        active=active,
        eligible=len(ordered) - active,
        role_id=next((d["id"] for d in definitions if d["displayName"] == name), None),
    )


def _registration_filter(
    store: Store, params: RoleHoldersInput, principals: dict[str, dict[str, Any]]
) -> dict[str, list[str]] | None:
    """User id -> registered methods, for the users that meet the MFA-registration condition
    the question states (None: it states none). Group holders are judged by their members."""
    if (
        params.mfa_registered is None
        and not params.sms_only
        and not params.weak_mfa
        and not params.user_type
        and not params.department
        and params.break_glass is None
    ):
        return None
    users = [p["id"] for p in principals.values() if p.get("type") == "user"]
    for principal in principals.values():
        if principal.get("type") == "group":
            users += [m["id"] for m in members_of(store, principal["id"])]
    keep = {}
    profiles = user_profiles(store, sorted(set(users)))
    for user_id, state in registered_methods(store, sorted(set(users))).items():
        if params.mfa_registered is not None and state["registered"] != params.mfa_registered:
            continue
        if params.sms_only and not state["phone_only"]:
            continue
        if params.weak_mfa and state["registered"] and not state["phone_only"]:
            continue
        kind = profiles.get(user_id, {}).get("kind") or ""
        if params.user_type and kind.lower() != params.user_type.lower():
            continue
        if not _in_department(profiles.get(user_id, {}), params):
            continue
        if params.break_glass is not None and params.break_glass != is_break_glass(
            profiles.get(user_id, {})
        ):
            continue
        keep[user_id] = state["methods"]
    return keep


def _in_department(profile: dict[str, Any], params: RoleHoldersInput) -> bool:
    """Whether a holder meets the department condition the question states (if any)."""
    if not params.department:
        return True
    same = (profile.get("department") or "").lower() == params.department.lower()
    return not same if params.department_excluded else same


def _registration_words(params: RoleHoldersInput) -> str:
    """Every condition on the holders the question states, in words ('' for none)."""
    words = []
    if params.assignment == "eligible":
        words.append("who are only eligible (PIM), not active")
    if params.assignment == "active":
        words.append("with standing (active) assignments")
    if params.user_type:
        words.append(f"who are {params.user_type.lower()}s")
    if params.department:
        outside = "outside" if params.department_excluded else "in"
        words.append(f"{outside} the {params.department} department")
    if params.break_glass is not None:
        words.append(
            "who are emergency access (break-glass) accounts"
            if params.break_glass
            else "leaving out emergency access (break-glass) accounts"
        )
    if params.sms_only:
        words.append("whose only MFA methods are SMS or voice calls")
    if params.weak_mfa:
        words.append("with weak MFA (none registered, or only SMS or voice calls)")
    if params.mfa_registered is False:
        words.append("not registered for MFA")
    if params.mfa_registered:
        words.append("registered for MFA")
    return ", ".join(words)


def register(registry: SkillRegistry) -> None:
    """Register `role_holders`."""
    registry.add(
        define_skill(
            role_holders,
            name=NAME,
            facts=RoleHoldersFacts,
            reads=(
                Collection.role_assignments,
                Collection.role_eligibility_schedules,
            ),
            keywords={
                "who holds": 4.0,
                "who can": 2.5,
                "who can reset": 4.0,
                "who can manage": 4.0,
                "who can assign": 4.0,
                "who can create": 4.0,
                "who can delete": 4.0,
                "who can grant": 4.0,
                "who is able to": 2.5,
                "who is allowed to": 2.5,
                "who has the": 2.5,
                "holders": 3.5,
                "admins": 1.5,
                "administrators": 1.5,
                "privileged roles": 4.0,
                "privileged role": 3.5,
                "privileged accounts": 3.5,
                "privileged users": 3.5,
                "role holders": 4.0,
                "assigned the role": 3.0,
                "members of the role": 3.5,
                "eligible for": 2.5,
                "global admins": 3.5,
                "global administrators": 3.5,
            },
        )
    )
