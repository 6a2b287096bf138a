"""Snapshot files from part files: delta merges, groups' member changes, logs' overlap."""

from __future__ import annotations

from pathlib import Path

import orjson

from idpilot.model.collections import Collection
from idpilot.sync.endpoints import ReadMode
from idpilot.sync.output import PartFile, finish_collection, snapshot_path
from tests.sync.helpers import lines


def _part(out: Path, collection: Collection, records: list[dict]) -> None:
    part = PartFile(out, collection, 0)
    part.append(records)
    part.commit()
    part.close()


def test_a_delta_round_merges_changes_and_applies_member_removals(tmp_path: Path) -> None:
    base = [{"id": "g1", "displayName": "Old", "members": [{"id": "u1"}, {"id": "u2"}]}]
    snapshot_path(tmp_path, Collection.groups).write_bytes(
        b"".join(orjson.dumps(r) + b"\n" for r in base)
    )
    changes = [
        {"id": "g1", "displayName": "New", "members@delta": [{"id": "u2", "@removed": {}}]},
        {"id": "g1", "members@delta": [{"id": "u3"}]},
        {"id": "g2", "@removed": {"reason": "deleted"}},
    ]
    _part(tmp_path, Collection.groups, changes)
    finish_collection(tmp_path, Collection.groups, ReadMode.delta, replace=False)
    (group,) = lines(snapshot_path(tmp_path, Collection.groups))
    assert group["displayName"] == "New"
    assert [m["id"] for m in group["members"]] == ["u1", "u3"]


def test_finishing_twice_gives_the_same_file(tmp_path: Path) -> None:
    _part(tmp_path, Collection.sign_ins, [{"id": "a"}, {"id": "b"}, {"id": "a"}])
    for _ in range(2):
        count = finish_collection(tmp_path, Collection.sign_ins, ReadMode.log, replace=False)
    assert count == 2
    assert [r["id"] for r in lines(snapshot_path(tmp_path, Collection.sign_ins))] == ["a", "b"]


def test_a_killed_page_is_truncated_on_resume(tmp_path: Path) -> None:
    part = PartFile(tmp_path, Collection.users, 0)
    part.append([{"id": "u1"}])
    committed = part.commit()
    part.append([{"id": "u2"}])  # on disk, never checkpointed
    part.commit()
    part.close()
    PartFile(tmp_path, Collection.users, committed).close()
    finish_collection(tmp_path, Collection.users, ReadMode.delta, replace=True)
    assert [r["id"] for r in lines(snapshot_path(tmp_path, Collection.users))] == ["u1"]
