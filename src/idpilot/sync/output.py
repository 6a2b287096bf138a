"""The files a sync writes: part files while paging, then the snapshot files ingest reads.

While a collection pages, its records go to `.sync/<collection>.part.jsonl`, one per line, as
Graph sent them; the checkpoint records the committed size after each page. When its last page
is read, the part file becomes the snapshot file `<collection>.jsonl` (a setting's single
object: `<collection>.json`), written to a temporary name and renamed: logs keep the records
already in the file and add those whose id is new (windows overlap), delta rounds merge by id
(a later record wins, `@removed` ones go), and lists replace the file. Groups' `members@delta`
and `owners@delta` become `members` and `owners` as `groups(members(),owners())` returns them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from idpilot.model.collections import Collection
from idpilot.sync.checkpoint import sync_folder
from idpilot.sync.endpoints import ReadMode

REMOVED = "@removed"
_LINKS = (("members@delta", "members"), ("owners@delta", "owners"))


def part_path(out: Path, collection: Collection) -> Path:
    """The part file of a collection being paged."""
    return sync_folder(out) / f"{collection.value}.part.jsonl"


def snapshot_path(out: Path, collection: Collection) -> Path:
    """The snapshot file a sync writes for a collection."""
    suffix = ".json" if collection.is_singleton else ".jsonl"
    return out / f"{collection.value}{suffix}"


def remove_part(out: Path, collection: Collection) -> None:
    """Delete a collection's part file (its snapshot file is written and checkpointed)."""
    part_path(out, collection).unlink(missing_ok=True)


class PartFile:
    """Appends pages to a collection's part file; `commit` makes them durable."""

    def __init__(self, out: Path, collection: Collection, committed_bytes: int) -> None:
        path = part_path(out, collection)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        self._handle: IO[bytes] = path.open("r+b")
        self._handle.truncate(committed_bytes)  # what a killed run wrote after its checkpoint
        self._handle.seek(committed_bytes)

    def append(self, records: Iterable[dict[str, Any]]) -> int:
        """Write records, one per line; returns how many."""
        count = 0
        for record in records:
            self._handle.write(orjson.dumps(record) + b"\n")
            count += 1
        return count

    def reset(self) -> None:
        """Drop everything (the collection's paging starts again from its first page)."""
        self._handle.seek(0)
        self._handle.truncate(0)

    def commit(self) -> int:
        """Flush to disk; returns the committed size in bytes."""
        self._handle.flush()
        os.fsync(self._handle.fileno())
        return self._handle.tell()

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


def read_lines(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file (none when it does not exist)."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield orjson.loads(line)


def finish_collection(out: Path, collection: Collection, mode: ReadMode, *, replace: bool) -> int:
    """Write the snapshot file from the part file; returns its record count.

    Doing it twice gives the same file (a sync killed after writing it and before its
    checkpoint does it again); the caller removes the part file once the checkpoint is saved.
    """
    target = snapshot_path(out, collection)
    part = part_path(out, collection)
    incoming = read_lines(part)
    if collection.is_singleton:
        record = next(iter(incoming), None)
        count = _write_atomically(target, [record] if record is not None else [], single=True)
    elif mode is ReadMode.log:
        count = _write_atomically(target, _new_events(read_lines(target), incoming))
    elif mode is ReadMode.delta:
        base = {} if replace else {r["id"]: r for r in read_lines(target)}
        count = _write_atomically(target, _merge_delta(base, incoming).values())
    else:
        count = _write_atomically(target, _by_id(incoming).values())
    return count


def _new_events(
    kept: Iterable[dict[str, Any]], incoming: Iterable[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """The events already in the file, then the incoming ones whose id is new."""
    seen: set[str] = set()
    for record in kept:
        seen.add(record["id"])
        yield record
    for record in incoming:
        if record["id"] not in seen:
            seen.add(record["id"])
            yield record


def _by_id(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One record per id, the later winning (a restarted listing may repeat some)."""
    return {record.get("id", str(n)): record for n, record in enumerate(records)}


def _merge_delta(
    base: dict[str, dict[str, Any]], incoming: Iterable[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Apply a delta round to `base`: changed objects merged, deleted ones dropped."""
    for record in incoming:
        record_id = record["id"]
        if REMOVED in record:
            base.pop(record_id, None)
            continue
        merged = dict(base.get(record_id, {}))
        for delta_key, key in _LINKS:
            if delta_key in record:
                merged[key] = _apply_links(merged.get(key) or [], record.pop(delta_key))
        merged.update(record)
        base[record_id] = merged
    return base


def _apply_links(current: list[dict[str, Any]], changes: list[dict[str, Any]]) -> list[dict]:
    """Members or owners after a `members@delta` list: additions kept, `@removed` dropped."""
    by_id = {link["id"]: link for link in current}
    for change in changes:
        if REMOVED in change:
            by_id.pop(change["id"], None)
        else:
            by_id[change["id"]] = change
    return list(by_id.values())


def _write_atomically(
    target: Path, records: Iterable[dict[str, Any] | None], *, single: bool = False
) -> int:
    temporary = target.with_name(target.name + ".tmp")
    count = 0
    with temporary.open("wb") as handle:
        for record in records:
            if record is None:
                continue
            handle.write(orjson.dumps(record) + (b"" if single else b"\n"))
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    if single and count == 0:
        temporary.unlink()
        target.unlink(missing_ok=True)
        return 0
    os.replace(temporary, target)
    return count
