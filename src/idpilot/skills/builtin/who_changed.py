"""Skill `who_changed`: who added (or removed) a user to a role or group, from the audit log."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from idpilot.logs import AuditScope, log_reader
from idpilot.model.collections import Collection
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import (
    NextStep,
    SkillFacts,
    SkillResult,
    Slot,
    UnresolvedFacts,
    define_skill,
    slot,
)
from idpilot.skills.builtin._admin_common import (
    event_fact,
    group_record,
    named_in_events,
    resolve_reference,
    user_record,
    window_bounds,
)
from idpilot.skills.builtin._audit_facts import AuditEventFact, ObjectBrief
from idpilot.skills.builtin._role_names import find_role
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.audit import AuditEvent
from idpilot.store.audit_activities import MEMBERSHIP_ACTIVITY
from idpilot.store.directory import group_by_id, user_by_id

NAME = "who_changed"
# "Add member to role", "Add eligible member to role", "Remove member from group",
# "Add owner to group", "Add member to role in PIM completed (permanent)", ...
MAX_EVENTS = 200


class WhoChangedInput(BaseModel):
    """Whose membership, in which role or group, over which window."""

    user: str | None = slot(Slot.user, "The user who was added or removed.", default=None)
    role: str | None = slot(Slot.role, "The directory role.", default=None)
    group: str | None = slot(Slot.group, "The group.", default=None)
    window: TimeWindow | None = slot(Slot.time_window, "The time window.", default=None)
    change: Literal["added", "removed"] | None = slot(
        Slot.stated, "The kind of change asked about: listed first.", default=None
    )
    relation: Literal["owner", "member"] | None = slot(
        Slot.stated, "Ownership or membership changes asked about: listed first.", default=None
    )
    privileged: bool | None = slot(
        Slot.stated,
        "Directory role changes only ('who was added to an admin role?'), when no role is named.",
        default=None,
    )


class RoleBrief(SkillFacts):
    """The directory role asked about."""

    id: str
    displayName: str | None
    templateId: str | None


class MembershipEvent(AuditEventFact):
    """A role or group membership change, and whether it added (else removed) the member."""

    added: bool
    container: str | None = None
    """The role or group the change was made to, as the audit event names it."""


class WhoChangedFacts(SkillFacts):
    """The membership changes matching the user, role or group asked about, newest first."""

    user: ObjectBrief | None
    role: RoleBrief | None
    group: ObjectBrief | None
    window: str
    events: list[MembershipEvent]
    actor_user: ObjectBrief | None = None
    """The user who made the newest change, when a user made it."""


def who_changed(store: Store, params: WhoChangedInput) -> SkillResult:
    """Find who added or removed a user to or from a role or group (audit events, cited)."""
    start, end, phrase = window_bounds(params.window)
    result = SkillResult(skill=NAME)
    user = role = group = None
    if params.user:
        resolution = resolve_reference(store, params.user, "user")
        if resolution.match is None:
            return resolution.unresolved(NAME, "user")
        user = user_by_id(store, resolution.match.id)
        result.add_evidence(user_record(user))
    if params.role:
        roles = find_role(store, params.role)
        if not roles:
            return SkillResult(
                skill=NAME, status="notFound", query=params.role, facts=UnresolvedFacts(kind="role")
            )
        role = {k: roles[0][k] for k in ("id", "displayName", "templateId")}
    elif params.group:
        resolution = resolve_reference(store, params.group, "group")
        if resolution.match is None:
            return resolution.unresolved(NAME, "group")
        group = group_by_id(store, resolution.match.id)
        result.add_evidence(group_record(group))
    logs = log_reader(store)
    if user is not None:
        events = logs.events_about([user["id"]], start, end, relations=("target",))
    else:
        ids = [x for x in (role or {}).values() if x] if role else [group["id"]] if group else []
        if ids:
            events = logs.events_about(ids, start, end)
        else:
            scope = AuditScope(activity_pattern=MEMBERSHIP_ACTIVITY.pattern)
            events, _ = logs.audit_events(scope, start, end, MAX_EVENTS)
    matching = [e for e in events if _is_membership(e) and _names(e, role, group)]
    if params.privileged and role is None and group is None:
        matching = [e for e in matching if _is_role_change(e)]
    if user is not None:
        matching = [e for e in matching if any(t.id == user["id"] for t in e.targets)]
    # The change asked about first ("who removed the owner?"), newest first within each part.
    matching.sort(key=lambda e: not _is_asked(e, params))
    named = named_in_events(store, matching)
    facts = WhoChangedFacts(
        user=_brief(user),
        role=role,
        group=_brief(group),
        window=phrase,
        events=[
            MembershipEvent(
                **dict(event_fact(e, result, named)), added=_is_add(e), container=_container(e)
            )
            for e in matching
        ],
    )
    result.facts = facts
    if matching:
        newest = matching[0]
        if newest.actor_kind == "user" and newest.actor_id:
            actor = user_by_id(store, newest.actor_id)
            if actor:
                result.add_evidence(user_record(actor))
                facts.actor_user = _brief(actor)
                result.followups.append(
                    f"What did {actor.get('displayName') or actor['id']} do in the last 7 days?"
                )
        result.next_steps.append(
            NextStep(
                action="Confirm the change was approved; if not, remove the assignment and "
                "review the actor's other activity.",
                evidence_ids=[newest.id],
            )
        )
    if user is not None:
        result.followups.append(f"What roles does {user.get('displayName') or user['id']} have?")
    return result


def _brief(obj: dict[str, Any] | None) -> ObjectBrief | None:
    if obj is None:
        return None
    return ObjectBrief(**{k: obj.get(k) for k in ("id", "displayName", "userPrincipalName")})


def _is_membership(event: AuditEvent) -> bool:
    return bool(MEMBERSHIP_ACTIVITY.search(event.activity))


def _is_role_change(event: AuditEvent) -> bool:
    """A change to a directory role's members (active or eligible), not to a group's."""
    found = MEMBERSHIP_ACTIVITY.search(event.activity)
    return found is not None and found.group(1).lower() == "role"


def _container(event: AuditEvent) -> str | None:
    """The role or group a membership event changed: its name in the log's details, else the
    name of the event's role or group target."""
    for target in event.targets:
        for key in ("Role.DisplayName", "Group.DisplayName"):
            if name := target.related.get(key):
                return name
    for target in event.targets:
        if (target.type or "").lower() in ("group", "role") and target.display_name:
            return target.display_name
    return None


