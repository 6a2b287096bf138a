"""Skill `actor_activity`: what an admin (user or app) did in a window, summarized by operation."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from idpilot.logs import AuditScope, log_reader
from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import (
    SkillFacts,
    SkillResult,
    Slot,
    UnresolvedFacts,
    define_skill,
    slot,
)
from idpilot.skills.builtin._admin_common import (
    LIST_LIMIT,
    audit_record,
    event_fact,
    resolve_reference,
    user_record,
    window_bounds,
)
from idpilot.skills.builtin._audit_facts import AuditCount, AuditEventFact
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.directory import user_by_id
from idpilot.store.queries.apps import service_principal_summary

NAME = "actor_activity"


class ActorActivityInput(BaseModel):
    """Whose actions, over which window (default: the whole snapshot)."""

    user: str | None = slot(Slot.user, "The admin whose actions to list.", default=None)
    application: str | None = slot(
        Slot.application, "An app (service principal) whose actions to list.", default=None
    )
    window: TimeWindow | None = slot(Slot.time_window, "The time window.", default=None)


class Actor(SkillFacts):
    """The admin or app whose actions are listed."""

    id: str
    name: str
    kind: str
    """`user` or `servicePrincipal`."""


class ActorActivityFacts(SkillFacts):
    """What one actor changed in a window: counts by operation and the newest events."""

    actor: Actor
    window: str
    start: datetime | None
    end: datetime | None
    total: int
    limit: int
    by_operation: list[AuditCount]
    events: list[AuditEventFact]


def actor_activity(store: Store, params: ActorActivityInput) -> SkillResult:
    """List the directory changes one admin or app made in a window, by operation."""
    start, end, phrase = window_bounds(params.window)
    result = SkillResult(skill=NAME)
    reference, kind = (
        (params.user, "user") if params.user else (params.application, "servicePrincipal")
    )
    if not reference:
        return SkillResult(
            skill=NAME, status="notFound", query="", facts=UnresolvedFacts(kind="user")
        )
    resolution = resolve_reference(store, reference, kind)
    if resolution.match is None:
        return resolution.unresolved(NAME, "user" if kind == "user" else "application")
    ids = [resolution.match.id]
    if kind == "user":
        actor = user_by_id(store, resolution.match.id)
        result.add_evidence(user_record(actor))
        name = actor.get("displayName") or actor["id"]
    else:
        sp = service_principal_summary(store, ids[0])
        ids.append(sp["appId"])
        name = sp["displayName"] or sp["id"]
        result.add_evidence(
            Record(
                kind="servicePrincipal",
                id=sp["id"],
                label=f"servicePrincipal {name}",
                fields={k: v for k, v in sp.items() if v},
            )
        )
    scope = AuditScope(about=ids, relations=("actor",))
    history = log_reader(store).audit_history(scope, start, end, LIST_LIMIT)
    samples = {row["sample_id"] for row in history.by_operation}
    for event in history.samples:  # newest first
        if event.id in samples:
            result.add_evidence(audit_record(event))
    result.facts = ActorActivityFacts(
        actor=Actor(id=resolution.match.id, name=name, kind=kind),
        window=phrase,
        start=start,
        end=end,
        total=history.total,
        limit=LIST_LIMIT,
        by_operation=history.by_operation,
        events=[event_fact(e, result) for e in history.events],
    )
    result.followups = [f"What changed for {name} in the last 30 days?"]
    return result


def register(registry: SkillRegistry) -> None:
    """Register `actor_activity`."""
    registry.add(
        define_skill(
            actor_activity,
            name=NAME,
            remote_logs=True,
            facts=ActorActivityFacts,
            reads=(Collection.directory_audits,),
            keywords={
                "what did": 3.0,
                "what has": 1.5,
                "do": 0.5,
                "done": 1.0,
                "actions": 2.0,
                "actions by": 3.0,
                "activity by": 3.0,
                "activity of": 2.5,
                "changes made by": 4.0,
                "changes by": 3.5,
                "done by": 3.0,
                "been doing": 3.0,
                "been up to": 3.0,
                "admin activity": 2.5,
                "initiated by": 3.0,
            },
        )
    )
