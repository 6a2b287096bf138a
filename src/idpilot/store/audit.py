"""Directory audit events as typed records: who did what to which object, old and new values.

Graph stores each modified property's `oldValue`/`newValue` as a JSON-encoded string
(`"[\\"Sales\\"]"`); `decode_value` turns them into plain values. Lookups by object go through the
`audit_objects` index (store/audit_index.py) and fall back to a scan for stores built before it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from idpilot.store.database import Store

# Properties Graph adds to many events that say nothing an admin wants to read: the list of
# other properties updated, the client that made the call, and internal type markers.
NOISE_PROPERTIES = frozenset(
    {
        "Included Updated Properties",
        "Action Client Name",
        "TargetId.UserType",
        "TargetId.ServicePrincipalNames",
        "SPN",
        "Role.WellKnownObjectName",
        "Group.WellKnownObjectName",
        "Ldap Search Filter",
    }
)
_COLUMNS_OF_A = (
    "a.id, a.activityDateTime, a.activityDisplayName, a.category, a.result, a.resultReason, "
    "a.loggedByService, a.operationType, a.correlationId, a.initiatedBy, a.targetResources, "
    "a.additionalDetails"
)


def decode_value(value: Any) -> Any:
    """A modified property's old/new value as a plain value (JSON-encoded strings decoded)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text == "":
        return None
    try:
        decoded = json.loads(text)
    except ValueError:
        return value
    if isinstance(decoded, list):
        items = [decode_value(v) if isinstance(v, str) else v for v in decoded]
        items = [i for i in items if i not in (None, "")]
        if not items:
            return None
        return items[0] if len(items) == 1 else items
    if isinstance(decoded, str):
        return decode_value(decoded) if decoded.strip()[:1] in ("[", '"', "{") else decoded
    return decoded


