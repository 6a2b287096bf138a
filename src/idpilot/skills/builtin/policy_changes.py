"""Skill `policy_changes`: which Conditional Access policies were added, changed or deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from idpilot.logs import AuditScope, log_reader
from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import (
    event_fact,
    named_in_events,
    user_record,
    window_bounds,
)
from idpilot.skills.builtin._audit_facts import AuditEventFact
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.directory import user_by_id
from idpilot.store.queries.policies import policies_by_ids

NAME = "policy_changes"
MAX_EVENTS = 200
# Entra writes "Add conditional access policy", "Update conditional access policy",
# "Delete conditional access policy" under category Policy, target type Policy.
CA_CHANGES = AuditScope(category="Policy", activity_pattern="conditional access policy")


class PolicyChangesInput(BaseModel):
    """Which window (default: the whole snapshot)."""

    window: TimeWindow | None = slot(Slot.time_window, "The time window.", default=None)
    policy: str | None = slot(
        Slot.policy, "Only this Conditional Access policy (id or name).", default=None
    )
    actor: str | None = slot(
        Slot.stated,
        "Only the changes this admin made (user id or sign-in name), when the question asks "
        "what someone changed.",
        default=None,
    )


class PolicyChange(SkillFacts):
    """A Conditional Access policy the audit log shows changed, and its state now."""

    id: str
    name: str | None
    events: list[str]
    """Ids of the audit events that changed it, newest first."""
    exists: bool
    last_activity: str
    state: str | None = None
    """Its state now (when it still exists)."""


class PolicyChangesFacts(SkillFacts):
    """The Conditional Access policy changes in a window: events and the policies they touch."""

    window: str
    start: datetime | None
    end: datetime | None
    total: int
    events: list[AuditEventFact]
    policies: list[PolicyChange]
    actor: str = ""
    """The admin whose changes alone are listed (their name), when one was asked about."""
    actor_id: str = ""
    """That admin's user id, when the directory holds them."""


def policy_changes(store: Store, params: PolicyChangesInput) -> SkillResult:
    """List Conditional Access policies added, updated or deleted in a window, with who did it."""
    start, end, phrase = window_bounds(params.window)
    result = SkillResult(skill=NAME)
    events, total = log_reader(store).audit_events(CA_CHANGES, start, end, MAX_EVENTS)
    if params.policy:
        wanted = params.policy.lower()
        events = [
            e for e in events
            if any(wanted in ((t.id or "").lower(), (t.display_name or "").lower())
                   for t in e.targets)
        ]  # fmt: skip
        total = len(events)
    actor = ""
    person = None
    if params.actor:
        person = user_by_id(store, params.actor)
        said = {params.actor.lower(), ((person or {}).get("userPrincipalName") or "").lower()}
        events = [
            e for e in events
            if (e.actor_id or "").lower() in said or (e.actor_upn or "").lower() in said
        ]  # fmt: skip
        total = len(events)
        if person is not None:
            result.add_evidence(user_record(person))
        actor = (person or {}).get("displayName") or params.actor
    policies: dict[str, dict[str, Any]] = {}
    for event in events:
        for target in event.targets:
            if (target.type or "").lower() != "policy" or not target.id:
                continue
            entry = policies.setdefault(
                target.id,
                {"id": target.id, "name": target.display_name, "events": [], "exists": False},
            )
            entry["events"].append(event.id)
            entry["last_activity"] = entry.get("last_activity") or event.activity
    current = policies_by_ids(store, list(policies))
    for row in current:
        entry = policies[row["id"]]
        entry.update(exists=True, state=row["state"], name=entry["name"] or row["displayName"])
        result.add_evidence(
            Record(
                kind="conditionalAccessPolicy",
                id=row["id"],
                label=f"conditionalAccessPolicy {row['displayName']}",
                fields={"displayName": row["displayName"], "state": row["state"]},
            )
        )
    named = named_in_events(store, events)
    result.facts = PolicyChangesFacts(
        window=phrase,
        start=start,
        end=end,
        total=total,
        events=[event_fact(e, result, named) for e in events],
        policies=sorted(policies.values(), key=lambda p: p["name"] or p["id"]),
        actor=actor,
        actor_id=(person or {}).get("id", ""),
    )
    result.followups = ["What did the admin who changed them do in the same week?"]
    return result


def register(registry: SkillRegistry) -> None:
    """Register `policy_changes`."""
    registry.add(
        define_skill(
            policy_changes,
            name=NAME,
            remote_logs=True,
            facts=PolicyChangesFacts,
            reads=(Collection.directory_audits,),
            keywords={
                "conditional access": 2.0,
                "change conditional access": 3.0,
                "changed conditional access": 3.0,
                "ca policies": 2.5,
                "ca policy": 2.0,
                "policies changed": 3.5,
                "policy changes": 3.5,
                "policy changed": 3.0,
                "changed policies": 3.5,
                "policies were changed": 3.5,
                "policies modified": 3.5,
                "policies updated": 3.5,
                "policies added": 3.0,
                "policies deleted": 3.0,
                "new policies": 2.5,
                "changes to conditional access": 4.0,
            },
        )
    )
