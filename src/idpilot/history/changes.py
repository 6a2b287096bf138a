"""What changed in one directory object between two of its states: created, deleted, or its
properties before and after; a group's members and owners and an application's credentials
as what was added and removed. Pure: states in, typed changes out."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import orjson
from pydantic import BaseModel, Field

from idpilot.model.collections import Collection

MAX_VALUE_CHARS = 200
# Properties that change with use, not with an admin's action: left out of "changed".
VOLATILE: dict[str, frozenset[str]] = {
    Collection.users.value: frozenset({"signInActivity"}),
    Collection.user_registration_details.value: frozenset({"lastUpdatedDateTime"}),
    Collection.risky_users.value: frozenset({"riskLastUpdatedDateTime"}),
    Collection.risky_service_principals.value: frozenset({"riskLastUpdatedDateTime"}),
}
_ASSIGNMENTS = frozenset(
    {Collection.role_assignments.value, Collection.role_eligibility_schedules.value}
)
_IGNORED = frozenset({"@odata.context", "@odata.etag"})
# Array properties whose elements are objects with an id: compared element by element.
_ID_LISTS = {
    "members": "id",
    "owners": "id",
    "passwordCredentials": "keyId",
    "keyCredentials": "keyId",
    "federatedIdentityCredentials": "id",
}


class ChangeKind(StrEnum):
    """How an object differs between the two versions."""

    created = "created"
    changed = "changed"
    deleted = "deleted"


class PropertyChange(BaseModel):
    """One property (a dotted path into nested objects) before and after, as compact text."""

    path: str
    before: str | None
    after: str | None


class ElementChange(BaseModel):
    """An element added to or removed from a list property (a member, a credential)."""

    path: str
    added: bool
    id: str
    label: str


class ObjectChange(BaseModel):
    """One object that differs between the versions, with the versions its states come from."""

    collection: str
    kind: str  # the Graph kind, as citations name it
    id: str
    label: str
    change: ChangeKind
    before_version: int | None = None
    after_version: int | None = None
    properties: list[PropertyChange] = Field(default_factory=list)
    elements: list[ElementChange] = Field(default_factory=list)
    audited: bool = False  # an audit event in the store names the object between the versions


def object_change(
    collection: str,
    object_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    names: Mapping[str, str],
) -> ObjectChange | None:
    """The change of one object, or None when only volatile properties differ."""
    kind = Collection(collection).kind
    state = after if after is not None else before or {}
    label = object_label(collection, state, names) or object_id
    if before is None:
        return ObjectChange(
            collection=collection, kind=kind, id=object_id, label=label, change=ChangeKind.created
        )
    if after is None:
        return ObjectChange(
            collection=collection, kind=kind, id=object_id, label=label, change=ChangeKind.deleted
        )
    skip = _IGNORED | VOLATILE.get(collection, frozenset())
    properties: list[PropertyChange] = []
    elements: list[ElementChange] = []
    for key in sorted(set(before) | set(after)):
        if key in skip or before.get(key) == after.get(key):
            continue
        if (
            key in _ID_LISTS
            and _is_id_list(before.get(key), _ID_LISTS[key])
            and _is_id_list(after.get(key), _ID_LISTS[key])
        ):
            elements.extend(_element_changes(key, before.get(key), after.get(key), names))
            continue
        properties.extend(_property_changes(key, before.get(key), after.get(key)))
    if not properties and not elements:
        return None
    return ObjectChange(
        collection=collection,
        kind=kind,
        id=object_id,
        label=label,
        change=ChangeKind.changed,
        properties=properties,
        elements=elements,
    )


def object_label(collection: str, state: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """How an answer names the object: its display name, or for an assignment who holds what."""
    if collection in _ASSIGNMENTS:
        principal = names.get(str(state.get("principalId")), str(state.get("principalId")))
        role = names.get(str(state.get("roleDefinitionId")), str(state.get("roleDefinitionId")))
        return f"{principal} as {role}"
    if collection == Collection.app_role_assignments.value:
        return f"{state.get('principalDisplayName')} on {state.get('resourceDisplayName')}"
    for key in ("displayName", "userPrincipalName", "userDisplayName", "name", "id"):
        value = state.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _is_id_list(value: Any, key: str) -> bool:
    return value is None or (
        isinstance(value, list) and all(isinstance(v, dict) and key in v for v in value)
    )


def _element_label(element: Mapping[str, Any], element_id: str, names: Mapping[str, str]) -> str:
    name = element.get("displayName") or names.get(element_id)
    end = element.get("endDateTime")
    text = str(name) if name else element_id
    return f"{text} (expires {end})" if end else text


def _element_changes(
    path: str, before: list | None, after: list | None, names: Mapping[str, str]
) -> list[ElementChange]:
    key = _ID_LISTS[path]
    was = {str(e[key]): e for e in before or []}
    now = {str(e[key]): e for e in after or []}
    changes = [
        ElementChange(path=path, added=True, id=i, label=_element_label(now[i], i, names))
        for i in now
        if i not in was
    ]
    changes += [
        ElementChange(path=path, added=False, id=i, label=_element_label(was[i], i, names))
        for i in was
        if i not in now
    ]
    return changes


def _property_changes(path: str, before: Any, after: Any) -> list[PropertyChange]:
    """Leaves that differ, nested objects walked (`conditions.users.includeUsers`)."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[PropertyChange] = []
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                changes.extend(_property_changes(f"{path}.{key}", before.get(key), after.get(key)))
        return changes
    return [PropertyChange(path=path, before=_shown(before), after=_shown(after))]


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
