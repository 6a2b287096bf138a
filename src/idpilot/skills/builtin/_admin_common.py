"""Helpers shared by the identity administration skills: windows, evidence records, labels."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import SkillResult
from idpilot.skills.builtin._audit_facts import (
    AuditChangeFact,
    AuditEventFact,
    AuditTargetFact,
    OwnerRemovalFact,
    ValuePart,
)
from idpilot.skills.resolve import Resolution, resolve
from idpilot.store import Store
from idpilot.store.audit import AuditEvent, AuditTarget, events_about
from idpilot.store.audit_changes import owner_removals
from idpilot.store.directory import named_objects
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.queries.objects import ID_LOOKUP_KINDS, id_and_name

LIST_LIMIT = 50
"""Rows a list answer shows (and cites); the total is always stated, counted exactly."""


def window_bounds(window: TimeWindow | None) -> tuple[datetime | None, datetime | None, str]:
    """(start, end, phrase) of a planner time window; (None, None, '') means the whole snapshot."""
    if window is None:
        return None, None, ""
    return window.start, window.end, window.phrase


def iso(value: Any) -> Any:
    """Datetimes as ISO strings (evidence fields are JSON)."""
    return value.isoformat() if isinstance(value, datetime) else value


def user_record(user: dict[str, Any], *extra: str) -> Record:
    """The evidence record of a user row."""
    name = user.get("displayName") or user["id"]
    upn = user.get("userPrincipalName")
    keys = ("displayName", "userPrincipalName", "userType", "accountEnabled", *extra)
    return Record(
        kind="user",
        id=user["id"],
        label=f"user {name} ({upn})" if upn else f"user {name}",
        fields={k: iso(user.get(k)) for k in keys if user.get(k) is not None},
    )


def group_record(group: dict[str, Any], *extra: str) -> Record:
    """The evidence record of a group row."""
    keys = ("displayName", "isAssignableToRole", *extra)
    return Record(
        kind="group",
        id=group["id"],
        label=f"group {group.get('displayName') or group['id']}",
        fields={k: iso(group.get(k)) for k in keys if group.get(k) is not None},
    )


def audit_record(event: AuditEvent) -> Record:
    """The evidence record of a directory audit event."""
    when = f"{event.when:%Y-%m-%d %H:%M}" if event.when else "undated"
    return Record(
        kind="directoryAudit",
        id=event.id,
        label=f"audit {when} {event.activity}",
        fields=event.evidence_fields(),
    )


def event_fact(
    event: AuditEvent, result: SkillResult, named: dict[str, dict[str, Any]] | None = None
) -> AuditEventFact:
    """An audit event as template facts (adds its evidence).

    With `named` (from `named_in_events`), target ids and the object ids inside old and new
    values are shown as the names of the objects they are, each object added as evidence."""
    result.add_evidence(audit_record(event))
    named = named or {}
    actor = event.actor_upn or event.actor_name or event.actor_id
    who = named.get((event.actor_id or "").lower()) if event.actor_kind == "user" else None
    shown = who is not None and who.get("displayName") and who["displayName"] != actor
    return AuditEventFact(
        actor_name=who["displayName"] if shown else None,
        actor_ref=_cite_named(who, result) if shown else None,
        id=event.id,
        when=event.when,
        activity=event.activity,
        category=event.category,
        result=event.result,
        result_reason=event.result_reason,
        actor=actor,
        actor_kind=event.actor_kind,
        ip=event.ip_address,
        targets=[_target_fact(t, result, named) for t in event.targets],
    )


def _target_fact(
    target: AuditTarget, result: SkillResult, named: dict[str, dict[str, Any]]
) -> AuditTargetFact:
    known = named.get((target.id or "").lower())
    ref = _cite_named(known, result) if known else None
    return AuditTargetFact(
        id=target.id,
        type=target.type,
        name=target.display_name or target.user_principal_name
        or (known or {}).get("displayName"),
        ref=ref,
        changes=[
            AuditChangeFact(
                name=c.name,
                old=c.old,
                new=c.new,
                old_parts=_parts(c.old, result, named),
                new_parts=_parts(c.new, result, named),
            )
            for c in target.changes
        ],
        related=target.related,
        about="; ".join(
            f"{k.split('.')[0].lower()} {v}"
            for k, v in target.related.items()
            if k.endswith("DisplayName") and v
        ),
    )  # fmt: skip


GUID_IN_TEXT = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)
"""An object id anywhere in a value ("[\"<id>\"]", "includeGroups: <id>, <id>")."""


def named_in_events(store: Store, events: list[AuditEvent]) -> dict[str, dict[str, Any]]:
    """The stored objects named by id in these events' actors, targets and old/new values."""
    ids: set[str] = set()
    for event in events:
        if event.actor_kind == "user" and event.actor_id:
            ids.add(event.actor_id)  # shown by name: Graph often gives the actor's UPN only
        for target in event.targets:
            if target.id:
                ids.add(target.id)
            for change in target.changes:
                for value in (change.old, change.new):
                    ids.update(GUID_IN_TEXT.findall(value or ""))
    return named_objects(store, sorted(ids))


