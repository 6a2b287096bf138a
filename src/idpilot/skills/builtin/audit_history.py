"""Skill `audit_history`: what changed for an object (or the tenant) in a window, and who did it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from idpilot.logs import AuditScope, log_reader
from idpilot.model.collections import Collection
from idpilot.model.ranking import Rank
from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import (
    LIST_LIMIT,
    audit_record,
    event_fact,
    group_record,
    named_in_events,
    resolve_reference,
    user_record,
    window_bounds,
)
from idpilot.skills.builtin._audit_facts import AuditCount, AuditEventFact
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.directory import applications_of, group_by_id, user_by_id
from idpilot.store.queries.objects import ALTERNATE_ID_KINDS, name_and_alternate_id

NAME = "audit_history"
_KINDS = (
    ("user", "user"),
    ("group", "group"),
    ("application", "servicePrincipal"),
    ("policy", "conditionalAccessPolicy"),
    ("role", "unifiedRoleDefinition"),
)


class AuditHistoryInput(BaseModel):
    """Which object's history, over which window (default: the whole snapshot)."""

    user: str | None = slot(Slot.user, "A user whose history to show.", default=None)
    group: str | None = slot(Slot.group, "A group whose history to show.", default=None)
    application: str | None = slot(
        Slot.application, "An application (service principal) whose history to show.", default=None
    )
    policy: str | None = slot(
        Slot.policy, "A Conditional Access policy whose history to show.", default=None
    )
    role: str | None = slot(Slot.role, "A directory role whose history to show.", default=None)
    activities: list[str] | None = slot(
        Slot.stated,
        "Only these audit activities (activityDisplayName values, e.g. 'Reset user password').",
        default=None,
    )
    window: TimeWindow | None = slot(
        Slot.time_window, "The time window (start/end ISO strings).", default=None
    )
    rank: Rank | None = slot(
        Slot.stated,
        "The last or first events, and how many ('the last 3 people to reset their password').",
        default=None,
    )


class AuditSubject(SkillFacts):
    """The object whose history is shown, and every id its audit events may carry."""

    kind: str
    id: str
    name: str
    ids: list[str]


class AuditHistoryFacts(SkillFacts):
    """Audit events in a window, about one object or the whole directory, newest first."""

    subject: AuditSubject | None
    activities: list[str]
    window: str
    start: datetime | None
    end: datetime | None
    total: int
    events: list[AuditEventFact]
    limit: int
    by_operation: list[AuditCount]
    by_actor: list[AuditCount]
    rank: str = ""
    """The order and count asked ("the last 3, newest first"), when the question said."""
    instead: list[AuditEventFact] = Field(default_factory=list)
    """When none of the activities asked happened to the object: what did (in the window, else
    its latest events). "Why was Valentina's account deleted on the 8th?" when it was disabled
    that day."""
    instead_window: str = ""
    """The window `instead` is read in: the question's, or empty when it is the whole log."""


OLDEST_READ = 10_000
"""Events read to find the oldest of a scope (the log is read newest first)."""


def audit_history(store: Store, params: AuditHistoryInput) -> SkillResult:
    """Show what changed for an object between two times: who, from where, old and new values."""
    start, end, phrase = window_bounds(params.window)
    result = SkillResult(skill=NAME)
    subject = None
    for field, kind in _KINDS:
        reference = getattr(params, field)
        if not reference:
            continue
        resolution = resolve_reference(store, reference, kind)
        if resolution.match is None:
            return resolution.unresolved(NAME, field)
        subject = _subject(store, kind, resolution.match.id, resolution.match.label, result)
        break
    activities = params.activities or []
    scope = AuditScope(about=None if subject is None else subject.ids, activities=activities)
    rank = params.rank
    oldest = rank is not None and rank.order == "oldest"
    history = log_reader(store).audit_history(
        scope, start, end, OLDEST_READ if oldest else LIST_LIMIT
    )
    events = history.events
    if rank is not None:
        events = (events[::-1] if oldest else events)[: rank.shown(len(events), LIST_LIMIT)]
    else:
        for event in history.samples:
            result.add_evidence(audit_record(event))
    named = named_in_events(store, events)
    result.facts = AuditHistoryFacts(
        subject=subject,
        activities=activities,
        window=phrase,
        start=start,
        end=end,
        total=history.total,
        events=[event_fact(e, result, named) for e in events],
        limit=len(events) if rank else LIST_LIMIT,
        by_operation=[] if rank else history.by_operation,
        by_actor=[] if rank else history.by_actor,
        rank=rank.words("event" if rank.limit == 1 else "events") if rank else "",
    )
    if subject is not None and activities and not history.total:
        _what_happened_instead(store, subject, start, end, phrase, result)
    if subject is not None:
        result.followups = [f"Tell me about {subject.name}"]
    result.followups.append("Which Conditional Access policies changed this month?")
    return result