def plain(value: Any) -> str | None:
    """A decoded value as one line of text ('a, b' for lists), or None for nothing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(p for p in (plain(v) for v in value) if p)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass
class PropertyChange:
    """One modified property of one target, decoded."""

    name: str
    old: str | None
    new: str | None


@dataclass
class AuditTarget:
    """An object an audit event acted on."""

    id: str | None
    type: str | None
    display_name: str | None
    user_principal_name: str | None
    changes: list[PropertyChange] = field(default_factory=list)
    related: dict[str, str] = field(default_factory=dict)  # e.g. Role.DisplayName -> name


@dataclass
class AuditEvent:
    """A directory audit record, decoded for reading."""

    id: str
    when: datetime | None
    activity: str
    category: str | None
    result: str | None
    result_reason: str | None
    service: str | None
    operation_type: str | None
    correlation_id: str | None
    actor_kind: str | None  # "user" or "app"
    actor_id: str | None
    actor_name: str | None
    actor_upn: str | None
    ip_address: str | None
    targets: list[AuditTarget]
    details: dict[str, str]

    def related(self, name: str) -> str | None:
        """A related-object property (Role.DisplayName, Group.DisplayName) on any target."""
        for target in self.targets:
            if name in target.related:
                return target.related[name]
        return None

    def evidence_fields(self) -> dict[str, Any]:
        """The fields an evidence record carries for this event."""
        return {
            "activityDateTime": self.when.isoformat() if self.when else None,
            "activityDisplayName": self.activity,
            "category": self.category,
            "result": self.result,
            "initiatedBy": self.actor_upn or self.actor_name or self.actor_id,
            "initiatedById": self.actor_id,
            "ipAddress": self.ip_address,
            "targets": [
                {"id": t.id, "type": t.type, "displayName": t.display_name,
                 "userPrincipalName": t.user_principal_name}
                for t in self.targets
            ],
            "related": {k: v for t in self.targets for k, v in t.related.items()},
            "changes": [
                {"target": t.id, "name": c.name, "old": c.old, "new": c.new}
                for t in self.targets
                for c in t.changes
            ],
        }  # fmt: skip


def _as_obj(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def event_from_row(row: dict[str, Any]) -> AuditEvent:
    """Decode one directoryAudits row."""
    initiated = _as_obj(row.get("initiatedBy")) or {}
    user = initiated.get("user") or {}
    app = initiated.get("app") or {}
    if user.get("id") or user.get("userPrincipalName"):
        kind, actor_id = "user", user.get("id")
        name, upn = user.get("displayName"), user.get("userPrincipalName")
        ip = user.get("ipAddress")
    elif app:
        kind, actor_id = "app", app.get("servicePrincipalId") or app.get("appId")
        name, upn, ip = app.get("displayName"), None, None
    else:
        kind = actor_id = name = upn = ip = None
    targets = [_target(t) for t in (_as_obj(row.get("targetResources")) or [])]
    details = {
        str(d.get("key")): str(d.get("value"))
        for d in (_as_obj(row.get("additionalDetails")) or [])
        if isinstance(d, dict) and d.get("key")
    }
    return AuditEvent(
        id=row["id"], when=row.get("activityDateTime"),
        activity=row.get("activityDisplayName") or "",
        category=row.get("category"), result=row.get("result"),
        result_reason=row.get("resultReason"), service=row.get("loggedByService"),
        operation_type=row.get("operationType"), correlation_id=row.get("correlationId"),
        actor_kind=kind, actor_id=actor_id, actor_name=name, actor_upn=upn,
        ip_address=ip or None, targets=targets, details=details,
    )  # fmt: skip


def _target(raw: dict[str, Any]) -> AuditTarget:
    target = AuditTarget(
        id=raw.get("id"),
        type=raw.get("type") or raw.get("Type"),
        display_name=raw.get("displayName"),
        user_principal_name=raw.get("userPrincipalName"),
    )
    for prop in raw.get("modifiedProperties") or []:
        name = prop.get("displayName") or ""
        old_value, new_value = (
            decode_value(prop.get("oldValue")),
            decode_value(prop.get("newValue")),
        )
        if isinstance(old_value, dict) and isinstance(new_value, dict):
            target.changes += _object_changes(name, old_value, new_value)
            continue
        old, new = plain(old_value), plain(new_value)
        if "." in name and name.split(".", 1)[0] in ("Role", "Group", "TargetId"):
            target.related[name] = new or old or ""
            continue
        if name in NOISE_PROPERTIES or (old == new):
            continue
        target.changes.append(PropertyChange(name=name, old=old, new=new))
    return target


MAX_OBJECT_CHANGES = 12
"""Leaf differences listed per JSON-object property (a whole policy can change at once)."""


def _object_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[PropertyChange]:
    """The leaves that differ between two JSON objects, as `Name.path: old -> new`."""
    found: list[PropertyChange] = []
    added: list[str] = []

    def walk(path: str, a: Any, b: Any) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                if key not in a:
                    added.append(f"{path}.{key}")
                elif key not in b:
                    found.append(PropertyChange(f"{path}.{key}", plain(a[key]), None))
                else:
                    walk(f"{path}.{key}", a[key], b[key])
        elif a != b:
            found.append(PropertyChange(path, plain(a), plain(b)))

    walk(name, old, new)
    if added:
        # The old value often carries only a few keys (e.g. `state`): name what was also set.
        found.append(PropertyChange(f"{name} (also set)", None, ", ".join(added)))
    return found[:MAX_OBJECT_CHANGES]


def _window(start: datetime | None, end: datetime | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if start is not None:
        clauses.append("a.activityDateTime >= ?")
        params.append(start)
    if end is not None:
        clauses.append("a.activityDateTime < ?")
        params.append(end)
    return ("".join(f" AND {c}" for c in clauses), params)


def _indexed(store: Store) -> bool:
    if store.scalar("SELECT count(*) FROM (SELECT 1 FROM audit_objects LIMIT 1)"):
        return True
    return not store.scalar("SELECT count(*) FROM (SELECT 1 FROM directoryAudits LIMIT 1)")


@dataclass(frozen=True)
class AuditSelection:
    """Which audit events a question is about: a FROM clause over `a` and a predicate on it."""

    source: str = "directoryAudits a"
    source_params: tuple[Any, ...] = ()
    where: str = "TRUE"
    where_params: tuple[Any, ...] = ()
    by_ids: bool = False  # the source is a concrete (small) list of event ids

    def sql(self, start: datetime | None, end: datetime | None) -> tuple[str, list[Any]]:
        """`FROM ... WHERE ...` text and its bound parameters, limited to the window."""
        window, window_params = _window(start, end)
        text = f"FROM {self.source} WHERE ({self.where}){window}"
        return text, [*self.source_params, *self.where_params, *window_params]


def with_activities(selection: AuditSelection, activities: list[str]) -> AuditSelection:
    """The same selection, narrowed to events whose activityDisplayName is one of these."""
    return replace(
        selection,
        where=f"({selection.where}) AND a.activityDisplayName IN (SELECT unnest(?))",
        where_params=(*selection.where_params, activities),
    )


def with_category(selection: AuditSelection, category: str) -> AuditSelection:
    """The same selection, narrowed to events of this category (Policy, RoleManagement...)."""
    return replace(
        selection,
        where=f"({selection.where}) AND a.category = ?",
        where_params=(*selection.where_params, category),
    )


def with_activity_pattern(selection: AuditSelection, pattern: str) -> AuditSelection:
    """The same selection, narrowed to events whose activityDisplayName matches a regular
    expression (RE2), case ignored."""
    return replace(
        selection,
        where=f"({selection.where}) AND regexp_matches(a.activityDisplayName, ?, 'i')",
        where_params=(*selection.where_params, pattern),
    )


def select_where(sql_filter: str, params: list[Any] | None = None) -> AuditSelection:
    """Events matching a fixed SQL predicate over `directoryAudits a` (bound parameters)."""
    return AuditSelection(where=sql_filter, where_params=tuple(params or ()))


def select_about(
    store: Store, object_ids: list[str], relations: tuple[str, ...] = ("target", "related")
) -> AuditSelection:
    """Events about (or, with relation 'actor', by) these objects."""
    ids = [i.lower() for i in object_ids if i]
    if _indexed(store):
        # Point lookups on the index, then a join on a concrete id list: at a year of events
        # this is two orders of magnitude faster than filtering directoryAudits by IN.
        found: set[str] = set()
        for object_id in ids:
            rows = store.con.execute(
                "SELECT audit_id, relation FROM audit_objects WHERE object_id = ?", [object_id]
            ).fetchall()
            found |= {audit_id for audit_id, relation in rows if relation in relations}
        return AuditSelection(
            source="(SELECT unnest(?) AS audit_id) x JOIN directoryAudits a ON a.id = x.audit_id",
            source_params=(sorted(found),),
            by_ids=True,
        )
    parts, params = [], []  # a store ingested before the index existed: scan the JSON
    if {"target", "related"} & set(relations):
        parts.append(
            "EXISTS (SELECT 1 FROM (SELECT unnest(?) AS i) WHERE "
            "contains(lower(CAST(a.targetResources AS VARCHAR)), i))"
        )
        params.append(ids)
    if "actor" in relations:
        parts.append(
            "lower(coalesce(a.initiatedBy ->> '$.user.id', "
            "a.initiatedBy ->> '$.app.servicePrincipalId')) IN (SELECT unnest(?))"
        )
        params.append(ids)
    return select_where("(" + (" OR ".join(parts) or "FALSE") + ")", params)


def select_events(
    store: Store,
    selection: AuditSelection,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
) -> tuple[list[AuditEvent], int]:
    """The selected events in the window, newest first (at most `limit`), and their count."""
    text, bound = selection.sql(start, end)
    total = store.scalar(f"SELECT count(*) {text}", bound) or 0
    if selection.by_ids:
        # Sorting the joined rows directly makes DuckDB scan the whole table; sort them after.
        sql = (
            f"WITH m AS MATERIALIZED (SELECT {_COLUMNS_OF_A} {text}) "
            "SELECT * FROM m ORDER BY activityDateTime DESC, id"
        )
    else:
        sql = f"SELECT {_COLUMNS_OF_A} {text} ORDER BY a.activityDateTime DESC, a.id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [event_from_row(r) for r in store.query(sql, bound)], total


def events_about(
    store: Store,
    object_ids: list[str],
    start: datetime | None = None,
    end: datetime | None = None,
    relations: tuple[str, ...] = ("target", "related"),
    limit: int | None = None,
) -> tuple[list[AuditEvent], int]:
    """Audit events about (or, with relation 'actor', by) these objects; newest first, total."""
    return select_events(store, select_about(store, object_ids, relations), start, end, limit)


def events_where(
    store: Store,
    sql_filter: str,
    params: list[Any],
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
) -> tuple[list[AuditEvent], int]:
    """Audit events matching a fixed SQL predicate over `directoryAudits a` (bound params)."""
    return select_events(store, select_where(sql_filter, params), start, end, limit)


def events_by_id(store: Store, ids: list[str]) -> list[AuditEvent]:
    """The audit events with these ids, newest first."""
    if not ids:
        return []
    selection = AuditSelection(
        source="(SELECT unnest(?) AS audit_id) x JOIN directoryAudits a ON a.id = x.audit_id",
        source_params=(sorted(set(ids)),),
        by_ids=True,
    )
    return select_events(store, selection)[0]


_ACTOR_SQL = (
    "coalesce(a.initiatedBy ->> '$.user.userPrincipalName', a.initiatedBy ->> '$.user.id', "
    "a.initiatedBy ->> '$.app.displayName', a.initiatedBy ->> '$.app.servicePrincipalId')"
)


def summarize(
    store: Store,
    selection: AuditSelection,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Counts of selected events by operation and by actor, each with its newest event's id."""
    text, bound = selection.sql(start, end)
    summary = {}
    for name, expression in (
        ("by_operation", "a.activityDisplayName"),
        ("by_actor", _ACTOR_SQL),
    ):
        summary[name] = store.query(
            f"SELECT coalesce({expression}, 'unknown') AS name, count(*) AS count, "
            f"arg_max(a.id, a.activityDateTime) AS sample_id {text} "
            "GROUP BY 1 ORDER BY count DESC, name",
            bound,
        )
    return summary
