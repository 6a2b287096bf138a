"""What is computed from one version of a read-only store, kept for the next question about it.

A read-only store's version cannot change (an ingest publishes a new file; readers move to it
between questions), and a server answers many questions about one version, each through a
`Store` of its own: results that depend only on the version are kept here under its
`version_key`, for the newest version only. A store that can change keeps nothing by version;
`per_snapshot` keeps a value for it while it holds one snapshot. Kept values are shared: callers
must not change them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from idpilot.store.database import Store

T = TypeVar("T")

_KEPT: dict[tuple[Hashable, Hashable], Any] = {}
"""(version, key) -> value. Keyed by version too, so a reader of an older version never gets a
newer one's value while both are read (a new version is being published)."""


def per_version(store: Store, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, kept under `key` for the store's version (computed each time for a store
    that can change)."""
    found = kept(store, key)
    if found is None:
        found = compute()
        keep(store, key, found)
    return found


_SNAPSHOT: dict[Hashable, tuple[tuple[int, object], Any]] = {}
"""key -> (which store and snapshot, value): a store that can change, while it holds one."""


def per_snapshot(store: Store, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, kept under `key` for the store's version, or for a store that can change
    while it is the same store holding the same snapshot (its captured time): a value read for
    every prompt (the tenant's words) is read once per snapshot either way."""
    if store.version_key() is not None:
        return per_version(store, key, compute)
    stamp = (id(store), store.captured_at())
    found = _SNAPSHOT.get(key)
    if found is None or found[0] != stamp:
        found = (stamp, compute())
        _SNAPSHOT[key] = found
    return found[1]


def kept(store: Store, key: Hashable) -> Any | None:
    """What was kept under `key` for the store's version, or None."""
    version = store.version_key()
    return None if version is None else _KEPT.get((version, key))


def keep(store: Store, key: Hashable, value: Any) -> None:
    """Keep `value` under `key` for the store's version (nothing for a store that can change);
    what older versions kept is dropped."""
    version = store.version_key()
    if version is None:
        return
    for entry in [entry for entry in list(_KEPT) if entry[0] != version]:
        _KEPT.pop(entry, None)
    _KEPT[(version, key)] = value