INSTEAD_SHOWN = 5
"""The events shown when the activities asked did not happen to the object."""


def _what_happened_instead(
    store: Store,
    subject: AuditSubject,
    start: datetime | None,
    end: datetime | None,
    phrase: str,
    result: SkillResult,
) -> None:
    """The object's other audit events in the window (else its latest ones), so an answer to
    a question that assumed the wrong change says which change there was."""
    reader = log_reader(store)
    scope = AuditScope(about=subject.ids, activities=[])
    other = reader.audit_history(scope, start, end, INSTEAD_SHOWN)
    window = phrase
    if not other.total and start is not None:
        other = reader.audit_history(scope, None, None, INSTEAD_SHOWN)
        window = ""
    facts = result.facts
    assert isinstance(facts, AuditHistoryFacts)
    named = named_in_events(store, other.events)
    facts.instead = [event_fact(e, result, named) for e in other.events]
    facts.instead_window = window


def _subject(
    store: Store, kind: str, object_id: str, label: str, result: SkillResult
) -> AuditSubject:
    ids = [object_id]
    if kind == "user" and (user := user_by_id(store, object_id)):
        result.add_evidence(user_record(user))
    elif kind == "group" and (group := group_by_id(store, object_id)):
        result.add_evidence(group_record(group))
    elif kind in ALTERNATE_ID_KINDS:
        alternate = ALTERNATE_ID_KINDS[kind]
        row = name_and_alternate_id(store, kind, object_id) or {
            "id": object_id,
            "displayName": label,
        }
        if alternate and row.get(alternate):
            ids.append(row[alternate])
        if kind == "servicePrincipal" and row.get("appId"):
            # Secrets, certificates and permissions change on the app registration (the
            # application object of the same appId): its audit events are the app's too.
            ids += [app["id"] for app in applications_of(store, row["appId"])]
        result.add_evidence(
            Record(
                kind=kind,
                id=object_id,
                label=f"{kind} {row.get('displayName') or object_id}",
                fields={k: v for k, v in row.items() if v is not None},
            )
        )
    return AuditSubject(kind=kind, id=object_id, name=label, ids=ids)


def register(registry: SkillRegistry) -> None:
    """Register `audit_history`."""
    registry.add(
        define_skill(
            audit_history,
            name=NAME,
            remote_logs=True,
            facts=AuditHistoryFacts,
            reads=(Collection.directory_audits,),
            keywords={
                "what changed": 3.0,
                "who reset": 3.0,
                "password resets": 3.0,
                "reset passwords": 3.0,
                "who deleted": 3.0,
                "who created": 2.5,
                "who disabled": 3.0,
                "what happened to": 2.5,
                "changed": 1.5,
                "changes": 2.0,
                "change history": 3.0,
                "history": 2.0,
                "audit": 2.0,
                "audit log": 2.5,
                "audit logs": 2.5,
                "modified": 2.0,
                "updated": 1.5,
                "who modified": 2.5,
                "who touched": 2.5,
                "edits": 1.5,
                "recent changes": 2.5,
                "activity summary": 2.0,
            },
        )
    )