def _parts(
    value: str | None, result: SkillResult, named: dict[str, dict[str, Any]]
) -> list[ValuePart] | None:
    """A value split into text and the objects its ids name; None when it
    names no stored object (the template then prints the value as it is)."""
    if value is None or not named:
        return None
    parts: list[ValuePart] = []
    last = 0
    for match in GUID_IN_TEXT.finditer(value):
        known = named.get(match.group(0).lower())
        if known is None:
            continue  # an id the snapshot does not hold stays an id
        if match.start() > last:
            parts.append(ValuePart(text=value[last : match.start()]))
        parts.append(ValuePart(text=known["displayName"] or known["id"],
                               ref=_cite_named(known, result)))  # fmt: skip
        last = match.end()
    if not parts:
        return None
    if last < len(value):
        parts.append(ValuePart(text=value[last:]))
    return parts


NAMED_KIND_LABELS = {
    "servicePrincipal": "app",
    "application": "app registration",
    "unifiedRoleDefinition": "role",
    "conditionalAccessPolicy": "Conditional Access policy",
    "namedLocation": "named location",
}


def _cite_named(known: dict[str, Any], result: SkillResult) -> str:
    """Add a named object as evidence and return its `kind:id` reference."""
    kind, name = known["kind"], known["displayName"] or known["id"]
    fields = {"displayName": known["displayName"]}
    if known.get("detail"):
        fields[_DETAIL_FIELD.get(kind, "templateId")] = known["detail"]
    label = f"{NAMED_KIND_LABELS.get(kind, kind)} {name}"
    result.add_evidence(Record(kind=kind, id=known["id"], label=label, fields=fields))
    return f"{kind}:{known['id']}"


_DETAIL_FIELD = {
    "user": "userPrincipalName",
    "servicePrincipal": "appId",
    "application": "appId",
}


def last_owner_removal(store: Store, group_id: str, result: SkillResult) -> OwnerRemovalFact | None:
    """The newest audit event that removed an owner of this group, with the removed owner
    (as template facts, cited), or None when the audit log has none."""
    removals = owner_removals(store, group_id)
    if not removals:
        return None
    event = removals[0]
    named = named_in_events(store, [event])
    fact = event_fact(event, result, named)
    owner = next(
        (t for t in fact.targets if (t.type or "").lower() in ("user", "serviceprincipal")),
        None,
    )
    return OwnerRemovalFact(**dict(fact), owner=owner)


def member_additions(
    store: Store, group_id: str, member_ids: list[str], result: SkillResult
) -> dict[str, AuditEventFact]:
    """For members of a group, the newest audit event that added each one (who, when), as
    template facts keyed by member id, cited; members the log has no such event for are absent."""
    wanted = {m.lower(): m for m in member_ids}
    events, _ = events_about(store, [group_id])  # newest first
    found: dict[str, AuditEvent] = {}
    for event in events:
        if not event.activity.lower().startswith("add member to group"):
            continue
        for target in event.targets:
            member = wanted.get((target.id or "").lower())
            if member and (target.type or "").lower() != "group" and member not in found:
                found[member] = event
    if not found:
        return {}
    named = named_in_events(store, list(found.values()))
    return {member: event_fact(event, result, named) for member, event in found.items()}


_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def resolve_reference(store: Store, reference: str, kind: str) -> Resolution:
    """`resolve`, with an indexed fast path for object ids (what the planner passes)."""
    phrase = reference.strip()
    if _GUID.match(phrase) and kind in ID_LOOKUP_KINDS:
        row = id_and_name(store, kind, phrase.lower()) or id_and_name(store, kind, phrase)
        if row:
            match = EntityMatch(
                kind=kind,
                id=row["id"],
                label=row["displayName"] or row["id"],
                phrase=phrase,
                quality=MatchQuality.id,
            )
            return Resolution(reference, match=match)
    return resolve(store, reference, kind)