def _is_asked(event: AuditEvent, params: WhoChangedInput) -> bool:
    """Whether the event is the kind of change the question asks about."""
    if params.change is not None and _is_add(event) != (params.change == "added"):
        return False
    owner = "owner" in event.activity.lower()
    return params.relation is None or owner == (params.relation == "owner")


def _is_add(event: AuditEvent) -> bool:
    return event.activity.lower().startswith(("add", "create", "assign"))


def _names(event: AuditEvent, role: dict[str, Any] | None, group: dict[str, Any] | None) -> bool:
    """True when the event is about the role or group asked for (any when neither was)."""
    kind = "role" if role else "group" if group else None
    if kind is None:
        return True
    if kind not in event.activity.lower():
        return False
    obj = role or group
    ids = {str(v).lower() for k, v in obj.items() if k in ("id", "templateId") and v}
    name = (obj.get("displayName") or "").lower()
    prefix = "Role" if role else "Group"
    for target in event.targets:
        if (target.id or "").lower() in ids:
            return True
        for key in ("ObjectID", "TemplateId"):
            if (target.related.get(f"{prefix}.{key}") or "").lower() in ids:
                return True
        if name and (target.related.get(f"{prefix}.DisplayName") or "").lower() == name:
            return True
    return False


def register(registry: SkillRegistry) -> None:
    """Register `who_changed`."""
    registry.add(
        define_skill(
            who_changed,
            name=NAME,
            remote_logs=True,
            facts=WhoChangedFacts,
            reads=(Collection.directory_audits,),
            keywords={
                "who added": 4.0,
                "who removed": 4.0,
                "who assigned": 4.0,
                "who gave": 4.0,
                "who granted": 4.0,
                "who made": 3.0,
                "who put": 3.5,
                "who promoted": 4.0,
                "who elevated": 4.0,
                "added to": 1.5,
                "removed from": 1.5,
                "assigned": 1.0,
                "by whom": 3.0,
                "who is responsible": 2.5,
            },
        )
    )
