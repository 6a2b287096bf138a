"""One tenant record as the page's side panel shows it: its stored fields and the directory
objects they point at (a sign-in's user and app, an audit event's actor and targets)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, Field

from idpilot.model.collections import Collection
from idpilot.store import Store
from idpilot.store.queries.related import objects_with_ids
from idpilot.store.records import raw_record

MAX_RELATED = 60
"""Related records listed at most (a big group's members are its own record's business)."""
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_LABEL_FIELDS = (
    "displayName",
    "userPrincipalName",
    "userDisplayName",
    "activityDisplayName",
    "appDisplayName",
    "name",
)
COLLECTION_OF_KIND = {collection.kind: collection for collection in Collection}
"""The stored collection of each Graph kind an Answer cites (`user` -> users)."""


class RelatedRecord(BaseModel):
    """A directory object a record points at, and the field that names it."""

    kind: str
    id: str
    label: str
    field: str


class RecordView(BaseModel):
    """A stored record: its Graph kind, id, a label, every stored property, related objects."""

    kind: str
    id: str
    label: str
    fields: dict[str, Any]
    related: list[RelatedRecord] = Field(default_factory=list)


def referenced_ids(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (field path, id) in a Graph object whose value is a GUID, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from referenced_ids(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for item in value:
            yield from referenced_ids(item, path)
    elif isinstance(value, str) and _GUID.match(value):
        yield path, value


def label_of(fields: dict[str, Any], fallback: str) -> str:
    """A short name for a record: its display name, sign-in name or activity, else its id."""
    for name in _LABEL_FIELDS:
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return fallback


def record_view(store: Store, kind: str, record_id: str) -> RecordView | None:
    """The stored record of `kind` with `record_id` and the objects it points at, or None when
    the kind is not a stored collection or the store has no such record."""
    collection = COLLECTION_OF_KIND.get(kind)
    if collection is None:
        return None
    fields = raw_record(store, collection, record_id)
    if fields is None:
        return None
    paths: dict[str, str] = {}
    for path, found in referenced_ids(fields):
        paths.setdefault(found.lower(), path)
    related = [
        RelatedRecord(
            kind=row["kind"],
            id=row["id"],
            label=row["label"] or row["id"],
            field=paths[row["matched"]],
        )
        for row in objects_with_ids(store, list(paths))
        if (row["kind"], row["id"]) != (kind, record_id)
    ]
    return RecordView(
        kind=kind,
        id=record_id,
        label=label_of(fields, record_id),
        fields=fields,
        related=related[:MAX_RELATED],
    )
