"""The difference between two versions of the store: which versions (`--since 7d`, or named),
and every directory object created, changed or deleted between them."""

from __future__ import annotations

from datetime import datetime, timedelta

import orjson
from pydantic import BaseModel, Field

from idpilot.errors import IdpilotError
from idpilot.history.changes import ObjectChange, object_change
from idpilot.model.collections import Collection
from idpilot.store.database import Store
from idpilot.store.history import (
    StateChange,
    StoreVersion,
    audited_ids,
    list_versions,
    names_in_history,
    states_between,
)

# The order an answer lists collections in: the ones admins ask about first.
COLLECTION_ORDER = (
    Collection.users,
    Collection.groups,
    Collection.role_assignments,
    Collection.role_eligibility_schedules,
    Collection.applications,
    Collection.service_principals,
    Collection.app_role_assignments,
    Collection.oauth2_permission_grants,
    Collection.conditional_access_policies,
    Collection.named_locations,
)
_REFERENCES = ("principalId", "roleDefinitionId", "resourceId", "clientId")


class HistoryError(IdpilotError):
    """The store cannot answer for the versions asked (too few, or unknown numbers)."""


class VersionRef(BaseModel):
    """A version as an answer names it."""

    version: int
    as_of: datetime
    source: str
    kind: str

    @classmethod
    def of(cls, version: StoreVersion) -> VersionRef:
        """The reference of a stored version."""
        return cls(
            version=version.version,
            as_of=version.as_of,
            source=version.source,
            kind=version.kind,
        )


class TenantDiff(BaseModel):
    """What changed in the tenant's directory between two versions of the store."""

    before: VersionRef
    after: VersionRef
    changes: list[ObjectChange] = Field(default_factory=list)
    starts_later: bool = False  # the history starts after the moment asked for

    def count(self, change: str) -> int:
        """How many objects were created, changed or deleted."""
        return sum(1 for c in self.changes if c.change == change)


def pick_versions(
    versions: list[StoreVersion],
    *,
    since: timedelta | None = None,
    before: int | None = None,
    after: int | None = None,
) -> tuple[StoreVersion, StoreVersion, bool]:
    """The two versions to compare and whether the history starts later than `since` asked.

    `after` defaults to the newest version; `before` to the newest version at least `since`
    older than it (the oldest when the history is shorter), else the one before `after`.
    """
    if len(versions) < 2:
        raise HistoryError(
            "the store holds one version of the tenant: ingest a later snapshot into the same "
            "store (idpilot ingest FOLDER) to compare"
        )
    by_number = {v.version: v for v in versions}
    for number in (before, after):
        if number is not None and number not in by_number:
            known = ", ".join(str(v) for v in by_number)
            raise HistoryError(f"no version {number} in the store (it holds {known})")
    newer = by_number[after] if after is not None else versions[-1]
    if before is not None:
        return by_number[before], newer, False
    older = [v for v in versions if v.version < newer.version]
    if not older:
        raise HistoryError(f"version {newer.version} is the first: nothing before it to compare")
    if since is None:
        return older[-1], newer, False
    cutoff = newer.as_of - since
    reached = [v for v in older if v.as_of <= cutoff]
    if reached:
        return reached[-1], newer, False
    return older[0], newer, True


def tenant_diff(
    store: Store,
    *,
    since: timedelta | None = None,
    before: int | None = None,
    after: int | None = None,
) -> TenantDiff:
    """Every directory object created, changed or deleted between two versions."""
    older, newer, starts_later = pick_versions(
        list_versions(store), since=since, before=before, after=after
    )
    states = states_between(store, older.version, newer.version)
    parsed = [(s, _load(s.before), _load(s.after)) for s in states]
    names = names_in_history(store, _referenced_ids(parsed))
    changes = []
    for state, was, now in parsed:
        change = object_change(state.collection, state.id, was, now, names)
        if change is not None:
            change.before_version = state.before_version
            change.after_version = state.after_version
            changes.append(change)
    audited = audited_ids(store, [c.id for c in changes], older.as_of, newer.as_of)
    for change in changes:
        change.audited = change.id in audited
    changes.sort(key=_order)
    return TenantDiff(
        before=VersionRef.of(older),
        after=VersionRef.of(newer),
        changes=changes,
        starts_later=starts_later,
    )


def _load(raw: str | None) -> dict | None:
    return None if raw is None else orjson.loads(raw)


def _referenced_ids(parsed: list[tuple[StateChange, dict | None, dict | None]]) -> list[str]:
    ids: set[str] = set()
    for _, was, now in parsed:
        for state in (was, now):
            for key in _REFERENCES:
                value = (state or {}).get(key)
                if isinstance(value, str):
                    ids.add(value)
    return sorted(ids)


def _order(change: ObjectChange) -> tuple[int, str, str, str]:
    ranks = {c.value: i for i, c in enumerate(COLLECTION_ORDER)}
    rank = ranks.get(change.collection, len(ranks))
    return rank, change.collection, change.change.value, change.label.lower()
