"""Results kept per version of a read-only store: once per version, none for a store that can
change, the older version's dropped when a newer one is asked about."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from idpilot.store import Store, version_memo


def _counted(calls: list[str], value: str) -> Callable[[], str]:
    def compute() -> str:
        calls.append(value)
        return value

    return compute


def test_kept_once_per_version_and_never_for_a_store_that_can_change(tmp_path: Path) -> None:
    first, second = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    Store.open(first).close()
    shutil.copyfile(first, second)
    calls: list[str] = []
    with Store.open(first) as writable:
        assert version_memo.per_version(writable, "k", _counted(calls, "w")) == "w"
        assert version_memo.per_version(writable, "k", _counted(calls, "w")) == "w"
    assert calls == ["w", "w"]
    calls.clear()
    with Store.open(first, read_only=True) as one, Store.open(second, read_only=True) as other:
        for _ in range(2):
            assert version_memo.per_version(one, "k", _counted(calls, "one")) == "one"
        assert version_memo.per_version(other, "k", _counted(calls, "other")) == "other"
        assert version_memo.kept(one, "k") is None  # the newest version's results only
        assert version_memo.per_version(one, "k", _counted(calls, "one")) == "one"
    assert calls == ["one", "other", "one"]


def test_a_store_that_can_change_keeps_per_snapshot_only_while_it_holds_one(
    tmp_path: Path,
) -> None:
    calls: list[str] = []
    with Store.open(tmp_path / "w.duckdb") as store:
        store.con.execute(
            "INSERT INTO snapshot_info VALUES ('capturedDateTime', ?)", ["2026-11-20T10:00:00Z"]
        )
        for _ in range(2):
            assert version_memo.per_snapshot(store, "k", _counted(calls, "first")) == "first"
        assert calls == ["first"]
        # A new snapshot (another captured time): read again.
        store.con.execute(
            "UPDATE snapshot_info SET value = ? WHERE key = 'capturedDateTime'",
            ["2026-11-21T10:00:00Z"],
        )
        assert version_memo.per_snapshot(store, "k", _counted(calls, "second")) == "second"
    assert calls == ["first", "second"]
